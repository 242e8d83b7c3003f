#!/usr/bin/env bash
# Issue 14, finding 3 (the agent's part): one envelope the hub keeps
# answering "retry later" blocked the agent's whole outbox, for ever: the
# agent retried the oldest first and sent nothing behind it.  Now the held
# envelope waits out its own backoff while the others go; after
# --retry-max answers it is set aside in rejected/ with the reason; an
# envelope superseded meanwhile (the same period, accepted later) is never
# sent after its successor (it is dropped, with a line in
# superseded.log).  The held envelope is sent again with its own sequence
# first (the hub may have stored it: it_lost_commit_ack); only the hub's
# "replay" has it sealed again or dropped.  The peer here is a stand-in
# hub holding the hub's key, which signs its "retry later" as the hub
# would, and answers "duplicate" and "replay" as the hub does.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib_trust.sh"
db_create
H=3910118128
identity $H >/dev/null
hub_cert
ID=(--ca "$PKI/ca.pem" --cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key")
DOWN=tls+tcp://127.0.0.1:$(ibx_free_port 20000 12000)
rejected() { find "$1/rejected" -name '*.env' 2>/dev/null | wc -l; }
AGENT=
trap '[ -z "$AGENT" ] || kill "$AGENT" 2>/dev/null || true; for p in "${IMP_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; ibx_cleanup' EXIT

# Stage: statistics for January (the one the hub will hold), February and
# March, then a listing, all waiting in the outbox (no hub up yet).
OB=$WORK/outbox
for p in 2026-01 2026-02 2026-03; do
	spoke stats --nil --period $p --hub "$DOWN" "${ID[@]}" --outbox "$OB" --timeout 300 --attempts 1
	assert_eq "$RC" 3 "statistics for $p wait in the outbox"
done
spoke publish --hub "$DOWN" --listing "$EXAMPLE" "${ID[@]}" --outbox "$OB" --timeout 300 --attempts 1
assert_eq "$(pending "$OB")" 4 "four envelopes pending"

impostor_start "$WORK/hub.log" --cert "$PKI/hub/hub.pem" --key "$PKI/hub/hub.key" --ca "$PKI/ca.pem" \
	--ack retry-period:2026-01
"$SPOKE_BIN" run --outbox "$OB" --hub "$IMP_URL" "${ID[@]}" --interval 1 --timeout 2000 \
	--retry-max 3 2>"$WORK/agent.log" &
AGENT=$!
# The three behind January are delivered while January waits.
for i in $(seq 1 100); do
	[ "$(journal_lines "$OB")" -ge 3 ] && break
	sleep 0.1
done
assert_eq "$(journal_lines "$OB")" 3 "the three envelopes behind the held one are delivered within 10 s"
first=$(grep -m1 -n 'period 2026-01' "$WORK/hub.log" | cut -d: -f1)
last=$(grep -n 'accepted' "$WORK/hub.log" | tail -1 | cut -d: -f1)
[ "$first" -lt "$last" ] || fail "January was asked first, and the others went after it"
pass "January was held while the others went"
# January is set aside after three "retry later" answers, with the reason.
for i in $(seq 1 300); do
	[ "$(rejected "$OB")" -ge 1 ] && break
	sleep 0.1
done
assert_eq "$(rejected "$OB")" 1 "the held envelope is set aside after --retry-max answers"
assert_eq "$(pending "$OB")" 0 "nothing else waits"
assert_contains "$(cat "$OB"/rejected/*.reason)" 'retry later" 3 times' "rejected/ says why"
assert_eq "$(grep -c 'period 2026-01: retry later' "$WORK/hub.log")" 3 "January was tried three times"
assert_eq "$(grep -c 'period 2026-01: replayed sequence' "$WORK/hub.log")" 1 \
	"January was sent again with its own sequence first, answered replay (not stored)"
assert_contains "$(cat "$WORK/agent.log")" "sealed again as" \
	"January was then sealed again with a new sequence, not refused"
assert_eq "$(find "$OB/passed" -type f | wc -l)" 0 "no passed record is left"
kill "$AGENT"
wait "$AGENT" 2>/dev/null || true
AGENT=
impostor_stop

# Superseded: two submissions for April; the hub holds the first, takes
# the second; the first is dropped as superseded, never sent after it.
OB2=$WORK/outbox2
spoke stats --nil --period 2026-04 --hub "$DOWN" "${ID[@]}" --outbox "$OB2" --timeout 300 --attempts 1
spoke stats --nil --period 2026-04 --hub "$DOWN" "${ID[@]}" --outbox "$OB2" --timeout 300 --attempts 1
assert_eq "$(pending "$OB2")" 2 "two April submissions pending"
impostor_start "$WORK/hub2.log" --cert "$PKI/hub/hub.pem" --key "$PKI/hub/hub.key" --ca "$PKI/ca.pem" \
	--ack retry-first:1
"$SPOKE_BIN" run --outbox "$OB2" --hub "$IMP_URL" "${ID[@]}" --interval 1 --timeout 2000 \
	--retry-max 5 2>"$WORK/agent2.log" &
AGENT=$!
for i in $(seq 1 150); do
	[ "$(pending "$OB2")" -eq 0 ] && break
	sleep 0.1
done
assert_eq "$(pending "$OB2")" 0 "the outbox empties"
assert_eq "$(journal_lines "$OB2")" 1 "the later April submission is delivered"
assert_eq "$(rejected "$OB2")" 0 "nothing is refused"
assert_eq "$(wc -l <"$OB2/superseded.log")" 1 "the earlier one is dropped as superseded"
assert_contains "$(cat "$OB2/superseded.log")" "was sealed after it and goes instead" "saying why"
assert_eq "$(grep -c 'accepted' "$WORK/hub2.log")" 1 "the superseded one was never stored after its successor"
assert_eq "$(grep -c 'replayed sequence' "$WORK/hub2.log")" 1 "it was sent again as it was, and answered replay (not stored)"
