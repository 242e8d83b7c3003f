#!/usr/bin/env bash
# Issue 14, finding 5 (the nng port): nng 1.5.2 kept TCP connections that
# never start TLS open for ever (2,000 idle sockets cost the hub 63 MB).
# Now the hub's port sheds a connection whose TLS handshake is not done
# within --handshake-timeout, caps connections per address, and the HTTP
# API answers throughout.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib_trust.sh"
db_create
H=3910118128
identity $H >/dev/null
hub_cert
TIMEOUT=3
hub_start_tls --handshake-timeout $TIMEOUT --max-conns-per-addr 5000
# The hub and its guard processes (proto/transport/guard.c) together.
rss() { for p in $HUB_PID $(pgrep -P "$HUB_PID"); do awk '/VmRSS/ {print $2}' "/proc/$p/status"; done | awk '{ s += $1 } END { print s }'; }
rss0=$(rss)

# The API is asked every 0.1 s while 2,000 idle connections come and go.
( while :; do
	curl -s -o /dev/null -m 2 -w '%{http_code} %{time_total}\n' "$API/healthz" || echo "000 2"
	sleep 0.1
done ) >"$WORK/api.log" &
POLL=$!
"$PEER_BIN" idle-tcp --addr "127.0.0.1:$NNG_PORT" --conns 2000 --seconds 20 >"$WORK/idle.log" &
IDLE=$!
for i in $(seq 1 100); do grep -q connected "$WORK/idle.log" && break; sleep 0.1; done
sleep 1
rss1=$(rss)
wait "$IDLE"
sleep 0.5
kill "$POLL"
wait "$POLL" 2>/dev/null || true
cat "$WORK/idle.log"
read -r closed n first last early < <(sed -n 's/^closed \([0-9]*\) of \([0-9]*\), first \([0-9.]*\) s, last \([0-9.]*\) s, within 1 s \([0-9]*\)$/\1 \2 \3 \4 \5/p' "$WORK/idle.log")
assert_eq "$closed" 2000 "all 2,000 idle connections are shed"
assert_eq "$early" 0 "none before the handshake timeout (it is the timeout that sheds them)"
awk -v l="$last" -v t=$TIMEOUT 'BEGIN { exit !(l <= t + 1.5) }' || fail "the last was shed after $last s (timeout $TIMEOUT s)"
pass "the last was shed $last s after connecting (timeout $TIMEOUT s)"
echo "hub RSS: $rss0 kB before, $rss1 kB with 2,000 idle connections open (+$((rss1 - rss0)) kB)"
[ $((rss1 - rss0)) -lt 16384 ] || fail "2,000 idle connections cost the hub $((rss1 - rss0)) kB"
pass "2,000 idle connections cost the hub $((rss1 - rss0)) kB"
asked=$(wc -l <"$WORK/api.log")
ok=$(awk '$1 == 200' "$WORK/api.log" | wc -l)
slowest=$(awk '{ if ($2 > m) m = $2 } END { print m }' "$WORK/api.log")
echo "HTTP API: $ok of $asked answered 200, slowest ${slowest} s"
[ "$asked" -ge 20 ] || fail "the API was asked only $asked times"
assert_eq "$ok" "$asked" "the HTTP API answered every time"
awk -v m="$slowest" 'BEGIN { exit !(m < 1) }' || fail "the API took $slowest s"
pass "within 1 s each"
for i in $(seq 1 150); do grep -q "2000 without a TLS handshake" "$WORK/hub.log" && break; sleep 0.1; done
assert_contains "$(cat "$WORK/hub.log")" "2000 without a TLS handshake" "the hub logs one line for the shed, not 2,000"

# Spokes are served meanwhile and after.
assert_contains "$(publish_tls "$EXAMPLE" $H)" "accepted as version 1" "a spoke still publishes"

# The cap per address: a hub that takes 10 from one address closes the
# others at once.
hub_start_tls --handshake-timeout $TIMEOUT --max-conns-per-addr 10
"$PEER_BIN" idle-tcp --addr "127.0.0.1:$NNG_PORT" --conns 30 --seconds 10 >"$WORK/cap.log"
cat "$WORK/cap.log"
read -r closed n first last early < <(sed -n 's/^closed \([0-9]*\) of \([0-9]*\), first \([0-9.]*\) s, last \([0-9.]*\) s, within 1 s \([0-9]*\)$/\1 \2 \3 \4 \5/p' "$WORK/cap.log")
assert_eq "$early" 20 "the 20 over the cap of 10 per address are closed at once"
assert_eq "$closed" 30 "and the 10 within it at the handshake timeout"
