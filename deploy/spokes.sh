#!/usr/bin/env bash
# Give every listing in a folder its own spoke identity and publish it: the
# demo's and the tests' way of running one spoke per hospital.
#
#   deploy/spokes.sh issue   --pki DIR --listings DIR
#       a certificate from the national CA for each listing that has none
#       (DIR/issued/<organisation code>.pem and .key)
#   deploy/spokes.sh publish --pki DIR --listings DIR --bin DIR -- HUB-OPTIONS...
#       run inbound-spoke publish for each listing, 8 (--jobs) at a time,
#       signed with its own key; HUB-OPTIONS are passed on (--hub URL, --ca,
#       --insecure-tcp)
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

case "$cmd" in
issue)
	# One bulk run (pki/issue-bulk.sh): the same certificates as issue.sh
	# makes one at a time, thousands in seconds.
	find "$listings" -maxdepth 1 -name '*.json' -printf '%f\n' | sed 's/\.json$//' |
		"$here/pki/issue-bulk.sh" "$pki" hospital || failed=1
	;;
publish)
	: "${bin:?--bin}"
	# xargs -P runs the spokes $jobs at a time with no shell per spoke.
	find "$listings" -maxdepth 1 -name '*.json' -printf '%f\n' | sed 's/\.json$//' | sort |
		xargs -P "$jobs" -I{} "$bin/inbound-spoke" publish --listing "$listings/{}.json" \
			--cert "$pki/issued/{}.pem" --key "$pki/issued/{}.key" "$@" 2>&1 || failed=1
	;;
*)
	echo "spokes.sh: unknown command $cmd" >&2
	exit 2
	;;
esac
[ "$failed" -eq 0 ] || { echo "spokes.sh: $cmd: some failed (see above)" >&2; exit 1; }
