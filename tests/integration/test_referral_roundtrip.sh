#!/usr/bin/env bash
# The referral channel end to end (issue 15), real hub and spokes over
# mutual TLS: a hospital announces its key; a coordinator refers a case (a
# summary with a marker string, a real DICOM file, 3 MiB of imaging) to
# it; the hospital lists its inbox, fetches, decrypts and verifies the
# package (every file's SHA-256 equal to the original) and the hub deletes
# the ciphertext on 'delivered'; the hospital answers (acknowledged,
# quote), declines a second referral, and returns a second opinion to a
# partner abroad, whose report travels back encrypted the same way.  The
# marker appears nowhere in a pg_dump of the hub's database, nor in its log
# or files, but does in the hospital's folder.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/referral_lib.sh"

ref_setup
MARKER="IBXMARKER-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# 1. The hospital's key, announced and shown.
out=$(spoke "$HOSP_A" keys rotate 2>&1) || fail "keys rotate: $out"
assert_contains "$out" "announced" "hospital A announces its key"
key_id=$(echo "$out" | sed -n 's/^key \([0-9a-f]\{16\}\) made.*/\1/p')
[ "$(stat -c %a "$WORK/$HOSP_A/state/keys/$key_id.key")" = 600 ] || fail "the private key is not mode 0600"
pass "private key $key_id.key is 0600 in the state folder"
assert_eq "$(sql "SELECT count(*) FROM referral_keys WHERE org_code = '$HOSP_A'")" 1 "the hub holds one announcement"
out=$(spoke "$HOSP_A" keys show 2>&1) || fail "keys show: $out"
assert_contains "$out" "$key_id" "keys show lists the key"
assert_contains "$out" "private key here" "keys show finds the private key"

# 2. A coordinator refers a case.
make_package "$WORK/case1" "$MARKER"
out=$(spoke "$COORD" refer --to "$HOSP_A" --package "$WORK/case1" --purpose second_opinion \
	--department 01001 --nationality CN --age-band 50-59 --languages zh,en 2>&1) || fail "refer: $out"
ID1=$(referral_id "$out")
[ -n "$ID1" ] || fail "no referral id in: $out"
assert_contains "$out" "referral $ID1 sent" "the coordinator's referral is sent"
assert_eq "$(sql "SELECT state || ' ' || chunk_count || ' ' || chunks_stored FROM referrals WHERE referral_id = '$ID1'")" "sent 4 4" "hub: sent, 4 chunks of 4 stored"
assert_eq "$(sql "SELECT count(*) FROM referral_chunks WHERE referral_id = '$ID1'")" 4 "hub: 4 ciphertext chunks"
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE payload_type = 8 AND envelope IS NOT NULL")" 0 "the message log keeps no chunk"

# 3. The hospital's inbox, the fetch, the files.
out=$(spoke "$HOSP_A" inbox 2>&1) || fail "inbox: $out"
assert_contains "$out" "$ID1  referral  from $COORD to $HOSP_A  second_opinion/01001  CN 50-59  zh,en" "the inbox lists the referral"
out=$(spoke "$HOSP_A" inbox --fetch "$ID1" --out "$WORK/recv1" 2>&1) || fail "fetch: $out"
assert_contains "$out" "referral $ID1: delivered" "fetched, verified, delivered"
assert_eq "$(sums "$WORK/recv1")" "$(sums "$WORK/case1")" "every file's SHA-256 equals the original"
assert_eq "$(sql "SELECT state || ' ' || chunks_deleted_reason FROM referrals WHERE referral_id = '$ID1'")" "delivered delivered" "hub: delivered, chunks deleted"
assert_eq "$(sql "SELECT count(*) FROM referral_chunks WHERE referral_id = '$ID1'")" 0 "hub: no ciphertext left"
rc=0
out=$(spoke "$HOSP_A" inbox --fetch "$ID1" --out "$WORK/recv1b" 2>&1) || rc=$?
assert_eq "$rc" 1 "a second fetch after delivery is refused"
[ ! -e "$WORK/recv1b" ] || fail "a second fetch wrote files"

# 4. Answers: acknowledged, a quote; the coordinator sees them.
spoke "$HOSP_A" answer "$ID1" --status acknowledged >/dev/null 2>&1 || fail "acknowledged"
out=$(spoke "$HOSP_A" answer "$ID1" --status quote --price-min 1200000 --price-max 1800000 --earliest 2027-03-01 2>&1) || fail "quote: $out"
assert_contains "$out" "quote sent" "hospital quotes"
out=$(spoke "$COORD" inbox 2>&1) || fail "coordinator inbox: $out"
assert_contains "$out" "$ID1  status    quote by $HOSP_A  JPY 1200000-1800000 from 2027-03-01" "the coordinator sees the signed quote"
assert_eq "$(sql "SELECT first_answer_at IS NOT NULL FROM referrals WHERE referral_id = '$ID1'")" t "first answer time kept"

