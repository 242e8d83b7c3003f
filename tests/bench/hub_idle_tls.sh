#!/usr/bin/env bash
# Figure 7 (issue 8): the hub's resident memory with N idle spokes connected
# over mutual TLS, and its idle CPU with them, against a bare nng rep0
# listener (bench_conns listen: same nng, same TLS configuration, same
# certificates) taking the same N connections.  For each side, summed
# over the server process and its children (the hub's guard processes,
# proto/transport/guard.c): Pss (and VmRSS) before and with the N
# connections, per-connection kB = (Pss with - Pss before) / established,
# the ESTABLISHED count on the port (ss), and CPU ticks (utime + stime)
# over SECONDS with the N connected and idle, as % of one core.  Spokes: bench_conns dial, one nng REQ socket per spoke, each
# presenting one of CERTS issued hospital certificates (round robin; TLS
# connection memory does not depend on which certificate); a connection
# counts once nng has added its pipe (TLS handshake done).  Starts its own
# CA, and its own PostgreSQL cluster unless --db is given.  Prints
# key=value lines and a table; asserts nothing.  Needs N + 100 open files
# per process (raised to the hard limit here): the dialer holds N, the
# baseline N, the hub N (nng) and its guard processes 2 N among them.
#
#   tests/bench/hub_idle_tls.sh [--spokes 10000] [--seconds 30] [--certs 200]
#                               [--timeout 240] [--db DSN] [--build DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
spokes=10000 seconds=30 certs=200 timeout=240 dsn='' build=$root/build-tests
while [ $# -gt 0 ]; do
	case "$1" in
	--spokes) spokes=$2; shift 2 ;;
	--seconds) seconds=$2; shift 2 ;;
	--certs) certs=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--db) dsn=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	*) echo "usage: $0 [--spokes N] [--seconds S] [--certs M] [--timeout S] [--db DSN] [--build DIR]" >&2; exit 2 ;;
	esac
done
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt $((spokes + 100)) ]; then
	echo "hub_idle_tls.sh: ulimit -n is $(ulimit -n), $((spokes + 100)) needed" >&2
	exit 2
fi
. "$root/deploy/pg.sh"
. "$root/tests/integration/ports.sh"
CONNS=$build/tests/bench/bench_conns
work=$(mktemp -d /tmp/ibx-idle.XXXXXX)
chmod 755 "$work"
pids=() own_pg=0
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	[ "$own_pg" -eq 0 ] || ibx_pg_stop "$work/pg/data" || true
	rm -rf "$work"
}
trap cleanup EXIT

if [ -z "$dsn" ]; then
	ibx_pg_init "$work/pg/data"
	pg_port=$(ibx_free_port)
	ibx_pg_start "$work/pg/data" "$pg_port"
	own_pg=1
	dsn=$(ibx_pg_dsn "$work/pg/data" "$pg_port")
	"$build/hub/inbound-hub" migrate --db "$dsn" >/dev/null 2>&1
fi
pki=$work/pki
"$root/deploy/pki/ca-init.sh" "$pki" >/dev/null
"$root/deploy/pki/issue.sh" "$pki" 0000000000 hub
seq 1 "$certs" | awk '{ printf "38%08d\n", $1 }' >"$work/codes"
# The same certificates as issue.sh makes, from one process (tools/pki):
# seconds instead of one openssl run per certificate.
IBX_CA_BULK=$build/tools/pki/ibx-ca-bulk "$root/deploy/pki/issue-bulk.sh" "$pki" hospital \
	<"$work/codes" >/dev/null 2>"$work/issue.log" || { cat "$work/issue.log" >&2; exit 1; }

