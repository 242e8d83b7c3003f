#!/usr/bin/env bash
# Issue 15: kill -9 of the sender, the hub or the receiver in the middle
# of a transfer, then a restart: the package arrives once and whole (every
# file's SHA-256), every chunk is stored once at the hub, and no chunk the
# sender had acknowledged (in its journal and gone from pending/ when it
# was killed) is sent again: counted in the hub's message log.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/referral_lib.sh"

ref_setup
spoke "$HOSP_A" keys rotate >/dev/null 2>&1 || fail "A keys rotate"
MIB=${IBX_KILL9_MIB:-24}

# acked_snapshot OUTBOX FROM: the sequences the sender had filed (journal
# lines after the first FROM, not pending) at the moment it was killed.
acked_snapshot() {
	local ob=$1 from=$2 s
	[ -f "$ob/acknowledged.log" ] || return 0
	tail -n +"$((from + 1))" "$ob/acknowledged.log" | cut -f1 | sort -u | while read -r s; do
		[ -e "$ob/pending/$(printf %020d "$s").env" ] || echo "$s"
	done
}
# resent_acked FILE: how many of those sequences reached the hub twice.
resent_acked() {
	local n=0 s
	while read -r s; do
		[ "$(sql "SELECT count(*) FROM message_log WHERE sender_id = '$COORD' AND sequence = $s")" = 1 ] || n=$((n + 1))
	done <"$1"
	echo "$n"
}
drain_sender() {
	"$SPOKE_BIN" run --once --outbox "$WORK/$COORD/outbox" --hub "$NNG_URL" --ca "$PKI/ca.pem" \
		--crl "$PKI/crl.pem" --cert "$PKI/issued/$COORD.pem" --key "$PKI/issued/$COORD.key" \
		--timeout 10000 --attempts 3 >"$WORK/drain.log" 2>&1
}
check_whole() { # ID CASE WHAT
	local id=$1
	assert_eq "$(sql "SELECT state || ' ' || chunks_stored || '/' || chunk_count FROM referrals WHERE referral_id = '$id'")" \
		"sent $(sql "SELECT chunk_count || '/' || chunk_count FROM referrals WHERE referral_id = '$id'")" "$3: every chunk stored"
	assert_eq "$(sql "SELECT count(*) FROM message_log WHERE payload_type = 8 AND status = 1 AND reason LIKE '% of $id'")" \
		"$(sql "SELECT chunk_count FROM referrals WHERE referral_id = '$id'")" "$3: each chunk accepted exactly once"
}

# 1. The sender killed mid-transfer, then its agent drains the outbox.
make_package "$WORK/case1" "kill9 sender" "$MIB"
spoke "$COORD" refer --to "$HOSP_A" --package "$WORK/case1" --purpose treatment \
	--nationality CN --age-band 40-49 >"$WORK/refer1.log" 2>&1 &
pid=$!
wait_for "chunks at the hub" hub_has 3
kill9 "$pid"
acked_snapshot "$WORK/$COORD/outbox" 0 >"$WORK/acked1"
stored=$(partial_chunks)
[ "$stored" -lt "$((MIB + 1))" ] || fail "the transfer ended before the kill"
pass "sender killed with $stored chunk(s) at the hub, $(wc -l <"$WORK/acked1") envelope(s) acknowledged"
ID1=$(referral_id "$(cat "$WORK/refer1.log")")
[ -n "$ID1" ] || fail "no referral id in: $(cat "$WORK/refer1.log")"
drain_sender || fail "the agent's drain after the kill: $(cat "$WORK/drain.log")"
check_whole "$ID1" case1 "after the sender's kill"
assert_eq "$(resent_acked "$WORK/acked1")" 0 "no acknowledged envelope was sent again"

# 2. The hub killed mid-transfer and restarted on the same ports.
make_package "$WORK/case2" "kill9 hub" "$MIB"
before=$(wc -l <"$WORK/$COORD/outbox/acknowledged.log")
REF_TIMEOUT=2000 REF_ATTEMPTS=1 spoke "$COORD" refer --to "$HOSP_A" --package "$WORK/case2" \
	--purpose treatment --nationality CN --age-band 40-49 >"$WORK/refer2.log" 2>&1 &
pid=$!
wait_for "chunks at the hub" hub_has 3
kill -9 "$HUB_PID"
wait "$HUB_PID" 2>/dev/null || true
rc=0
wait "$pid" || rc=$?
assert_eq "$rc" 3 "the sender finds no hub and leaves the rest in its outbox"
acked_snapshot "$WORK/$COORD/outbox" "$before" >"$WORK/acked2"
# The spokes keep the nng address; the API may move to a new free port
# (another test may have taken the old one meanwhile: failed once in CI).
HTTP_PORT=$(ibx_free_port)
API=http://127.0.0.1:$HTTP_PORT
"$HUB_BIN" serve "${HUB_DB_ARGS[@]}" --listen "$NNG_URL" --cert "$PKI/hub/hub.pem" --key "$PKI/hub/hub.key" \
	--http "127.0.0.1:$HTTP_PORT" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem" --web "$IBX_SOURCE/hub/web" 2>>"$WORK/hub.log" &
HUB_PID=$!
HUB_PIDS+=("$HUB_PID")
wait_for "the hub again" curl -fsS "$API/healthz" -o /dev/null 2>/dev/null
ID2=$(referral_id "$(cat "$WORK/refer2.log")")
drain_sender || fail "the drain after the hub's restart: $(cat "$WORK/drain.log")"
check_whole "$ID2" case2 "after the hub's kill"
assert_eq "$(resent_acked "$WORK/acked2")" 0 "no acknowledged envelope was sent again"

# 3. The receiver killed mid-fetch; the next fetch resumes.
spoke "$HOSP_A" inbox --fetch "$ID1" --out "$WORK/recv1" >"$WORK/fetch1.log" 2>&1 &
pid=$!
fetched() { [ "$(find "$WORK/$HOSP_A/state/incoming/$ID1" -name '*.chunk' 2>/dev/null | wc -l)" -ge 3 ]; }
wait_for "chunks at the receiver" fetched
kill9 "$pid"
have=$(find "$WORK/$HOSP_A/state/incoming/$ID1" -name '*.chunk' | wc -l)
[ ! -e "$WORK/recv1" ] || fail "the killed fetch left a half-written folder"
out=$(spoke "$HOSP_A" inbox --fetch "$ID1" --out "$WORK/recv1" 2>&1) || fail "the fetch after the kill: $out"
assert_contains "$out" "$have here before" "the fetch resumes with the $have chunk(s) it had"
assert_eq "$(sums "$WORK/recv1")" "$(sums "$WORK/case1")" "the package arrives whole"
spoke "$HOSP_A" inbox --fetch "$ID2" --out "$WORK/recv2" >/dev/null 2>&1 || fail "fetch of the second referral"
assert_eq "$(sums "$WORK/recv2")" "$(sums "$WORK/case2")" "the second package arrives whole"
assert_eq "$(sql "SELECT count(*) FROM referral_events WHERE state = 'delivered'")" 2 "each package delivered exactly once"
assert_eq "$(sql "SELECT count(*) FROM referral_chunks")" 0 "no ciphertext left at the hub"