# 5. A second referral, declined with a reason.
make_package "$WORK/case2" "$MARKER" 1
out=$(spoke "$COORD" refer --to "$HOSP_A" --package "$WORK/case2" --purpose treatment \
	--nationality VN --age-band 30-39 --urgency urgent 2>&1) || fail "refer 2: $out"
ID2=$(referral_id "$out")
spoke "$HOSP_A" inbox --fetch "$ID2" --out "$WORK/recv2" >/dev/null 2>&1 || fail "fetch 2"
spoke "$HOSP_A" answer "$ID2" --status acknowledged >/dev/null 2>&1 || fail "acknowledged 2"
out=$(spoke "$HOSP_A" answer "$ID2" --status declined --reason no_capacity 2>&1) || fail "decline: $out"
assert_eq "$(sql "SELECT state FROM referrals WHERE referral_id = '$ID2'")" declined "the second referral is declined"

# 6. A partner abroad asks for a second opinion; the report goes back.
spoke "$PARTNER" keys rotate >/dev/null 2>&1 || fail "partner keys rotate"
make_package "$WORK/case3" "$MARKER" 1
out=$(spoke "$PARTNER" refer --to "$HOSP_A" --package "$WORK/case3" --purpose second_opinion \
	--nationality RU --age-band 60-69 --languages ru 2>&1) || fail "partner refer: $out"
ID3=$(referral_id "$out")
spoke "$HOSP_A" inbox --fetch "$ID3" --out "$WORK/recv3" >/dev/null 2>&1 || fail "fetch 3"
spoke "$HOSP_A" answer "$ID3" --status acknowledged >/dev/null 2>&1 || fail "acknowledged 3"
printf 'Second opinion: resection advised. %s\n' "$MARKER" >"$WORK/opinion.txt"
out=$(spoke "$HOSP_A" answer "$ID3" --status opinion_returned --report "$WORK/opinion.txt" 2>&1) || fail "opinion: $out"
REPORT=$(referral_id "$out")
[ -n "$REPORT" ] || fail "no report referral in: $out"
assert_eq "$(sql "SELECT state || ' ' || (opinion_at IS NOT NULL) FROM referrals WHERE referral_id = '$ID3'")" "opinion_returned true" "opinion returned"
assert_eq "$(sql "SELECT answers_referral_id || ' ' || receiver FROM referrals WHERE referral_id = '$REPORT'")" "$ID3 $PARTNER" "the report is a referral back to the partner"
out=$(spoke "$PARTNER" inbox --fetch "$REPORT" --out "$WORK/report" 2>&1) || fail "partner fetch: $out"
assert_eq "$(sha256sum <"$WORK/report/opinion.txt")" "$(sha256sum <"$WORK/opinion.txt")" "the partner reads the report, byte-identical"

# 7. Nothing in clear at the hub; the marker is in the hospital's folder.
pg_dump -h 127.0.0.1 -p "$IBX_PG_PORT" -U inbound "$DB_NAME" >"$WORK/hub.dump"
[ -s "$WORK/hub.dump" ] || fail "pg_dump wrote nothing"
! grep -qa "$MARKER" "$WORK/hub.dump" || fail "the marker is in the hub's database"
pass "the marker is nowhere in a pg_dump of the hub's database ($(wc -c <"$WORK/hub.dump") bytes)"
! grep -qa "$MARKER" "$WORK/hub.log" || fail "the marker is in the hub's log"
pass "nor in the hub's log"
grep -rqa "$MARKER" "$WORK/recv1" || fail "the marker is not in the hospital's decrypted folder"
pass "the marker is in the hospital's decrypted folder"
! grep -rqa "$MARKER" "$WORK/$HOSP_A/outbox" "$WORK/$COORD/outbox" || fail "the marker is in an outbox (clear text on the wire)"
pass "nor in any outbox (what went over the wire)"

# 8. The API: metadata only, each party its own, the ministry refused.
T_C=$(token coordinator --org "$COORD")
get /api/v1/referrals "$T_C"
assert_eq "$STATUS" 200 "coordinator: GET /api/v1/referrals"
assert_eq "$(echo "$BODY" | jq -r '[.referrals[].referral_id] | sort | join(",")')" "$(printf '%s\n' "$ID1" "$ID2" | sort | paste -sd,)" "the coordinator sees the two referrals it sent"
assert_eq "$(echo "$BODY" | jq -r '.response_times[0] | "\(.hospital) \(.answered)"')" "$HOSP_A 2" "its response times: hospital A answered 2"
assert_eq "$(echo "$BODY" | jq -r --arg id "$ID1" '.referrals[] | select(.referral_id == $id) | "\(.state) \(.chunks_deleted_reason)"')" "quote delivered" "state and why the chunks left"
T_H=$(token hospital --org "$HOSP_A")
get /api/v1/referrals "$T_H"
assert_eq "$(echo "$BODY" | jq '.referrals | length')" 3 "hospital A sees the three referrals addressed to it"
get /api/v1/referrals
assert_eq "$STATUS" 403 "the ministry: 403 (an exact count is not protected)"
assert_contains "$BODY" "/api/v1/portfolio" "and is pointed at the portfolio"
! echo "$BODY" | grep -q "$ID1" || fail "the ministry's answer names a referral"

