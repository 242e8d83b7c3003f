#!/usr/bin/env bash
# "Retry later" after a COMMIT that took (it_faults once reported "stored
# but never acknowledged: 1"): PostgreSQL was killed at the COMMIT's
# answer, the hub answered "retry later", and the agent sealed the
# envelope again under a new sequence (or dropped it as superseded) while
# the ones behind it went; the stored original was never acknowledged,
# and its content was stored twice.  Now the held envelope keeps its
# sequence and bytes and is sent again as it is after the others: the hub
# answers "duplicate", and the agent files that.  Only a "replay" (its
# sequence passed, nothing stored) makes the agent seal it again.
#
# The hub's test hooks (hub/intake/intake.c, -DIBX_TEST_HOOKS=ON) make it
# deterministic: IBX_HUB_LOSE_ACK=N answers the N-th accepted envelope
# "retry later" after its commit; IBX_HUB_RETRY_BEFORE=N answers the N-th
# request "retry later" without storing it.  Each agent pass is a new
# process (run --once), so what the agent knows of a passed envelope must
# be on disk (DIR/passed/).
. "$(dirname "$0")/lib.sh"
db_create
H=3910118128
case "$("$SPOKE_BIN" --version)" in
*"test hooks"*) ;;
*) fail "$SPOKE_BIN has no test hooks: configure with -DIBX_TEST_HOOKS=ON" ;;
esac
identity $H >/dev/null
DOWN=tcp://127.0.0.1:$(ibx_free_port)
ID=(--insecure-tcp --cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key")
spoke() {
	set +e
	OUT=$("$SPOKE_BIN" "$@" 2>&1)
	RC=$?
	set -e
}
pending() { find "$1/pending" -name '*.env' 2>/dev/null | wc -l; }
rejected() { find "$1/rejected" -name '*.env' 2>/dev/null | wc -l; }
# acked DIR: "SEQ STATUS" of every acknowledged envelope (the last line of
# each sequence, as a reader of the journal takes it).
acked() { awk -F'\t' 'NF == 10 { s[$1] = $2 } END { for (k in s) print k, s[k] }' "$1/acknowledged.log" | sort; }
# The checker's questions (tests/faults/check.sh) for sender H and its
# outboxes DIR...
stored_unacked() {
	local seqs d
	seqs=$(for d in "$@"; do awk -F'\t' 'NF == 10 { print $1 }' "$d/acknowledged.log"; done | sort -u | paste -sd, -)
	sql "SELECT count(*) FROM message_log WHERE sender_id = '$H' AND outcome = 'accepted' AND sequence NOT IN (${seqs:-0})"
}
acked_lost() {
	local n=0 seq digest
	while IFS=$'\t' read -r seq _ _ _ _ _ _ _ digest _; do
		[ "$(sql "SELECT count(*) FROM message_log WHERE sender_id = '$H' AND sequence = $seq AND outcome = 'accepted' AND encode(digest, 'hex') = '$digest'")" = 1 ] ||
			n=$((n + 1))
	done < <(awk -F'\t' 'NF == 10' "$1/acknowledged.log")
	echo $n
}
stored_twice() {
	sql "SELECT (SELECT count(*) FROM (SELECT 1 FROM message_log WHERE sender_id = '$H' AND outcome = 'accepted' GROUP BY sequence HAVING count(*) > 1) a) + (SELECT count(*) FROM (SELECT 1 FROM message_log WHERE sender_id = '$H' AND outcome = 'accepted' GROUP BY digest HAVING count(*) > 1) b)"
}
seq_of() { # DIR N: the sequence of the N-th pending envelope (from 1)
	find "$1/pending" -name '*.env' -printf '%f\n' | sort | sed -n "${2}p" | sed 's/\.env$//; s/^0*//'
}

# 1. The COMMIT took, its answer was lost.  Four envelopes wait (no hub
# yet): listing 1, nil reports for January and February, listing 2.  The
# hub answers the 1st and the 3rd it accepts (listing 1, February)
# "retry later" after committing them.
OB=$WORK/outbox
L2=$WORK/listing2.json
edit_json "$EXAMPLE" "$L2" '.beds = 321'
spoke publish --listing "$EXAMPLE" --outbox "$OB" --hub "$DOWN" "${ID[@]}" --timeout 300 --attempts 1
assert_eq "$RC" 3 "listing 1 waits in the outbox"
for p in 2026-01 2026-02; do
	spoke stats --nil --period $p --outbox "$OB" --hub "$DOWN" "${ID[@]}" --timeout 300 --attempts 1
	assert_eq "$RC" 3 "the nil report for $p waits in the outbox"
done
spoke publish --listing "$L2" --outbox "$OB" --hub "$DOWN" "${ID[@]}" --timeout 300 --attempts 1
assert_eq "$(pending "$OB")" 4 "four envelopes pending"
S1=$(seq_of "$OB" 1) S3=$(seq_of "$OB" 3)

IBX_HUB_LOSE_ACK=1,3 hub_start
spoke run --once --outbox "$OB" --hub "$NNG_URL" "${ID[@]}" --timeout 5000
echo "$OUT" >"$WORK/pass1.log"
assert_eq "$(grep -c 'IBX_HUB_LOSE_ACK' "$WORK/hub.log")" 2 "the hub stored two envelopes and answered them \"retry later\""
assert_eq "$RC" 3 "the first pass ends with the two held envelopes pending"
assert_eq "$(pending "$OB")" 2 "listing 1 and February wait"
assert_eq "$(seq_of "$OB" 1) $(seq_of "$OB" 2)" "$S1 $S3" "with their own sequences: nothing was sealed again"
assert_eq "$(find "$OB/passed" -type f | wc -l)" 2 "both are recorded as passed, on disk"
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE sender_id = '$H' AND outcome = 'accepted'")" 4 "the hub holds all four"

# The second pass is a new process: it knows the passing from disk only.
spoke run --once --outbox "$OB" --hub "$NNG_URL" "${ID[@]}" --timeout 5000
echo "$OUT" >"$WORK/pass2.log"
assert_eq "$RC" 0 "the second pass empties the outbox"
assert_eq "$(acked "$OB" | grep -c duplicate)" 2 "the two held envelopes are acknowledged as duplicates"
assert_contains "$(acked "$OB")" "$S1 duplicate" "listing 1's own sequence is acknowledged"
assert_contains "$(acked "$OB")" "$S3 duplicate" "February's own sequence is acknowledged"
assert_eq "$(acked "$OB" | wc -l)" 4 "four envelopes acknowledged"
assert_eq "$(stored_unacked "$OB")" 0 "stored but never acknowledged: 0"
assert_eq "$(acked_lost "$OB")" 0 "acknowledged but not stored: 0"
assert_eq "$(stored_twice)" 0 "nothing stored twice"
assert_eq "$(rejected "$OB")" 0 "nothing rejected"
[ ! -s "$OB/superseded.log" ] || fail "nothing may be dropped as superseded: $(cat "$OB/superseded.log")"
pass "listing 1 was not dropped as superseded by listing 2"
assert_eq "$(find "$OB/passed" -type f | wc -l)" 0 "the passed records are gone"
assert_eq "$(sql "SELECT (doc->>'beds') FROM listing_versions WHERE org_code = '$H' AND valid_to IS NULL")" 321 "the current listing is listing 2"
if grep -q 'sealed again' "$WORK/pass1.log" "$WORK/pass2.log"; then fail "nothing is sealed again"; fi
pass "nothing is sealed again"
kill "$HUB_PID"
wait "$HUB_PID" 2>/dev/null || true

# 2. "Retry later" before anything was stored: March and listing 3 are
# answered so, April goes; sent again after it, each is a replay (nothing
# stored), so each is sealed again with a new sequence and delivered once,
# the listing's copy for the page following it.
OB2=$WORK/outbox2
L3=$WORK/listing3.json
edit_json "$EXAMPLE" "$L3" '.beds = 333'
spoke stats --nil --period 2026-03 --outbox "$OB2" --hub "$DOWN" "${ID[@]}" --timeout 300 --attempts 1
spoke run --once --outbox "$OB2" --listing "$L3" --hub "$DOWN" "${ID[@]}" --timeout 300
spoke stats --nil --period 2026-04 --outbox "$OB2" --hub "$DOWN" "${ID[@]}" --timeout 300 --attempts 1
assert_eq "$(pending "$OB2")" 3 "March, listing 3 and April pending"
M=$(seq_of "$OB2" 1) L=$(seq_of "$OB2" 2)
[ -f "$OB2/listings/$L.json" ] || fail "listing 3's copy for the page is kept"
IBX_HUB_RETRY_BEFORE=1,2 hub_start
spoke run --once --outbox "$OB2" --hub "$NNG_URL" "${ID[@]}" --timeout 5000
assert_eq "$RC" 3 "March and listing 3 wait after the first pass"
assert_eq "$(seq_of "$OB2" 1) $(seq_of "$OB2" 2)" "$M $L" "with their own sequences"
spoke run --once --outbox "$OB2" --hub "$NNG_URL" "${ID[@]}" --timeout 5000
echo "$OUT" >"$WORK/pass3.log"
assert_eq "$(grep -c "sealed again as" "$WORK/pass3.log")" 2 "sent again, both were replays and are sealed again"
for s in $M $L; do
	assert_eq "$(sql "SELECT string_agg(outcome, ',') FROM message_log WHERE sender_id = '$H' AND sequence = $s")" "replayed sequence" \
		"sequence $s was refused as a replay, nothing stored"
done
[ ! -f "$OB2/listings/$L.json" ] || fail "listing 3's copy followed the new sequence"
for i in 1 2 3; do
	[ "$(pending "$OB2")" -eq 0 ] && break
	spoke run --once --outbox "$OB2" --hub "$NNG_URL" "${ID[@]}" --timeout 5000
done
assert_eq "$(pending "$OB2")" 0 "the outbox empties"
assert_eq "$(rejected "$OB2")" 0 "nothing rejected"
assert_eq "$(sql "SELECT count(*) FROM statistics_submissions WHERE org_code = '$H' AND period = '2026-03-01'")" 1 "March is stored once"
assert_eq "$(sql "SELECT count(*) FROM listing_versions WHERE org_code = '$H' AND (doc->>'beds')::int = 333")" 1 "listing 3 is stored once"
assert_eq "$(sql "SELECT (doc->>'beds') FROM listing_versions WHERE org_code = '$H' AND valid_to IS NULL")" 333 "and is the current listing"
assert_eq "$(jq -r .beds "$OB2/listing.acknowledged.json")" 333 "the page's copy of the acknowledged listing is listing 3"
assert_eq "$(stored_unacked "$OB" "$OB2")" 0 "stored but never acknowledged: 0"
assert_eq "$(stored_twice)" 0 "nothing stored twice"
