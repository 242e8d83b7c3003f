#!/usr/bin/env bash
# Publish the CA's current CRL to DIR/crl.pem (valid 30 days; publish again
# before then, and after every revocation).
#   deploy/pki/crl.sh DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: crl.sh DIR}
export IBX_PKI
IBX_PKI=$(cd "$dir" && pwd)
(
	flock 9
	openssl ca -batch -config "$here/openssl.cnf" -gencrl -out "$dir/crl.pem.new" 2>/dev/null
	mv "$dir/crl.pem.new" "$dir/crl.pem"
) 9>"$dir/.lock"