# 8b. One referral (GET /api/v1/referrals/{id}): its parties only, with
# the status timeline (who, when, what); anyone else is told 404, as for an
# id that does not exist; the ministry 403.
get "/api/v1/referrals/$ID1" "$T_C"
assert_eq "$STATUS" 200 "coordinator: GET /api/v1/referrals/{id} of its own"
assert_eq "$(echo "$BODY" | jq -r '[.statuses[] | "\(.state):\(.by)"] | join(" ")')" \
	"sent:$COORD delivered:$HOSP_A acknowledged:$HOSP_A quote:$HOSP_A" "the timeline: each state, signed by whom"
assert_eq "$(echo "$BODY" | jq -r '.statuses[3] | "\(.price_min_jpy)-\(.price_max_jpy) \(.earliest_date) \(.at != null)"')" \
	"1200000-1800000 2027-03-01 true" "the quote's band, date and time"
assert_eq "$(echo "$BODY" | jq -r '.referral | "\(.state) \(.receiver) \(.first_answer_hours >= 0)"')" "quote $HOSP_A true" "its state and time to first answer"
! echo "$BODY" | grep -q '"envelope"\|"sealed_key"\|"digest"' || fail "the detail carries an envelope, key or digest"
pass "no envelope, sealed key or digest in the detail"
get "/api/v1/referrals/$ID3" "$T_H"
assert_eq "$STATUS" 200 "hospital A: a referral it received"
assert_eq "$(echo "$BODY" | jq -r '.reports | join(",")')" "$REPORT" "the returned report is named"
T_HB=$(token hospital --org "$HOSP_B")
get "/api/v1/referrals/$ID1" "$T_HB"
assert_eq "$STATUS" 404 "hospital B: 404 for a referral it is not a party of"
b404=$BODY
get "/api/v1/referrals/ffffffffffffffffffffffffffffffff" "$T_HB"
assert_eq "$STATUS $BODY" "404 $b404" "the same answer as an id that does not exist"
get "/api/v1/referrals/$ID3" "$T_C"
assert_eq "$STATUS" 404 "the coordinator: 404 for the partner's referral"
get "/api/v1/referrals/$ID1"
assert_eq "$STATUS" 403 "the ministry: 403 for one referral too"
get "/api/v1/referrals/${ID1}x" "$T_C"
assert_eq "$STATUS" 400 "a malformed id: 400"
get "/api/v1/referrals?limit=1&offset=1" "$T_C"
assert_eq "$(echo "$BODY" | jq -r '"\(.total) \(.referrals | length) \(.referrals[0].referral_id)"')" \
	"2 1 $ID1" "paging: the second of two, oldest last"

# 9. Retention: a referral nobody fetched loses its ciphertext on purge,
# and says so; the partner's minimal listing.
make_package "$WORK/case4" "$MARKER" 1
out=$(spoke "$COORD" refer --to "$HOSP_A" --package "$WORK/case4" --purpose health_checkup \
	--nationality US --age-band 40-49 2>&1) || fail "refer 4: $out"
ID4=$(referral_id "$out")
out=$("$CTL_BIN" referrals purge --db "$DSN" --days 0 2>&1) || fail "purge: $out"
assert_contains "$out" "1 referral(s), 2 chunk(s)" "purge deletes the unfetched referral's chunks only"
assert_eq "$(sql "SELECT chunks_deleted_reason FROM referrals WHERE referral_id = '$ID4'")" retention "the referral says why"
rc=0
out=$(spoke "$HOSP_A" inbox --fetch "$ID4" --out "$WORK/recv4" 2>&1) || rc=$?
assert_eq "$rc" 1 "a purged referral cannot be fetched"
assert_contains "$out" "deleted at the hub (retention)" "the receiver is told why"
out=$("$CTL_BIN" partner set --db "$DSN" --org "$PARTNER" --name "Vladivostok Clinical Hospital" --country RU --languages ru,en 2>&1) || fail "partner set: $out"
assert_eq "$(sql "SELECT name || ' ' || country || ' ' || array_to_string(languages, ',') FROM partner_listings")" "Vladivostok Clinical Hospital RU ru,en" "the partner's listing"
rc=0
"$CTL_BIN" partner set --db "$DSN" --org "$COORD" --name X --country JP >/dev/null 2>&1 || rc=$?
assert_eq "$rc" 1 "a coordinator is not a partner"
