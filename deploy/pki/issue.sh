#!/usr/bin/env bash
# Issue a certificate: a new P-256 key and a certificate whose subject is
# C=JP, O=Inbound Exchange, OU=ROLE, CN=CODE.
#   deploy/pki/issue.sh DIR CODE hospital|coordinator|partner|hub [--days N]
#                       [--start YYYYMMDDHHMMSSZ --end YYYYMMDDHHMMSSZ]
#                       [--name HOST ...]
# Writes DIR/issued/CODE.key and DIR/issued/CODE.pem.  --start/--end make
# certificates that are expired or not yet valid, for tests.
#
# Two profiles (issue 14, finding 1):
# - an organisation (hospital, coordinator, partner: a hospital abroad that
#   sends referrals) gets clientAuth only, so it cannot serve TLS as a hub;
# - the hub gets serverAuth only and its names in subjectAltName: every
#   --name HOST (default: localhost and 127.0.0.1).  A name that is an IPv4
#   address goes in both as an IP address (what OpenSSL matches) and as a
#   DNS name (nng 1.5.2's mbedTLS 2.28 matches the TLS server name against
#   dNSName entries only).  Spokes check the role, the name and the
#   extended key usage.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: issue.sh DIR CODE ROLE}
code=${2:?organisation code}
role=${3:?role}
shift 3
days=825
dates=()
names=()
while [ $# -gt 0 ]; do
	case "$1" in
	--days) days=$2; shift 2 ;;
	--start) dates+=(-startdate "$2"); shift 2 ;;
	--end) dates+=(-enddate "$2"); shift 2 ;;
	--name) names+=("$2"); shift 2 ;;
	*) echo "issue.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[[ "$code" =~ ^[0-9]{10}$ ]] || { echo "issue.sh: organisation code must be 10 digits" >&2; exit 2; }
case "$role" in
hospital | coordinator | partner | hub) ;;
*) echo "issue.sh: role must be hospital, coordinator, partner or hub" >&2; exit 2 ;;
esac
[ "${#names[@]}" -eq 0 ] || [ "$role" = hub ] || { echo "issue.sh: --name is for the hub only" >&2; exit 2; }
export IBX_PKI
IBX_PKI=$(cd "$dir" && pwd)
out=$dir/issued
mkdir -p "$out"
ext=()
if [ "$role" = hub ]; then
	[ "${#names[@]}" -gt 0 ] || names=(localhost 127.0.0.1)
	san=
	for n in "${names[@]}"; do
		[[ "$n" =~ ^[A-Za-z0-9.-]{1,253}$ ]] || { echo "issue.sh: --name $n: not a host name or IPv4 address" >&2; exit 2; }
		if [[ "$n" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
			san+="${san:+,}IP:$n,DNS:$n"
		else
			san+="${san:+,}DNS:$n"
		fi
	done
	cat >"$out/$code.ext" <<EXT
[ hub_ext ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = $san
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EXT
	ext=(-extfile "$out/$code.ext" -extensions hub_ext)
fi
umask 077
openssl ecparam -name prime256v1 -genkey -noout -out "$out/$code.key"
umask 022
openssl req -new -key "$out/$code.key" -subj "/C=JP/O=Inbound Exchange/OU=$role/CN=$code" \
	-out "$out/$code.csr"
# openssl ca keeps the index that revocation and the CRL need; a lock keeps
# concurrent issuers from interleaving their writes to it.
(
	flock 9
	openssl ca -batch -config "$here/openssl.cnf" -days "$days" "${dates[@]}" "${ext[@]}" \
		-in "$out/$code.csr" -out "$out/$code.pem" -notext 2>"$out/$code.log"
) 9>"$dir/.lock" || { cat "$out/$code.log" >&2; exit 1; }
rm -f "$out/$code.csr" "$out/$code.log" "$out/$code.ext"
