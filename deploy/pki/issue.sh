#!/usr/bin/env bash
# Issue an organisation's certificate: a new P-256 key and a certificate
# whose subject is C=JP, O=Inbound Exchange, OU=ROLE, CN=CODE.
#   deploy/pki/issue.sh DIR CODE hospital|coordinator|hub [--days N]
#                       [--start YYYYMMDDHHMMSSZ --end YYYYMMDDHHMMSSZ]
# Writes DIR/issued/CODE.key and DIR/issued/CODE.pem.  --start/--end make
# certificates that are expired or not yet valid, for tests.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: issue.sh DIR CODE ROLE}
code=${2:?organisation code}
role=${3:?role}
shift 3
days=825
dates=()
while [ $# -gt 0 ]; do
	case "$1" in
	--days) days=$2; shift 2 ;;
	--start) dates+=(-startdate "$2"); shift 2 ;;
	--end) dates+=(-enddate "$2"); shift 2 ;;
	*) echo "issue.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[[ "$code" =~ ^[0-9]{10}$ ]] || { echo "issue.sh: organisation code must be 10 digits" >&2; exit 2; }
case "$role" in hospital | coordinator | hub) ;; *) echo "issue.sh: role must be hospital, coordinator or hub" >&2; exit 2 ;; esac
export IBX_PKI
IBX_PKI=$(cd "$dir" && pwd)
out=$dir/issued
mkdir -p "$out"
umask 077
openssl ecparam -name prime256v1 -genkey -noout -out "$out/$code.key"
umask 022
openssl req -new -key "$out/$code.key" -subj "/C=JP/O=Inbound Exchange/OU=$role/CN=$code" \
	-out "$out/$code.csr"
# openssl ca keeps the index that revocation and the CRL need; a lock keeps
# concurrent issuers from interleaving their writes to it.
(
	flock 9
	openssl ca -batch -config "$here/openssl.cnf" -days "$days" "${dates[@]}" \
		-in "$out/$code.csr" -out "$out/$code.pem" -notext 2>"$out/$code.log"
) 9>"$dir/.lock" || { cat "$out/$code.log" >&2; exit 1; }
rm -f "$out/$code.csr" "$out/$code.log"
