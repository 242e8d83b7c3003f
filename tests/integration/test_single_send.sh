#!/usr/bin/env bash
# A test peer sends one copy (tests/tools/testpeer.c, send): nng's REQ
# socket used to send the request again after 1 s without a reply, so a
# hub slower than that under CI load got a second copy, answered it
# "duplicate", and a test expecting "accepted" could read that answer.
# ibx-testpeer now turns nng's resend off (ibx_req_client_set_resend,
# proto/transport).  Here the hub is made slow for 3 s (the sender's
# organisation row is locked, so its store waits) while the request is in
# flight: the peer gets "accepted", and the hub saw one copy, nothing
# answered "duplicate".  A control run with resending on (1 s) shows the
# copies the hub used to get, so the test can fail.
. "$(dirname "$0")/lib.sh"
db_create
H=3910118128
identity $H >/dev/null
hub_start
# slow_send SEQ [env...]: send a listing with sequence SEQ while H's row
# is locked for 3 s; sets OUT (the peer's answer) and SECONDS_TAKEN (ms).
slow_send() {
	local seq=$1 t0 lock
	shift
	forge "$WORK/e$seq.env" $H --listing "$EXAMPLE" --seq "$seq"
	psql -h 127.0.0.1 -p "$IBX_PG_PORT" -U inbound -d "$DB_NAME" -qtAX \
		-c "BEGIN; SELECT 1 FROM organisations WHERE code = '$H' FOR UPDATE; SELECT pg_sleep(3); COMMIT;" >/dev/null &
	lock=$!
	# The lock is held before the request leaves.
	for i in $(seq 1 100); do
		[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB_NAME' AND query LIKE '%pg_sleep(3)%' AND state = 'active' AND pid <> pg_backend_pid()")" -ge 1 ] && break
		sleep 0.05
	done
	t0=$(date +%s%N)
	OUT=$(env IBX_TESTPEER_TIMEOUT_MS=15000 "$@" "$PEER_BIN" send --hub "$NNG_URL" --file "$WORK/e$seq.env")
	SECONDS_TAKEN=$((($(date +%s%N) - t0) / 1000000))
	wait "$lock"
}
rows() { # SEQ OUTCOME
	sql "SELECT count(*) FROM message_log WHERE sender_id = '$H' AND sequence = $1 AND outcome = '$2'"
}

slow_send 1000
assert_contains "$OUT" "status=accepted" "the slow hub's answer is accepted"
[ "$SECONDS_TAKEN" -ge 1500 ] || fail "the hub was not slow: answered in $SECONDS_TAKEN ms"
pass "the answer took $SECONDS_TAKEN ms (the old resend came after 1000 ms)"
assert_eq "$(rows 1000 accepted)" 1 "stored once"
assert_eq "$(rows 1000 duplicate)" 0 "the hub got one copy: none answered duplicate"

# Control: with nng's resend on (every second), the same slow hub gets
# copies and answers them "duplicate".
slow_send 1001 IBX_TESTPEER_RESEND_MS=1000
assert_eq "$(rows 1001 accepted)" 1 "control: stored once"
[ "$(rows 1001 duplicate)" -ge 1 ] || fail "control: resending sent no second copy (the test above proves nothing)"
pass "control: with resending on, the hub answered $(rows 1001 duplicate) copies duplicate"
