#!/usr/bin/env bash
# An invalid listing is refused with every problem named, by the spoke before
# sending and by the hub when a peer sends it anyway; nothing is stored but
# the refusal in the message log.
. "$(dirname "$0")/lib.sh"
db_create
identity 3910118128
hub_start

edit_json "$EXAMPLE" "$WORK/bad.json" \
	'.languages[1] = "xx" | .price_bands[0].min_jpy = 2000000 | .postal_code = "781-8555"'
set +e
out=$(publish "$WORK/bad.json")
rc=$?
set -e
assert_eq "$rc" 1 "spoke exit status for an invalid listing"
assert_contains "$out" 'field "languages[1]": unknown ISO 639-1 code "xx"' "language problem"
assert_contains "$out" 'field "price_bands[0]": min_jpy 2000000 is greater than max_jpy 900000' "price band problem"
assert_contains "$out" 'field "postal_code": must be 7 digits' "postal code problem"
assert_eq "$(sql 'SELECT count(*) FROM message_log')" 0 "the spoke sent nothing"

# The same listing sent by a peer that skips the spoke's checks.
forge "$WORK/bad.env" 3910118128 --listing "$WORK/bad.json" --seq 5
out=$(send "$WORK/bad.env")
assert_contains "$out" "status=invalid" "hub refuses"
assert_contains "$out" 'field "languages[1]"' "hub names the language field"
assert_contains "$out" 'field "price_bands[0]"' "hub names the price band"

# Another hospital's listing, signed by this one.
edit_json "$EXAMPLE" "$WORK/theirs.json" '.organisation_code = "3910110999"'
set +e
out=$(publish "$WORK/theirs.json" --cert "$PKI/issued/3910118128.pem" --key "$PKI/issued/3910118128.key")
rc=$?
set -e
assert_eq "$rc" 1 "the spoke will not sign another organisation's listing"
forge "$WORK/theirs.env" 3910118128 --listing "$WORK/theirs.json" --sender 3910118128 --seq 6
assert_contains "$(send "$WORK/theirs.env")" \
	'status=sender does not match certificate version=0 imported=0 updated=0 unchanged=0 deleted=0 refused=0 error=listing refused: field "organisation_code": 3910110999 is not the sender 3910118128' \
	"hub refuses another organisation's listing"
forge "$WORK/type.env" 3910118128 --listing "$EXAMPLE" --type 99 --seq 7
assert_contains "$(send "$WORK/type.env")" \
	'status=unknown payload type version=0 imported=0 updated=0 unchanged=0 deleted=0 refused=0 error=header: field "payload_type": 99 is not accepted' "unknown payload type"
forge "$WORK/schema.env" 3910118128 --listing "$EXAMPLE" --schema 2 --seq 8
assert_contains "$(send "$WORK/schema.env")" "status=unsupported schema version" "unsupported schema"

assert_eq "$(sql 'SELECT count(*) FROM hospital_listings') $(sql 'SELECT count(*) FROM listing_versions')" \
	"0 0" "nothing stored"
assert_eq "$(sql "SELECT last_sequence FROM organisations WHERE code = '3910118128'")" 0 "no sequence accepted"
assert_eq "$(sql "SELECT string_agg(outcome, ',' ORDER BY id) FROM message_log")" \
	"invalid,sender does not match certificate,unknown payload type,unsupported schema version" \
	"every refusal logged"
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE envelope IS NULL AND reason <> ''")" 4 "refusals keep the reason, not the envelope"
