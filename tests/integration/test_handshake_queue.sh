#!/usr/bin/env bash
# Issue 18, figure 7: TLS handshakes wait their turn at the hub's port
# (--max-handshakes, proto/transport/guard.c) so that 10,000 spokes coming
# at once are not all in handshakes in nng together, each past its timeout
# before its turn.  A connection that sent a ClientHello beyond the bound
# waits unread, and its handshake timeout runs only once it is let
# through; a silent connection never takes a turn.  Here two turns, a 3 s
# handshake timeout, and peers that stall in the middle of their
# ClientHello: a spoke queued behind two rounds of them waits about 6 s,
# longer than the timeout, and still connects.
. "$(dirname "$0")/lib.sh"
db_create
CONNS_BIN=$IBX_BUILD/tests/bench/bench_conns
code=3800000001
"$IBX_SOURCE/deploy/pki/issue.sh" "$PKI" "$code" hospital >/dev/null 2>&1
echo "$code" >"$WORK/codes"
hub_start_tls --max-handshakes 2 --handshake-timeout 3
# stall: a TLS handshake record announcing 512 bytes, 1 of them sent.
STALLERS=()
stall() {
	( exec 3<>"/dev/tcp/127.0.0.1/$NNG_PORT"; printf '\x16\x03\x01\x02\x00\x01' >&3; sleep 30 ) &
	STALLERS+=($!)
}
# Silent connections (no byte) take no turn.
"$PEER_BIN" idle-tcp --addr "127.0.0.1:$NNG_PORT" --conns 20 --seconds 12 >"$WORK/idle.log" &
IDLE=$!
t0=$(date +%s.%N)
stall; stall
sleep 1.5
stall; stall
sleep 0.5
"$CONNS_BIN" dial --url "$NNG_URL" --pki "$PKI" --codes "$WORK/codes" --ca "$PKI/ca.pem" \
	--n 1 --timeout-s 20 --hold-s 0 >"$WORK/dial.out" 2>"$WORK/dial.err" || true
t1=$(date +%s.%N)
cat "$WORK/dial.out"
assert_eq "$(sed -n 's/^pipes=//p' "$WORK/dial.out")" 1 "the spoke connected"
waited=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
awk -v w="$waited" 'BEGIN { exit !(w >= 5 && w < 12) }' ||
	fail "the spoke was through after $waited s; two rounds of stalled handshakes (3 s each) were ahead of it"
pass "it waited its turn behind two rounds of stalled handshakes: through after $waited s (timeout 3 s)"
# shed: the connections shed for their handshake so far (summed over the
# guard's report lines, one per 10 s).
shed() { sed -n 's/.* \([0-9]*\) without a TLS handshake in 3000 ms.*/\1/p' "$WORK/hub.log" | awk '{ s += $1 } END { print s + 0 }'; }
for i in $(seq 1 150); do [ "$(shed)" -ge 24 ] && break; sleep 0.1; done
assert_eq "$(shed)" 24 "the 20 silent and the 4 stalled ones were shed, the spoke queued longer than the timeout was not"
for p in "${STALLERS[@]}"; do kill "$p" 2>/dev/null || true; done
wait "$IDLE" || true
# With no bound the same spoke is through at once.
hub_start_tls --max-handshakes 0 --handshake-timeout 3
stall; stall; stall; stall
t0=$(date +%s.%N)
"$CONNS_BIN" dial --url "$NNG_URL" --pki "$PKI" --codes "$WORK/codes" --ca "$PKI/ca.pem" \
	--n 1 --timeout-s 20 --hold-s 0 >"$WORK/dial2.out" 2>&1 || true
t1=$(date +%s.%N)
assert_eq "$(sed -n 's/^pipes=//p' "$WORK/dial2.out")" 1 "without a bound the spoke connected"
waited=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
awk -v w="$waited" 'BEGIN { exit !(w < 2.5) }' || fail "without a bound it still waited $waited s"
pass "without a bound it was through in $waited s"
for p in "${STALLERS[@]}"; do kill "$p" 2>/dev/null || true; done
