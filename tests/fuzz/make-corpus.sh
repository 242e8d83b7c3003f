#!/usr/bin/env bash
# Make the fuzz targets' seed corpus from real programs: a throwaway national
# CA (deploy/pki), real listings (tests/data/listing_example.json and some
# written by inbound-datagen from the open hospital data) sealed into
# envelopes by `inbound-spoke seal`, statistics payloads sealed by
# ibx-fuzz-seedgen, envelopes the hub refuses forged by ibx-testpeer (by
# fingerprint, unsigned, other payload types and schema, a coordinator's, a
# revoked certificate's), each envelope's payload, the listing files, and a
# search query string made from each listing's values.
# The hand-written seeds in tests/fuzz/seeds/ are used beside this corpus.
#
#   tests/fuzz/make-corpus.sh [BUILD [OUT]]
#
# BUILD is a build tree with the programs (default build-fuzz); OUT
# (default BUILD/fuzz-corpus) is replaced and gets one directory per
# target, plus pki/ (ca.pem, crl.pem) for IBX_FUZZ_CA and IBX_FUZZ_CRL.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build-fuzz}" && pwd)
out=${2:-$build/fuzz-corpus}

spoke=$build/spoke/inbound-spoke
datagen=$build/tools/datagen/inbound-datagen
seedgen=$build/tests/fuzz/ibx-fuzz-seedgen
peer=$build/tests/ibx-testpeer
for prog in "$spoke" "$datagen" "$seedgen" "$peer"; do
	[ -x "$prog" ] || { echo "make-corpus: $prog is not built" >&2; exit 1; }
done

rm -rf "$out"
mkdir -p "$out/listings"
for target in fuzz_envelope fuzz_listing_payload fuzz_statistics_payload \
	fuzz_listing_json fuzz_query; do
	mkdir -p "$out/$target"
done
pki=$out/pki
"$root/deploy/pki/ca-init.sh" "$pki" >/dev/null 2>&1

# issue CODE [ROLE]: a certificate for an organisation (once).
issue() {
	[ -f "$pki/issued/$1.pem" ] ||
		"$root/deploy/pki/issue.sh" "$pki" "$1" "${2:-hospital}" >/dev/null 2>&1
}

# Real listings: the example and every 60th of the generated ones (all three
# prefectures' sources, so optional fields come and go).
"$datagen" listings --data "$root/deploy/data" --out "$out/generated" \
	--seed 11 >/dev/null 2>&1
cp "$root/tests/data/listing_example.json" "$out/listings/example.json"
find "$out/generated" -name '*.json' | sort | awk 'NR % 60 == 1' |
	while read -r f; do cp "$f" "$out/listings/"; done

for f in "$out/listings"/*.json; do
	code=$(jq -r .organisation_code "$f")
	name=$(basename "$f" .json)
	issue "$code"
	"$spoke" seal --listing "$f" --cert "$pki/issued/$code.pem" \
		--key "$pki/issued/$code.key" \
		--out "$out/fuzz_envelope/listing-$name.env" >/dev/null
	"$seedgen" payload "$out/fuzz_envelope/listing-$name.env" \
		"$out/fuzz_listing_payload/listing-$name.pb"
	cp "$f" "$out/fuzz_listing_json/$name.json"
	# A search a coordinator could make for this hospital.
	jq -r '[("prefecture=" + .prefecture),
		(.treatments[0] // empty | "treatment=" + .),
		(.departments[0] // empty | "department=" + .),
		(.languages[0] // empty | "language=" + .),
		(.accepts_countries[0] // empty | "accepts=" + .),
		(.accreditations[0].scheme // empty | "accreditation=" + .),
		(if .remote_second_opinion then "second_opinion=remote"
		 else empty end),
		(.name.en // .name.ja | "q=" + (.[0:12] | @uri)),
		"limit=20", "offset=0"] | join("&")' "$f" |
		tr -d '\n' >"$out/fuzz_query/search-$name.txt"
done

# Case statistics from the example hospital.
H=3910118128
example=$root/tests/data/listing_example.json
"$seedgen" statistics "$pki/issued/$H.pem" "$pki/issued/$H.key" \
	"$out/fuzz_statistics_payload" "$out/fuzz_envelope"

# Envelopes the hub refuses, each reaching a different branch.
forge() {
	local name=$1
	shift
	"$peer" forge --listing "$example" --out "$out/fuzz_envelope/$name.env" "$@"
}
cert=(--cert "$pki/issued/$H.pem" --key "$pki/issued/$H.key")
forge forged-unsigned
forge forged-cert-hash "${cert[@]}" --cert-hash
forge forged-coordinator-type "${cert[@]}" --type 2
forge forged-withdraw-type "${cert[@]}" --type 4
forge forged-unknown-type "${cert[@]}" --type 99
forge forged-schema-2 "${cert[@]}" --schema 2
forge forged-sign-other "${cert[@]}" --sign-other
forge forged-sender "${cert[@]}" --sender 3910110438
issue 9000000001 coordinator
forge forged-coordinator --cert "$pki/issued/9000000001.pem" \
	--key "$pki/issued/9000000001.key"
issue 3910110442
"$root/deploy/pki/revoke.sh" "$pki" "$pki/issued/3910110442.pem" >/dev/null 2>&1
forge forged-revoked --sender 3910110442 \
	--cert "$pki/issued/3910110442.pem" --key "$pki/issued/3910110442.key"

rm -rf "$out/generated"
for target in fuzz_envelope fuzz_listing_payload fuzz_statistics_payload \
	fuzz_listing_json fuzz_query; do
	printf 'make-corpus: %-24s %3d seeds\n' "$target" \
		"$(find "$out/$target" -type f | wc -l)"
done
