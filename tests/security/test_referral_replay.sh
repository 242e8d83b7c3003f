#!/usr/bin/env bash
# Issue 15: a captured ReferralChunk envelope replayed to the hub.
#
# The envelope is taken byte for byte as the referrer signed it (the hub
# keeps it so until delivery: referral_chunks.envelope) and sent again
# with ibx-testpeer over mutual TLS, by the referrer's connection and by
# another organisation's (an eavesdropper with a certificate of its own):
#
#   - before delivery the replay is idempotent: the Ack is duplicate,
#     nothing is stored again (chunk rows, accepted chunks in the message
#     log, the referral's counter and state are unchanged);
#   - after the receiver fetched the package, signed 'delivered' and the
#     hub deleted the ciphertext, the replay is refused for good
#     (invalid, the reason names the delivery) and stores nothing: no
#     chunk row comes back, the referral stays delivered.
#
# The Referral envelope itself replayed before delivery is a duplicate
# too, and after delivery it stays refused.  The test can fail: the same
# counts are checked to move when the real transfer stores.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/referral_lib.sh"

ref_setup
spoke "$HOSP_A" keys rotate >/dev/null 2>&1 || fail "A keys rotate"
make_package "$WORK/case" "replay test" 2
out=$(spoke "$COORD" refer --to "$HOSP_A" --package "$WORK/case" --purpose second_opinion \
	--nationality VN --age-band 40-49 2>&1) || fail "refer: $out"
ID=$(referral_id "$out")
[ -n "$ID" ] || fail "no referral id in: $out"
N=$(sql "SELECT chunk_count FROM referrals WHERE referral_id = '$ID'")
[ "$N" -ge 3 ] || fail "the package has $N chunk(s), 3 or more wanted"
assert_eq "$(sql "SELECT count(*) FROM referral_chunks WHERE referral_id = '$ID'")" "$N" "the transfer stored each of the $N chunks"

# capture IDX FILE: the chunk's envelope exactly as the referrer signed it.
capture() {
	sql "SELECT encode(envelope, 'hex') FROM referral_chunks WHERE referral_id = '$ID' AND idx = $1" |
		xxd -r -p >"$2"
	[ -s "$2" ] || fail "chunk $1 not captured"
}
capture 1 "$WORK/chunk1.env"
capture $((N - 1)) "$WORK/chunk_last.env"
sql "SELECT encode(envelope, 'hex') FROM referrals WHERE referral_id = '$ID'" | xxd -r -p >"$WORK/referral.env"

# replay FILE ORG: send the captured bytes over ORG's mutual-TLS
# connection; prints the Ack line.
replay() {
	"$PEER_BIN" send --hub "$NNG_URL" --file "$1" --cert "$PKI/issued/$2.pem" \
		--key "$PKI/issued/$2.key" --ca "$PKI/ca.pem" 2>&1 || true
}
# stored: what a chunk stored would change, in one line.
stored() {
	sql "SELECT (SELECT count(*) FROM referral_chunks WHERE referral_id = '$ID') || ' rows, ' ||
		(SELECT count(*) FROM message_log WHERE payload_type = 8 AND outcome = 'accepted'
			AND reason LIKE '% of $ID') || ' accepted, ' ||
		(SELECT chunks_stored || ' counted, ' || state FROM referrals WHERE referral_id = '$ID') || ', ' ||
		(SELECT count(*) FROM referral_events WHERE referral_id = '$ID') || ' events'"
}

# 1. Before delivery: idempotent.
before=$(stored)
assert_eq "$before" "$N rows, $N accepted, $N counted, sent, 1 events" "the hub before the replays"
for org in "$COORD" "$HOSP_B"; do
	for f in chunk1 chunk_last; do
		ack=$(replay "$WORK/$f.env" "$org")
		assert_contains "$ack" "status=duplicate" "before delivery, $f replayed over $org's connection: duplicate"
		assert_eq "$(stored)" "$before" "before delivery, $f replayed over $org's connection: nothing stored again"
	done
done
ack=$(replay "$WORK/referral.env" "$COORD")
assert_contains "$ack" "status=duplicate" "the Referral envelope replayed: duplicate"
assert_eq "$(stored)" "$before" "the Referral envelope replayed: nothing stored again"
assert_eq "$(sql "SELECT count(*) FROM referrals")" 1 "one referral at the hub"

# 2. The receiver fetches and signs 'delivered': the ciphertext leaves.
out=$(spoke "$HOSP_A" inbox --fetch "$ID" --out "$WORK/recv" 2>&1) || fail "fetch: $out"
assert_eq "$(sums "$WORK/recv")" "$(sums "$WORK/case")" "the package arrives whole"
assert_eq "$(sql "SELECT state || ' ' || chunks_deleted_reason FROM referrals WHERE referral_id = '$ID'")" \
	"delivered delivered" "delivered, the ciphertext deleted"
after=$(stored)
assert_eq "$after" "0 rows, $N accepted, $N counted, delivered, 2 events" "the hub after delivery"

# 3. After delivery: refused for good, nothing stored.
refusals=$(sql "SELECT count(*) FROM message_log WHERE payload_type = 8 AND outcome <> 'accepted'")
for org in "$COORD" "$HOSP_B"; do
	for f in chunk1 chunk_last; do
		ack=$(replay "$WORK/$f.env" "$org")
		assert_contains "$ack" "status=invalid" "after delivery, $f replayed over $org's connection: refused for good"
		assert_contains "$ack" "referral $ID: its ciphertext left the hub" "after delivery, $f: the reason names the referral"
		assert_contains "$ack" "(delivered: the receiver has every chunk), so no chunk of it is stored again" \
			"after delivery, $f: the reason names the delivery"
		assert_eq "$(stored)" "$after" "after delivery, $f replayed over $org's connection: nothing stored"
	done
done
ack=$(replay "$WORK/referral.env" "$HOSP_B")
case "$ack" in
*status=accepted*) fail "after delivery, the Referral envelope replayed was taken: $ack" ;;
esac
assert_eq "$(stored)" "$after" "after delivery, the Referral envelope replayed: nothing stored"
assert_eq "$(sql "SELECT state FROM referrals WHERE referral_id = '$ID'")" delivered "the referral stays delivered"
assert_eq "$(sql "SELECT count(*) FROM referral_chunks")" 0 "no ciphertext at the hub"
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE payload_type = 8 AND outcome <> 'accepted'")" \
	"$((refusals + 4))" "each refused replay is in the hub's message log"
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE payload_type = 8 AND envelope IS NOT NULL")" 0 \
	"the message log keeps no chunk's bytes"

# 4. The receiver still has its folder; a second fetch finds nothing to
# fetch at the hub and says why.
rc=0
out=$(spoke "$HOSP_A" inbox --fetch "$ID" --out "$WORK/recv2" 2>&1) || rc=$?
[ "$rc" -ne 0 ] || fail "a second fetch after delivery succeeded: $out"
[ ! -e "$WORK/recv2" ] || fail "a second fetch after delivery wrote files"
pass "a second fetch after delivery is refused (exit $rc) and writes nothing"
