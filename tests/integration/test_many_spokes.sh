#!/usr/bin/env bash
# Issue 18, figure 7: one hub holds many spokes connected at once, each on
# its own mutual-TLS connection, where a single process may not open the
# descriptors they need.  A relayed spoke costs the guard two descriptors
# and nng a third (proto/transport/guard.c); with the guard in the hub's
# own process, a hard RLIMIT_NOFILE of 20,000 held 6,723 of 10,000 spokes.
# Here the hub runs under a limit of 700 descriptors (a single process
# would hold about 210 spokes) and must hold 300, spread over guard
# processes, with the caps still counted across them: per address, and
# freed again when spokes leave.  Loopback only, bounded waits.
. "$(dirname "$0")/lib.sh"
db_create
H=3910118128
identity $H >/dev/null
CONNS_BIN=$IBX_BUILD/tests/bench/bench_conns
N=300 LIMIT=700 PER_ADDR=350
# Spokes present one of 8 hospital certificates in turn.
for i in $(seq 1 8); do
	code=$(printf '38%08d' "$i")
	"$IBX_SOURCE/deploy/pki/issue.sh" "$PKI" "$code" hospital >/dev/null 2>&1
	echo "$code"
done >"$WORK/codes"

# The hub under the lower limit (soft and hard): a wrapper that execs it.
printf '#!/bin/sh\nulimit -n %s || exit 1\nexec "%s" "$@"\n' "$LIMIT" "$HUB_BIN" >"$WORK/hub-limited"
chmod +x "$WORK/hub-limited"
REAL_HUB_BIN=$HUB_BIN
HUB_BIN=$WORK/hub-limited
hub_start_tls --max-conns 1000 --max-conns-per-addr $PER_ADDR
HUB_BIN=$REAL_HUB_BIN
assert_eq "$(awk '/^Max open files/ { print $4 }' "/proc/$HUB_PID/limits")" $LIMIT "the hub runs under a limit of $LIMIT descriptors"
GUARDS=$(pgrep -P "$HUB_PID" | tr "\n" " " || true)
echo "guard processes: $GUARDS"
[ "$(echo $GUARDS | wc -w)" -ge 2 ] || fail "one guard process cannot hold $N spokes under $LIMIT descriptors, yet there are: $GUARDS"
assert_contains "$(cat "$WORK/hub.log")" "transport guard: 4 processes of up to 318 connections each" "the hub says how it spreads the spokes"

# dial N OUT [hold_s timeout_s]: N spokes in the background, output in OUT.
dial() {
	"$CONNS_BIN" dial --url "$NNG_URL" --pki "$PKI" --codes "$WORK/codes" --ca "$PKI/ca.pem" \
		--n "$1" --inflight 100 --timeout-s "${4:-40}" --hold-s "${3:-30}" >"$2" 2>"$2.err" &
}
# up OUT: wait (bounded) until the dialer OUT printed its count; print it.
up() {
	local i
	for i in $(seq 1 500); do grep -qs '^seconds=' "$1" && break; sleep 0.1; done
	sed -n 's/^pipes=//p' "$1"
}
dial $N "$WORK/d1.out" 20
D1=$!
assert_eq "$(up "$WORK/d1.out")" $N "all $N spokes connected ($(sed -n 's/^seconds=//p' "$WORK/d1.out") s)"
sleep 2
assert_eq "$(ss -Htn state established "( sport = :$NNG_PORT )" | wc -l)" $N "the hub's port holds $N established connections"
# Served meanwhile.
assert_contains "$(publish_tls "$EXAMPLE" $H)" "accepted as version 1" "a spoke publishes while $N others are connected"
# The cap per address counts across the guard processes: 100 more from
# 127.0.0.1 find room for $((PER_ADDR - N)) only (each guard alone holds
# fewer than $PER_ADDR).
dial 100 "$WORK/d2.out" 30 8
D2=$!
assert_eq "$(up "$WORK/d2.out")" $((PER_ADDR - N)) "of 100 more, the $((PER_ADDR - N)) within the cap per address ($PER_ADDR) connected"
for i in $(seq 1 150); do grep -q "over the cap per address ($PER_ADDR)" "$WORK/hub.log" && break; sleep 0.1; done
assert_contains "$(grep 'transport guard: closed' "$WORK/hub.log" | tail -1)" "over the cap per address ($PER_ADDR)" "one line reports them"
kill "$D2" 2>/dev/null || true
wait "$D2" 2>/dev/null || true
# The first $N stayed connected throughout.
wait "$D1" || true
assert_eq "$(sed -n 's/^pipes_held=//p' "$WORK/d1.out")" $N "the $N spokes were still connected 20 s later"
# Gone spokes free their counts: $N come again at once.
for i in $(seq 1 100); do
	[ "$(ss -Htn state established "( sport = :$NNG_PORT )" | wc -l)" -eq 0 ] && break
	sleep 0.1
done
dial $N "$WORK/d3.out" 1
D3=$!
assert_eq "$(up "$WORK/d3.out")" $N "$N spokes connect again once the others left"
wait "$D3" || true
# The guard processes end with the hub.
kill -TERM "$HUB_PID"
wait "$HUB_PID" || true
for i in $(seq 1 50); do
	left=0
	for p in $GUARDS; do kill -0 "$p" 2>/dev/null && left=$((left + 1)); done
	[ "$left" -eq 0 ] && break
	sleep 0.1
done
assert_eq "$left" 0 "no guard process outlives the hub"
