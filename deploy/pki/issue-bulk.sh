#!/usr/bin/env bash
# Issue many organisations' certificates at once: the same keys, subjects
# and certificate profile as issue.sh, for thousands of spokes in seconds.
#   deploy/pki/issue-bulk.sh DIR hospital|coordinator [--days N] [--jobs N] <CODES
# CODES: one 10-digit organisation code a line. Writes DIR/issued/CODE.key
# and DIR/issued/CODE.pem for each code that has no certificate yet (a key
# left without its certificate by a failed run is made again).
#
# How: with IBX_CA_BULK naming tools/pki's ibx-ca-bulk, that one process
# makes every key and certificate (proto/crypto/ca.c: the CA section and
# profile of openssl.cnf, the same index and serial file). Otherwise, with
# the openssl command only: keys and requests are made in parallel (one
# openssl req per code, --jobs at a time, default the number of cores),
# then ONE openssl ca run
# signs them all with openssl.cnf's CA section (its x509_extensions profile,
# the one issue.sh uses) and records them in the CA index, so revoke.sh and
# crl.sh work on them as on any other. openssl ca -infiles writes each
# certificate to newcerts/SERIAL.pem; the index line of each serial names
# its subject, from which the certificate is copied to issued/CODE.pem.
# Prints one timing line per step on standard error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: issue-bulk.sh DIR ROLE [--days N] [--jobs N] <CODES}
role=${2:?role}
shift 2
days=825
jobs=$(nproc 2>/dev/null || echo 2)
while [ $# -gt 0 ]; do
	case "$1" in
	--days) days=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	*) echo "issue-bulk.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
case "$role" in hospital | coordinator) ;; *) echo "issue-bulk.sh: role must be hospital or coordinator" >&2; exit 2 ;; esac
export IBX_PKI
IBX_PKI=$(cd "$dir" && pwd)
out=$IBX_PKI/issued
work=$IBX_PKI/bulk.$$
mkdir -p "$out" "$work"
trap 'rm -rf "$work"' EXIT
ms() { date +%s%3N; }

t0=$(ms)
# Codes still to issue, checked like issue.sh checks one.
while read -r code; do
	[ -n "$code" ] || continue
	[[ "$code" =~ ^[0-9]{10}$ ]] || { echo "issue-bulk.sh: organisation code must be 10 digits: $code" >&2; exit 2; }
	[ -f "$out/$code.pem" ] || echo "$code"
done | sort -u >"$work/codes"
n=$(wc -l <"$work/codes")
[ "$n" -gt 0 ] || { echo "issue-bulk.sh: nothing to issue" >&2; exit 0; }

if [ -n "${IBX_CA_BULK:-}" ]; then
	# ibx-ca-bulk (tools/pki, OpenSSL in proto/crypto/ca.c): keys, signing
	# and the CA index in one process, the same profile from openssl.cnf.
	[ -x "$IBX_CA_BULK" ] || { echo "issue-bulk.sh: IBX_CA_BULK=$IBX_CA_BULK is not a program" >&2; exit 2; }
	t1=$(ms)
	(
		flock 9
		"$IBX_CA_BULK" --cnf "$here/openssl.cnf" --role "$role" --days "$days" --jobs "$jobs" <"$work/codes"
	) 9>"$IBX_PKI/.lock" 2>"$work/ca.log" || { cat "$work/ca.log" >&2; exit 1; }
	t2=$(ms)
else
	# Keys and requests, in parallel: P-256 keys, subject as issue.sh's.
	export role work out
	xargs -P "$jobs" -n 64 bash -c '
		umask 077
		for code; do
			openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
				-noenc -keyout "$out/$code.key" -out "$work/$code.csr" \
				-subj "/C=JP/O=Inbound Exchange/OU=$role/CN=$code" 2>/dev/null ||
				{ echo "issue-bulk.sh: key or request for $code failed" >&2; exit 255; }
		done' _ <"$work/codes"
	t1=$(ms)

	# One signing run for them all, under issue.sh's lock on the CA index.
	before=$(wc -l <"$IBX_PKI/index.txt")
	(
		flock 9
		sed "s|^|$work/|; s|\$|.csr|" "$work/codes" | xargs openssl ca -batch \
			-config "$here/openssl.cnf" -days "$days" -notext \
			-out "$work/last.pem" -infiles 2>"$work/ca.log"
	) 9>"$IBX_PKI/.lock" || { tail -5 "$work/ca.log" >&2; exit 1; }
	t2=$(ms)

	# Serial -> code from the new index lines; one awk copies every new
	# certificate to issued/CODE.pem (no process per certificate).
	tail -n +"$((before + 1))" "$IBX_PKI/index.txt" |
		awk -F'\t' -v role="$role" -v nc="$IBX_PKI/newcerts" -v out="$out" '
		$6 ~ ("/OU=" role "/CN=[0-9]+$") {
			code = $6; sub(/.*CN=/, "", code)
			src = nc "/" $4 ".pem"; dst = out "/" code ".pem"
			while ((getline line <src) > 0) print line >dst
			close(src); close(dst)
		}'
fi
t3=$(ms)
issued=$(comm -12 <(sort "$work/codes") <(ls "$out" | sed -n 's/\.pem$//p' | sort) | wc -l)
[ "$issued" -eq "$n" ] || { echo "issue-bulk.sh: $issued of $n certificates issued" >&2; exit 1; }
awk -v n="$n" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v j="$jobs" -v tool="${IBX_CA_BULK:+1}" 'BEGIN {
	printf "issue-bulk: %d certificates in %.1f s: keys and requests %.1f s (%s), signing %.1f s (%s), filing %.1f s\n",
		n, (d - a) / 1000, (b - a) / 1000, tool ? "in ibx-ca-bulk" : j " jobs", (c - b) / 1000,
		tool ? "ibx-ca-bulk" : "one openssl ca", (d - c) / 1000 }' >&2
