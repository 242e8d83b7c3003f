#!/usr/bin/env bash
# Idle CPU and memory of the hub with a TLS listener and N connected spokes
# (nng 1.5.2 was reported upstream to spin an aio-expiry thread while idle).
# Starts its own PostgreSQL cluster, CA and hub on loopback; connects N
# REQ clients (ibx-testpeer idle) over mutual TLS that each send one request
# and then
# stay connected; samples the hub's CPU time over a window.  Prints figures;
# asserts nothing.
#
#   tests/bench/hub_idle_tls.sh [--spokes 100] [--seconds 30] [--build DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
spokes=100 seconds=30 build=$root/build-tests
while [ $# -gt 0 ]; do
	case "$1" in
	--spokes) spokes=$2; shift 2 ;;
	--seconds) seconds=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	*) echo "usage: $0 [--spokes N] [--seconds S] [--build DIR]" >&2; exit 2 ;;
	esac
done
. "$root/deploy/pg.sh"
. "$root/tests/integration/ports.sh"
work=$(mktemp -d /tmp/ibx-idle.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	ibx_pg_stop "$work/pg/data" || true
	rm -rf "$work"
}
trap cleanup EXIT

ibx_pg_init "$work/pg/data"
pg_port=$(ibx_free_port)
ibx_pg_start "$work/pg/data" "$pg_port"
dsn=$(ibx_pg_dsn "$work/pg/data" "$pg_port")
"$build/hub/inbound-hub" migrate --db "$dsn" >/dev/null 2>&1
pki=$work/pki
"$root/deploy/pki/ca-init.sh" "$pki" >/dev/null
"$root/deploy/pki/issue.sh" "$pki" 0000000000 hub
"$root/deploy/pki/issue.sh" "$pki" 3910118128 hospital
port=$(ibx_free_port)
url=tls+tcp://127.0.0.1:$port
"$build/hub/inbound-hub" serve --db "$dsn" --listen "$url" \
	--cert "$pki/issued/0000000000.pem" --key "$pki/issued/0000000000.key" \
	--ca "$pki/ca.pem" --crl "$pki/crl.pem" --http "127.0.0.1:$(ibx_free_port)" 2>"$work/hub.log" &
hub=$!
pids+=("$hub")
sleep 1

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)

rss0=$(rss "$hub")
t0=$(ticks "$hub")
sleep "$seconds"
t1=$(ticks "$hub")
idle0=$(awk -v t=$((t1 - t0)) -v hz="$hz" -v s="$seconds" 'BEGIN { printf "%.3f", 100 * t / hz / s }')

"$build/tests/ibx-testpeer" idle --hub "$url" --cert "$pki/issued/3910118128.pem" \
	--key "$pki/issued/3910118128.key" --ca "$pki/ca.pem" --spokes "$spokes" \
	--seconds $((seconds + 30)) >"$work/idle.out" &
pids+=($!)
for _ in $(seq 1 120); do
	grep -q connected "$work/idle.out" 2>/dev/null && break
	sleep 0.5
done
cat "$work/idle.out"
sleep 3
conns=$(ss -Htn state established "( sport = :$port )" | wc -l)
rss1=$(rss "$hub")
t0=$(ticks "$hub")
sleep "$seconds"
t1=$(ticks "$hub")
idle1=$(awk -v t=$((t1 - t0)) -v hz="$hz" -v s="$seconds" 'BEGIN { printf "%.3f", 100 * t / hz / s }')

printf '| figure | value |\n| --- | --- |\n'
printf '| hub CPU idle, TLS listener, no spokes (%s s) | %s %% of a core |\n' "$seconds" "$idle0"
printf '| hub CPU idle, %s TLS spokes connected (%s established) | %s %% of a core |\n' "$spokes" "$conns" "$idle1"
printf '| hub RSS, no spokes | %s kB |\n' "$rss0"
printf '| hub RSS, %s spokes | %s kB |\n' "$spokes" "$rss1"
