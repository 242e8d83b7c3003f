#!/usr/bin/env bash
# Give every listing in a folder its own spoke identity and publish it: the
# demo's and the tests' way of running one spoke per hospital.
#
#   deploy/spokes.sh issue   --pki DIR --listings DIR
#       a certificate from the national CA for each listing that has none
#       (DIR/issued/<organisation code>.pem and .key)
#   deploy/spokes.sh publish --pki DIR --listings DIR --bin DIR -- HUB-OPTIONS...
#       run inbound-spoke publish for each listing, 8 at a time, signed with
#       its own key; HUB-OPTIONS are passed on (--hub URL, --ca, --insecure-tcp)
#
# Exit status: 0 when every listing was accepted; the spokes' output goes to
# standard output, one line per listing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:?usage: spokes.sh issue|publish ...}
shift
pki= listings= bin= jobs=8
while [ $# -gt 0 ]; do
	case "$1" in
	--pki) pki=$2; shift 2 ;;
	--listings) listings=$2; shift 2 ;;
	--bin) bin=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "spokes.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
: "${pki:?--pki}" "${listings:?--listings}"

failed=0
# Run at most $jobs commands at once; count failures.
throttle() {
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n || failed=$((failed + 1))
	done
}
drain() {
	while [ "$(jobs -rp | wc -l)" -gt 0 ]; do
		wait -n || failed=$((failed + 1))
	done
}

case "$cmd" in
issue)
	for f in "$listings"/*.json; do
		code=$(basename "$f" .json)
		[ -f "$pki/issued/$code.pem" ] && continue
		throttle
		"$here/pki/issue.sh" "$pki" "$code" hospital &
	done
	drain
	;;
publish)
	: "${bin:?--bin}"
	for f in "$listings"/*.json; do
		code=$(basename "$f" .json)
		throttle
		"$bin/inbound-spoke" publish --listing "$f" --cert "$pki/issued/$code.pem" \
			--key "$pki/issued/$code.key" "$@" 2>&1 &
	done
	drain
	;;
*)
	echo "spokes.sh: unknown command $cmd" >&2
	exit 2
	;;
esac
[ "$failed" -eq 0 ] || { echo "spokes.sh: $failed failed" >&2; exit 1; }
