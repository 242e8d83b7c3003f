#!/usr/bin/env bash
# An invalid listing is refused with every problem named, by the spoke before
# sending and by the hub when a peer sends it anyway; nothing is stored but
# the refusal in the message log.
. "$(dirname "$0")/lib.sh"
db_create
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
"$PEER_BIN" forge --listing "$WORK/bad.json" --seq 5 --out "$WORK/bad.env"
out=$("$PEER_BIN" send --hub "$NNG_URL" --file "$WORK/bad.env")
assert_contains "$out" "status=invalid" "hub refuses"
assert_contains "$out" 'field "languages[1]"' "hub names the language field"
assert_contains "$out" 'field "price_bands[0]"' "hub names the price band"

"$PEER_BIN" forge --listing "$EXAMPLE" --sender 0110000000 --out "$WORK/other.env"
assert_contains "$("$PEER_BIN" send --hub "$NNG_URL" --file "$WORK/other.env")" \
	"status=sender does not match certificate" "another organisation's listing refused"
"$PEER_BIN" forge --listing "$EXAMPLE" --type 99 --out "$WORK/type.env"
assert_contains "$("$PEER_BIN" send --hub "$NNG_URL" --file "$WORK/type.env")" \
	'status=unknown payload type version=0 error=header: field "payload_type": 99' "unknown payload type"
"$PEER_BIN" forge --listing "$EXAMPLE" --schema 2 --out "$WORK/schema.env"
assert_contains "$("$PEER_BIN" send --hub "$NNG_URL" --file "$WORK/schema.env")" \
	"status=unsupported schema version" "unsupported schema"

assert_eq "$(sql 'SELECT count(*) FROM hospital_listings') $(sql 'SELECT count(*) FROM listing_versions') $(sql 'SELECT count(*) FROM organisations')" \
	"0 0 0" "nothing stored"
assert_eq "$(sql "SELECT string_agg(outcome, ',' ORDER BY id) FROM message_log")" \
	"invalid,sender does not match certificate,unknown payload type,unsupported schema version" \
	"every refusal logged"
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE envelope IS NULL AND reason <> ''")" 4 "refusals keep the reason, not the envelope"