# The hub's guard runs in child processes (proto/transport/guard.c), so
# CPU and memory are summed over the process and its children: ticks, VmRSS
# (shared pages counted in each) and Pss (each shared page divided among
# its users; the sum is what the processes take together).
procs() { echo "$1"; pgrep -P "$1" || true; }
ticks() { for p in $(procs "$1"); do awk '{ print $14 + $15 }' "/proc/$p/stat"; done | awk '{ s += $1 } END { print s }'; }
rss() { for p in $(procs "$1"); do awk '/VmRSS/ { print $2 }' "/proc/$p/status"; done | awk '{ s += $1 } END { print s }'; }
pss() { for p in $(procs "$1"); do awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup"; done | awk '{ s += $1 } END { print s }'; }
hz=$(getconf CLK_TCK)

# measure SIDE PID PORT: the N spokes against the server PID on PORT
measure() {
	local side=$1 pid=$2 port=$3 dialer r0 r1 p0 p1 t0 t1 conns
	sleep 1
	r0=$(rss "$pid")
	p0=$(pss "$pid")
	"$CONNS" dial --url "tls+tcp://127.0.0.1:$port" --pki "$pki" --codes "$work/codes" \
		--ca "$pki/ca.pem" --n "$spokes" --timeout-s "$timeout" \
		--hold-s $((timeout + seconds + 60)) >"$work/$side.dial" 2>"$work/$side.dial.err" &
	dialer=$!
	pids+=("$dialer")
	for _ in $(seq 1 $((timeout * 10 + 100))); do
		grep -qs "^seconds=" "$work/$side.dial" && break
		kill -0 "$dialer" 2>/dev/null || break
		sleep 0.1
	done
	sleep 2
	conns=$(ss -Htn state established "( sport = :$port )" | wc -l)
	r1=$(rss "$pid")
	p1=$(pss "$pid")
	t0=$(ticks "$pid")
	sleep "$seconds"
	t1=$(ticks "$pid")
	kill "$dialer" 2>/dev/null || true
	wait "$dialer" 2>/dev/null || true
	printf '%s_pipes=%s\n' "$side" "$(sed -n 's/^pipes=//p' "$work/$side.dial")"
	printf '%s_connect_s=%s\n' "$side" "$(sed -n 's/^seconds=//p' "$work/$side.dial")"
	printf '%s_established=%s\n' "$side" "$conns"
	printf '%s_procs=%s\n' "$side" "$(procs "$pid" | wc -l)"
	printf '%s_rss0_kb=%s\n%s_rss1_kb=%s\n' "$side" "$r0" "$side" "$r1"
	printf '%s_pss0_kb=%s\n%s_pss1_kb=%s\n' "$side" "$p0" "$side" "$p1"
	awk -v a="$p0" -v b="$p1" -v n="$conns" -v s="$side" \
		'BEGIN { printf "%s_kb_per_conn=%.2f\n", s, (n > 0 ? (b - a) / n : 0) }'
	awk -v t=$((t1 - t0)) -v hz="$hz" -v sec="$seconds" -v s="$side" \
		'BEGIN { printf "%s_idle_cpu_pct=%.3f\n", s, 100 * t / hz / sec }'
}

port=$(ibx_free_port)
"$build/hub/inbound-hub" serve --db "$dsn" --listen "tls+tcp://127.0.0.1:$port" \
	--cert "$pki/issued/0000000000.pem" --key "$pki/issued/0000000000.key" \
	--ca "$pki/ca.pem" --crl "$pki/crl.pem" --http "127.0.0.1:$(ibx_free_port)" \
	--max-conns-per-addr 20000 2>"$work/hub.log" &
hub=$!
pids+=("$hub")
for _ in $(seq 1 100); do grep -qs "serving spokes" "$work/hub.log" && break; sleep 0.1; done
kill -0 "$hub"
measure hub "$hub" "$port" >"$work/hub.kv"
cat "$work/hub.kv"
kill "$hub" 2>/dev/null || true
wait "$hub" 2>/dev/null || true

# The baseline listener; should it not start (a port taken meanwhile, or
# the kernel still tearing down the hub's 10,000 sockets), it says why and
# is tried again on another port.
for attempt in 1 2 3 4 5; do
	port=$(ibx_free_port)
	"$CONNS" listen --url "tls+tcp://127.0.0.1:$port" --cert "$pki/issued/0000000000.pem" \
		--key "$pki/issued/0000000000.key" --ca "$pki/ca.pem" --crl "$pki/crl.pem" \
		>"$work/base.listen" 2>&1 &
	base=$!
	pids+=("$base")
	for _ in $(seq 1 100); do grep -qs "listening=1" "$work/base.listen" && break; sleep 0.1; done
	kill -0 "$base" 2>/dev/null && break
	echo "hub_idle_tls.sh: the baseline listener did not start (attempt $attempt):" >&2
	cat "$work/base.listen" >&2
	[ "$attempt" -lt 5 ] || exit 1
	sleep 5
done
measure base "$base" "$port" >"$work/base.kv"
cat "$work/base.kv"
kill "$base" 2>/dev/null || true
wait "$base" 2>/dev/null || true

kv() { sed -n "s/^$1=//p" "$work/hub.kv" "$work/base.kv"; }
echo "spokes=$spokes"
echo "certs=$certs"
echo "seconds=$seconds"
printf '| figure | hub | bare nng rep0 |\n| --- | --- | --- |\n'
printf '| established connections (of %s) | %s | %s |\n' "$spokes" "$(kv hub_established)" "$(kv base_established)"
printf '| processes | %s | %s |\n' "$(kv hub_procs)" "$(kv base_procs)"
printf '| VmRSS summed, before → with, kB | %s → %s | %s → %s |\n' "$(kv hub_rss0_kb)" "$(kv hub_rss1_kb)" "$(kv base_rss0_kb)" "$(kv base_rss1_kb)"
printf '| Pss summed, before → with, kB | %s → %s | %s → %s |\n' "$(kv hub_pss0_kb)" "$(kv hub_pss1_kb)" "$(kv base_pss0_kb)" "$(kv base_pss1_kb)"
printf '| kB per connection (Pss) | %s | %s |\n' "$(kv hub_kb_per_conn)" "$(kv base_kb_per_conn)"
printf '| idle CPU over %s s, %% of a core | %s | %s |\n' "$seconds" "$(kv hub_idle_cpu_pct)" "$(kv base_idle_cpu_pct)"
