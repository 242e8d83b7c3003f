#!/usr/bin/env bash
# Garbage, empty, truncated and oversize frames get a refusal or a closed
# pipe, never a crash; the hub keeps serving and its memory does not grow.
. "$(dirname "$0")/lib.sh"
db_create
identity 3910118128
hub_start

rss() { awk '/VmRSS/ { print $2 }' "/proc/$HUB_PID/status"; }

forge "$WORK/good.env" 3910118128 --listing "$EXAMPLE" --seq 7
size=$(stat -c %s "$WORK/good.env")
head -c $((size / 2)) "$WORK/good.env" >"$WORK/truncated.env"
: >"$WORK/empty.env"
printf '\377\377\377\377\377\377\377\377\377\377' >"$WORK/garbage.env"
# A field tag announcing a 2 GiB length-delimited field.
printf '\012\377\377\377\377\007' >"$WORK/biglen.env"
for f in truncated empty garbage biglen; do
	out=$(send "$WORK/$f.env")
	assert_contains "$out" "status=malformed" "$f frame refused"
done

# Random bytes, a bounded number of times.
for i in $(seq 1 200); do
	head -c $((RANDOM % 2000 + 1)) /dev/urandom >"$WORK/random.env"
	"$PEER_BIN" send --hub "$NNG_URL" --file "$WORK/random.env" >/dev/null ||
		fail "random frame $i: no answer"
done
pass "200 random frames answered"

before=$(rss)
for i in $(seq 1 20); do
	assert_eq "$("$PEER_BIN" oversize --addr "127.0.0.1:$NNG_PORT")" closed "2^60-byte frame $i closes the pipe"
done
after=$(rss)
echo "hub RSS before ${before} kB, after ${after} kB"
[ $((after - before)) -lt 10240 ] || fail "hub memory grew by $((after - before)) kB"
pass "hub memory grew by less than 10 MB"

hub_alive || fail "hub is not serving"
assert_contains "$(publish "$EXAMPLE")" "accepted" "a good listing is still accepted"
