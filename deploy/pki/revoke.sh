#!/usr/bin/env bash
# Revoke a certificate and publish a new CRL (DIR/crl.pem).
#   deploy/pki/revoke.sh DIR CERT.pem
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: revoke.sh DIR CERT}
export IBX_PKI
IBX_PKI=$(cd "$dir" && pwd)
(
	flock 9
	openssl ca -batch -config "$here/openssl.cnf" -revoke "$2" 2>/dev/null
) 9>"$dir/.lock"
"$here/crl.sh" "$dir"
