#!/usr/bin/env bash
# Create the national CA in DIR (ECDSA P-256, 10 years) and an empty CRL.
# Idempotent: an existing CA is kept.
#   deploy/pki/ca-init.sh DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: ca-init.sh DIR}
mkdir -p "$dir/newcerts" "$dir/issued"
export IBX_PKI
IBX_PKI=$(cd "$dir" && pwd)
[ -f "$dir/ca.pem" ] && exit 0
umask 077
openssl ecparam -name prime256v1 -genkey -noout -out "$dir/ca.key"
umask 022
openssl req -config "$here/openssl.cnf" -new -x509 -days 3650 -key "$dir/ca.key" \
	-extensions ca_ext -out "$dir/ca.pem"
: >"$dir/index.txt"
echo 1000 >"$dir/serial"
echo 1000 >"$dir/crlnumber"
"$here/crl.sh" "$dir"
echo "national CA created in $dir"
