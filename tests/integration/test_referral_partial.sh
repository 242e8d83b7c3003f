#!/usr/bin/env bash
# Issue 15: a partial referral after a killed `refer`.  kill -9 of the
# sending spoke in the middle of the upload, never resumed: the hub keeps
# the chunks that came (the referral is `sending` in GET /api/v1/referrals,
# not in the receiver's inbox) only until the retention purge
# (inboundctl referrals purge --days N: here the partial referral is made
# 3 days old and the retention is 2 days).  The purge deletes exactly its
# chunks, and the API then shows it `expired` with the reason
# `retention`; a fresh referral, sent but not yet fetched, younger than
# the retention, keeps its ciphertext and is fetched whole afterwards.
# When the killed sender's outbox is drained after the purge after all,
# each late chunk is refused for good naming why, and nothing is stored.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/referral_lib.sh"

ref_setup
spoke "$HOSP_A" keys rotate >/dev/null 2>&1 || fail "A keys rotate"
MIB=${IBX_PARTIAL_MIB:-24}

# api_state ID TOKEN: "state reason" of one referral in GET /api/v1/referrals.
api_state() {
	get /api/v1/referrals "$2"
	[ "$STATUS" = 200 ] || fail "GET /api/v1/referrals: $STATUS $BODY"
	echo "$BODY" | jq -r --arg id "$1" '.referrals[] | select(.referral_id == $id) |
		"\(.state) \(.chunks_deleted_reason // "-")"'
}
T_C=$(token coordinator --org "$COORD")
T_H=$(token hospital --org "$HOSP_A")

# 1. A small referral, sent whole and not fetched yet: it must survive
# the purge (younger than the retention).
make_package "$WORK/fresh" "fresh referral" 1
out=$(spoke "$COORD" refer --to "$HOSP_A" --package "$WORK/fresh" --purpose treatment \
	--nationality CN --age-band 60-69 2>&1) || fail "refer (fresh): $out"
FRESH=$(referral_id "$out")
FRESH_N=$(sql "SELECT chunk_count FROM referrals WHERE referral_id = '$FRESH'")

# 2. The big one: refer killed mid-upload, never resumed.
make_package "$WORK/case" "killed refer" "$MIB"
spoke "$COORD" refer --to "$HOSP_A" --package "$WORK/case" --purpose second_opinion \
	--nationality CN --age-band 50-59 >"$WORK/refer.log" 2>&1 &
pid=$!
wait_for "chunks at the hub" hub_has 3
kill9 "$pid"
ID=$(sql "SELECT referral_id FROM referrals WHERE referrer = '$COORD' AND state = 'receiving'")
[ -n "$ID" ] || fail "no partial referral at the hub"
have=$(sql "SELECT chunks_stored FROM referrals WHERE referral_id = '$ID'")
n=$(sql "SELECT chunk_count FROM referrals WHERE referral_id = '$ID'")
[ "$have" -lt "$n" ] || fail "the upload ended before the kill ($have of $n chunks)"
pass "refer killed with $have of $n chunks at the hub"
assert_eq "$(sql "SELECT count(*) FROM referral_chunks WHERE referral_id = '$ID'")" "$have" "the partial ciphertext is kept: $have chunk rows"
assert_eq "$(api_state "$ID" "$T_C")" "sending -" "API, coordinator: the partial referral is sending"
assert_eq "$(api_state "$ID" "$T_H")" "sending -" "API, hospital: the partial referral addressed to it is sending"
out=$(spoke "$HOSP_A" inbox 2>&1) || fail "inbox: $out"
case "$out" in *"$ID"*) fail "the partial referral is in the receiver's inbox: $out" ;; esac
pass "the partial referral is not in the receiver's inbox"

# 3. The retention purge: the partial referral 3 days old, retention 2.
sql "UPDATE referrals SET created_at = created_at - interval '3 days' WHERE referral_id = '$ID'" >/dev/null
out=$("$CTL_BIN" referrals purge --db "$DSN" --days 2 2>&1) || fail "purge: $out"
assert_contains "$out" "deleted: 1 referral(s), $have chunk(s)" "the purge deletes the partial referral's $have chunk(s)"
assert_eq "$(sql "SELECT count(*) FROM referral_chunks WHERE referral_id = '$ID'")" 0 "no partial ciphertext left"
assert_eq "$(sql "SELECT state || ' ' || chunks_deleted_reason || ' ' || (chunks_deleted_at IS NOT NULL) FROM referrals WHERE referral_id = '$ID'")" \
	"receiving retention true" "the referral says when and why"
assert_eq "$(api_state "$ID" "$T_C")" "expired retention" "API, coordinator: the partial referral is expired (retention)"
get /api/v1/referrals
assert_eq "$STATUS" 403 "ministry: GET /api/v1/referrals refused (its figures are the portfolio's)"
assert_eq "$(sql "SELECT count(*) FROM referral_chunks WHERE referral_id = '$FRESH'")" "$FRESH_N" \
	"the fresh referral keeps its $FRESH_N chunk(s)"
assert_eq "$(api_state "$FRESH" "$T_C")" "sent -" "API: the fresh referral is still sent"
out=$("$CTL_BIN" referrals purge --db "$DSN" --days 2 2>&1) || fail "purge again: $out"
assert_contains "$out" "deleted: 0 referral(s), 0 chunk(s)" "a second purge finds nothing"

# 4. The killed sender drained after all: every late chunk refused for
# good, the reason named, nothing stored.
pending=$(find "$WORK/$COORD/outbox/pending" -name '*.env' | wc -l)
[ "$pending" -gt 0 ] || fail "the killed sender left nothing pending"
"$SPOKE_BIN" run --once --outbox "$WORK/$COORD/outbox" --hub "$NNG_URL" --ca "$PKI/ca.pem" \
	--crl "$PKI/crl.pem" --cert "$PKI/issued/$COORD.pem" --key "$PKI/issued/$COORD.key" \
	--timeout 10000 --attempts 2 >"$WORK/drain.log" 2>&1 || true
assert_eq "$(sql "SELECT count(*) FROM referral_chunks WHERE referral_id = '$ID'")" 0 "the late chunks store nothing"
assert_eq "$(sql "SELECT chunks_stored FROM referrals WHERE referral_id = '$ID'")" "$have" "the counter does not move"
reasons=$(cat "$WORK/$COORD/outbox/rejected/"*.reason 2>/dev/null || true)
assert_contains "$reasons" "referral $ID: its ciphertext left the hub" "a late chunk's refusal names the referral"
assert_contains "$reasons" "retention: deleted by the purge, incomplete, $have of $n chunks had come" \
	"a late chunk's refusal says why"
assert_eq "$(find "$WORK/$COORD/outbox/pending" -name '*.env' | wc -l)" 0 "the refused chunks are not retried"
assert_eq "$(api_state "$ID" "$T_C")" "expired retention" "API: still expired"

# 5. The fresh referral, untouched by the purge, arrives whole.
out=$(spoke "$HOSP_A" inbox --fetch "$FRESH" --out "$WORK/recv" 2>&1) || fail "fetch (fresh): $out"
assert_eq "$(sums "$WORK/recv")" "$(sums "$WORK/fresh")" "the fresh referral arrives whole after the purge"
