#!/usr/bin/env bash
# Publish the CA's current CRL to DIR/crl.pem (valid 30 days; publish again
# before then, and after every revocation: a hub whose CRL is past its
# nextUpdate refuses every spoke until a fresh one is installed and the hub
# is sent SIGHUP, docs/security.md).
#   deploy/pki/crl.sh DIR [--seconds N]
# --seconds N makes a CRL valid for N seconds only (tests of a stale CRL).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: crl.sh DIR}
shift
valid=()
while [ $# -gt 0 ]; do
	case "$1" in
	--seconds) valid=(-crlsec "$2"); shift 2 ;;
	*) echo "crl.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
export IBX_PKI
IBX_PKI=$(cd "$dir" && pwd)
(
	flock 9
	openssl ca -batch -config "$here/openssl.cnf" -gencrl "${valid[@]}" -out "$dir/crl.pem.new" 2>/dev/null
	mv "$dir/crl.pem.new" "$dir/crl.pem"
) 9>"$dir/.lock"
