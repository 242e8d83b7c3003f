#!/usr/bin/env bash
# Group commit of listing updates (issue 18, hub/intake/batch.c): many
# spokes at once, their updates stored several to a transaction, and every
# guarantee of one transaction per update kept: each accepted update is
# stored once with its version, a refused one (a certificate not enrolled,
# a replay) stores nothing and does not disturb the accepted ones it shared
# a transaction with, and updates sent again with sequences already
# accepted are refused as replays, all at once, storing nothing.
. "$(dirname "$0")/lib.sh"
db_create
BENCH_BIN=$IBX_BUILD/tests/bench/bench_hub
n=12 per=15
"$DATAGEN_BIN" listings --data "$IBX_SOURCE/deploy/data" --out "$WORK/listings" --seed 7 >/dev/null 2>&1
ls "$WORK/listings" | sed -n 's/\.json$//p' | awk -v k=$((n + 1)) 'NR <= k' >"$WORK/all.codes"
head -$n "$WORK/all.codes" >"$WORK/enrolled.codes"
stranger=$(tail -1 "$WORK/all.codes")
while read -r code; do identity "$code" >/dev/null 2>&1; done <"$WORK/enrolled.codes"
# issued by the national CA, never enrolled at the hub
"$IBX_SOURCE/deploy/pki/issue.sh" "$PKI" "$stranger" hospital >/dev/null 2>&1
hub_start --workers 8 --group-commit 2

# n enrolled spokes and the stranger at once, each per updates in a row.
seq0=$(($(date +%s) * 1000))
"$BENCH_BIN" burst --hub "$NNG_URL" --dir "$WORK/listings" --pki "$PKI" \
	--codes "$WORK/all.codes" --n "$per" --seq0 "$seq0" >"$WORK/burst1" 2>"$WORK/burst1.err" || true
assert_eq "$(sed -n 's/^accepted=//p' "$WORK/burst1")" $((n * per)) "every enrolled spoke's update accepted"
assert_eq "$(sed -n 's/^refused=//p' "$WORK/burst1")" "$per" "every update of the stranger refused"
assert_contains "$(cat "$WORK/burst1.err")" "certificate: $stranger is not enrolled at the hub" "refused for its enrolment, named"
in_list=$(sed "s/.*/'&'/" "$WORK/enrolled.codes" | paste -sd,)
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE outcome = 'accepted' AND sender_id IN ($in_list)")" $((n * per)) "one accepted message-log row per update"
assert_eq "$(sql "SELECT count(*) FROM listing_versions WHERE org_code IN ($in_list)")" $((n * per)) "one version per update"
assert_eq "$(sql "SELECT count(DISTINCT (org_code, version)) FROM listing_versions WHERE org_code IN ($in_list)")" $((n * per)) "versions distinct"
assert_eq "$(sql "SELECT count(*) FROM organisations WHERE code IN ($in_list) AND last_sequence = $((seq0 + per - 1))")" "$n" "every sequence accepted up to the last"
assert_eq "$(sql "SELECT count(*) FROM hospital_listings WHERE org_code IN ($in_list) AND version = $per")" "$n" "search rows at the last version"
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE sender_id = '$stranger' AND outcome = 'accepted'") $(sql "SELECT count(*) FROM listing_versions WHERE org_code = '$stranger'")" "0 0" "nothing of the stranger stored"
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE sender_id = '$stranger' AND outcome = 'bad certificate'")" "$per" "the stranger's refusals logged"

# The same sequences again (newly signed, so replays, not duplicates of the
# same bytes), all at once: refused, nothing stored twice.
head -4 "$WORK/enrolled.codes" >"$WORK/again.codes"
"$BENCH_BIN" burst --hub "$NNG_URL" --dir "$WORK/listings" --pki "$PKI" \
	--codes "$WORK/again.codes" --n "$per" --seq0 "$seq0" >"$WORK/burst2" 2>"$WORK/burst2.err" || true
assert_eq "$(sed -n 's/^accepted=//p' "$WORK/burst2") $(sed -n 's/^refused=//p' "$WORK/burst2")" "0 $((4 * per))" "replayed sequences not accepted"
assert_contains "$(cat "$WORK/burst2.err")" "replayed sequence: header: field \"sequence\": sequence $seq0 is not greater than the last accepted $((seq0 + per - 1))" "a replay refused, named"
assert_eq "$(sql "SELECT count(*) FROM listing_versions WHERE org_code IN ($in_list)")" $((n * per)) "nothing stored twice"

# The updates were in fact stored several to a transaction.
kill -TERM "$HUB_PID"
wait "$HUB_PID" 2>/dev/null || true
line=$(grep -o 'group commit: [0-9]* listing updates in [0-9]* transactions' "$WORK/hub.log" | tail -1)
jobs=$(echo "$line" | awk '{ print $3 }') txs=$(echo "$line" | awk '{ print $7 }')
assert_eq "$jobs" $(((n + 1) * per + 4 * per)) "every listing update went through the group commit"
[ -n "$txs" ] && [ "$txs" -lt "$jobs" ] || fail "no transaction held more than one update ($line)"
pass "updates shared transactions: $line"
