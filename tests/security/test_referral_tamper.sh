#!/usr/bin/env bash
# Issue 15: the hub (or whoever holds its database) tampers with the
# ciphertext it forwards: a flipped byte in a chunk, two chunks swapped,
# a chunk removed, a flipped byte in the sealed key.  The receiving spoke
# refuses each (the referrer's signature, the index, the stream), writes
# nothing to --out, and does not send 'delivered'; with the rows put back
# the package arrives whole (the test can fail).  The cryptography's own
# refusals (a flipped byte, a reordered or truncated stream under a valid
# signature) are tests/unit/package_test.c's.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/referral_lib.sh"

ref_setup
spoke "$HOSP_A" keys rotate >/dev/null 2>&1 || fail "A keys rotate"
make_package "$WORK/case" "tamper test" 2
out=$(spoke "$COORD" refer --to "$HOSP_A" --package "$WORK/case" --purpose second_opinion \
	--nationality CN --age-band 30-39 2>&1) || fail "refer: $out"
ID=$(referral_id "$out")
sql "CREATE TABLE saved_chunks AS SELECT * FROM referral_chunks; CREATE TABLE saved_referrals AS SELECT * FROM referrals" >/dev/null
restore() {
	sql "DELETE FROM referral_chunks; INSERT INTO referral_chunks SELECT * FROM saved_chunks;
	     UPDATE referrals r SET envelope = s.envelope FROM saved_referrals s WHERE r.referral_id = s.referral_id;
	     UPDATE referral_events e SET envelope = s.envelope FROM saved_referrals s
	     WHERE e.referral_id = s.referral_id AND e.kind = 'referral'" >/dev/null
	rm -rf "$WORK/$HOSP_A/state/incoming"
}
refused() { # WHAT EXPECTED-REASON
	local rc=0 out
	out=$(spoke "$HOSP_A" inbox --fetch "$ID" --out "$WORK/out" 2>&1) || rc=$?
	assert_eq "$rc" 1 "$1: the receiver refuses"
	assert_contains "$out" "$2" "$1: the reason"
	[ ! -e "$WORK/out" ] || fail "$1: files were written"
	assert_eq "$(sql "SELECT state FROM referrals WHERE referral_id = '$ID'")" sent "$1: not delivered"
	restore
}

# A flipped byte in the ciphertext of chunk 1 (inside its signed envelope).
sql "UPDATE referral_chunks SET envelope = set_byte(envelope, length(envelope) - 200,
	get_byte(envelope, length(envelope) - 200) # 1) WHERE referral_id = '$ID' AND idx = 1" >/dev/null
refused "a flipped byte in a chunk" "signature does not verify"

# Chunks 0 and 1 swapped (each still the referrer's signed envelope).
sql "UPDATE referral_chunks c SET envelope = s.envelope FROM saved_chunks s
	WHERE c.referral_id = s.referral_id AND c.idx IN (0, 1) AND s.idx = 1 - c.idx" >/dev/null
refused "two chunks swapped" "not chunk 0 of this referral"

# The last chunk removed: the package would end without its final chunk.
sql "DELETE FROM referral_chunks WHERE referral_id = '$ID' AND idx = (SELECT max(idx) FROM referral_chunks)" >/dev/null
refused "the last chunk removed" "no referral $ID with chunk"

# A flipped byte in the sealed content key: the Referral's own signature
# fails, so the spoke does not even list it for fetching.
# Referral fields 3 (key_id) then 4 (sealed_key, 80 bytes): the byte
# pattern 0x1a 0x10 KEYID 0x22 0x50 is followed by the sealed key.
sql "UPDATE referral_events e SET envelope = set_byte(e.envelope, p + 29, get_byte(e.envelope, p + 29) # 1)
	FROM (SELECT referral_id, position(('\\x1a10'::bytea || convert_to(key_id, 'UTF8') || '\\x2250'::bytea)
		in envelope) AS p FROM referrals) r
	WHERE e.referral_id = r.referral_id AND e.kind = 'referral' AND r.p > 0" >/dev/null
[ "$(sql "SELECT count(*) FROM referral_events e JOIN saved_referrals s USING (referral_id) WHERE e.kind = 'referral' AND e.envelope <> s.envelope")" = 1 ] ||
	fail "the sealed key was not found in the referral's envelope"
refused "a changed referral (its sealed key)" "does not verify"

out=$(spoke "$HOSP_A" inbox --fetch "$ID" --out "$WORK/out" 2>&1) || fail "fetch of the genuine rows: $out"
assert_eq "$(sums "$WORK/out")" "$(sums "$WORK/case")" "the genuine package arrives whole"
