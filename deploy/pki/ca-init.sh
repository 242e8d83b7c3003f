#!/usr/bin/env bash
# Create the national CA in DIR (RSA-3072, 10 years) and an empty CRL.
# Idempotent: an existing CA is kept.  The CA's key is RSA, every other key
# ECDSA P-256: each TLS handshake verifies two CA signatures on each side
# (the peer's certificate and the CRL), and mbedTLS, nng's TLS engine,
# verifies RSA about 15 times faster than ECDSA P-256 (docs/security.md).
#   deploy/pki/ca-init.sh DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: ca-init.sh DIR}
mkdir -p "$dir/newcerts" "$dir/issued"
export IBX_PKI
IBX_PKI=$(cd "$dir" && pwd)
[ -f "$dir/ca.pem" ] && exit 0
umask 077
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$dir/ca.key" 2>/dev/null
umask 022
openssl req -config "$here/openssl.cnf" -new -x509 -days 3650 -key "$dir/ca.key" \
	-extensions ca_ext -out "$dir/ca.pem"
: >"$dir/index.txt"
echo 1000 >"$dir/serial"
echo 1000 >"$dir/crlnumber"
"$here/crl.sh" "$dir"
echo "national CA created in $dir"
