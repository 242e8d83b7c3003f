#!/usr/bin/env bash
# Fault injection (issue 7): many spokes publish listings and monthly
# statistics through two hubs into one PostgreSQL while, at random moments,
# one of the hubs, a spoke or PostgreSQL is killed with SIGKILL and started
# again.  After the last round every spoke is stopped and its outbox
# drained, and tests/faults/check.sh compares every spoke's record of
# acknowledged envelopes (DIR/acknowledged.log) and its last sources with
# the database: lost 0, duplicated 0, every statistic equal to the spoke's
# last accepted submission.  Everything runs on loopback; every wait is
# bounded.
#
#   tests/faults/run.sh [--rounds 20] [--spokes 6] [--seed N]
#                       [--build DIR] [--report FILE] [--keep] [--tamper]
#
# --build is a build folder holding inbound-hub, inboundctl, inbound-spoke
# and inbound-datagen (default build-tests).  The seed makes a run's choices
# (what changes, who is killed, when) repeatable; it is printed.  --tamper
# then changes the database three ways (an acknowledged envelope lost, one
# stored twice, a statistic altered) and fails unless the checker reports
# each: a checker that cannot fail proves nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=20 nspokes=6 seed=$(((RANDOM << 15) | RANDOM)) keep=0 report= tamper=0
build=${IBX_BUILD:-$root/build-tests}
while [ $# -gt 0 ]; do
	case "$1" in
	--rounds) rounds=$2; shift 2 ;;
	--spokes) nspokes=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--report) report=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	--tamper) tamper=1; shift ;;
	-h | --help) sed -n '2,21p' "$0"; exit 0 ;;
	*) echo "faults: unknown option $1" >&2; exit 2 ;;
	esac
done
case "$("$build/spoke/inbound-spoke" --version 2>/dev/null)" in
*"test hooks"*) ;;
*) echo "faults: $build/spoke/inbound-spoke has no crash points: build it with -DIBX_TEST_HOOKS=ON (tests/run.sh does)" >&2; exit 2 ;;
esac
HUB=$build/hub/inbound-hub
CTL=$build/hub/inboundctl
SPOKE=$build/spoke/inbound-spoke
DATAGEN=$build/tools/datagen/inbound-datagen
for b in "$HUB" "$CTL" "$SPOKE" "$DATAGEN"; do
	[ -x "$b" ] || { echo "faults: $b not built" >&2; exit 2; }
done
. "$root/deploy/pg.sh"
. "$root/tests/integration/ports.sh"
RANDOM=$seed

W=$(mktemp -d /tmp/ibx-faults.XXXXXX)
chmod 755 "$W"
PG=$W/pg/data
PKI=$W/pki
declare -A HUB_PID HUB_PORT HUB_HTTP
AGENT_PID=()
ok=0
say() { printf '%s faults: %s\n' "$(date -u +%H:%M:%S)" "$*"; }
cleanup() {
	local pid
	for pid in "${AGENT_PID[@]}" "${HUB_PID[@]}"; do
		[ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	ibx_pg_as_owner "$IBX_PG_BIN/pg_ctl" -D "$PG" -m immediate -w stop >/dev/null 2>&1 || true
	if [ "$ok" -eq 1 ] && [ "$keep" -eq 0 ]; then rm -rf "$W"; else echo "faults: kept $W"; fi
}
trap cleanup EXIT

# PostgreSQL: a cluster of the run's own, since it is killed.
pg_up() {
	local i
	for i in $(seq 1 50); do
		ibx_pg_start "$PG" "$PG_PORT" 2>/dev/null && return 0
		sleep 0.2
	done
	tail -20 "$W/pg/postgres.log" >&2
	return 1
}
# pg_kill: SIGKILL to the postmaster and every backend at once, as a
# crash of the machine's database would.
pg_kill() {
	local pm
	pm=$(head -1 "$PG/postmaster.pid" 2>/dev/null) || return 0
	kill -KILL "$pm" $(pgrep -P "$pm" || true) 2>/dev/null || true
	while kill -0 "$pm" 2>/dev/null; do sleep 0.05; done
	while pgrep -P "$pm" >/dev/null 2>&1; do sleep 0.05; done
}
ibx_pg_init "$PG"
for attempt in 1 2 3 4 5; do
	PG_PORT=$(ibx_free_port)
	ibx_pg_start "$PG" "$PG_PORT" && break
	[ "$attempt" -lt 5 ] || exit 1
done
export PGPASSWORD
PGPASSWORD=$(cat "$W/pg/superuser.pass")
psql -h 127.0.0.1 -p "$PG_PORT" -U inbound -d postgres -qc "CREATE DATABASE inbound" >/dev/null
DSN=$(ibx_pg_dsn "$PG" "$PG_PORT" inbound)
"$HUB" migrate --db "$DSN" >/dev/null
sql() { psql -h 127.0.0.1 -p "$PG_PORT" -U inbound -d inbound -tAXc "$1"; }

# The national CA, the hubs' certificate, one hospital per spoke (real
# hospitals of Kochi from deploy/data), each enrolled.
"$root/deploy/pki/ca-init.sh" "$PKI" >/dev/null
"$root/deploy/pki/issue.sh" "$PKI" 0000000000 hub >/dev/null
"$DATAGEN" listings --data "$root/deploy/data" --out "$W/listings" --set kochi >/dev/null 2>&1
mapfile -t SOURCES < <(ls "$W/listings"/*.json | sort | head -n "$nspokes")
[ "${#SOURCES[@]}" -eq "$nspokes" ] || { echo "faults: only ${#SOURCES[@]} listings" >&2; exit 1; }
CODES=()
for f in "${SOURCES[@]}"; do
	code=$(jq -r .organisation_code "$f")
	CODES+=("$code")
	"$root/deploy/pki/issue.sh" "$PKI" "$code" hospital >/dev/null
	"$CTL" enrol --db "$DSN" --ca "$PKI/ca.pem" --cert "$PKI/issued/$code.pem" >/dev/null
	mkdir -p "$W/spoke/$code/cases"
	cp "$f" "$W/spoke/$code/listing.json"
done

# hub_up NAME: start hub NAME (A or B) on its nng port (chosen on first
# start below the ephemeral range, kept after: the spokes were told it)
# and wait until its HTTP side (on any free port) answers.
hub_up() {
	local name=$1 attempt i pid
	for attempt in 1 2 3 4 5; do
		[ -n "${HUB_PORT[$name]:-}" ] || HUB_PORT[$name]=$(ibx_free_port 20000 12000)
		HUB_HTTP[$name]=$(ibx_free_port)
		"$HUB" serve --db "$DSN" --listen "tls+tcp://127.0.0.1:${HUB_PORT[$name]}" \
			--cert "$PKI/issued/0000000000.pem" --key "$PKI/issued/0000000000.key" \
			--ca "$PKI/ca.pem" --crl "$PKI/crl.pem" \
			--http "127.0.0.1:${HUB_HTTP[$name]}" 2>>"$W/hub-$name.log" &
		pid=$!
		for i in $(seq 1 300); do
			if curl -s -o /dev/null "http://127.0.0.1:${HUB_HTTP[$name]}/healthz"; then
				HUB_PID[$name]=$pid
				return 0
			fi
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		if [ "$started_once" -eq 0 ]; then HUB_PORT[$name]=; fi
	done
	tail -20 "$W/hub-$name.log" >&2
	return 1
}
hub_kill() {
	kill -KILL "${HUB_PID[$1]}" 2>/dev/null || true
	wait "${HUB_PID[$1]}" 2>/dev/null || true
}
started_once=0
hub_up A
hub_up B
started_once=1

agent_args() { # CODE
	local d=$W/spoke/$1
	printf '%s\n' --outbox "$d/outbox" --listing "$d/listing.json" --cases-dir "$d/cases" \
		--hub "tls+tcp://127.0.0.1:${HUB_PORT[A]}" --hub "tls+tcp://127.0.0.1:${HUB_PORT[B]}" \
		--cert "$PKI/issued/$1.pem" --key "$PKI/issued/$1.key" --ca "$PKI/ca.pem" \
		--timeout 2000
}
# agent_up INDEX [CRASH-POINT]: start spoke INDEX's agent; with a crash
# point (spoke/delivery/outbox.h) it dies there, as by SIGKILL, at its first chance.
agent_up() {
	local code=${CODES[$1]} args
	mapfile -t args < <(agent_args "$code")
	IBX_SPOKE_CRASH_AT=${2:-} "$SPOKE" run "${args[@]}" --interval 1 >>"$W/spoke/$code/agent.log" 2>&1 &
	AGENT_PID[$1]=$!
}
# Agents that died (at a crash point) are started again, as systemd's
# Restart= would (deploy/systemd/inbound-spoke.service).
agents_supervise() {
	local i
	for i in "${!CODES[@]}"; do
		kill -0 "${AGENT_PID[$i]}" 2>/dev/null && continue
		wait "${AGENT_PID[$i]}" 2>/dev/null || crashes=$((crashes + 1))
		agent_up "$i"
	done
}
agent_kill() {
	kill -KILL "${AGENT_PID[$1]}" 2>/dev/null || true
	wait "${AGENT_PID[$1]}" 2>/dev/null || true
}
for i in "${!CODES[@]}"; do agent_up "$i"; done

# What the hospitals change: a listing (its bed count) or one month's
# case-record export, replaced whole by a rename as an export job would.
months=(01 02 03 04 05 06)
change() { # INDEX ROUND
	local code=${CODES[$1]} d=$W/spoke/${CODES[$1]} m
	if [ $((RANDOM % 2)) -eq 0 ]; then
		jq ".beds = $((100 + RANDOM % 900))" "$d/listing.json" >"$d/.listing.json"
		mv "$d/.listing.json" "$d/listing.json"
	else
		m=${months[$((RANDOM % ${#months[@]}))]}
		rm -rf "$d/gen" && mkdir -p "$d/gen"
		"$DATAGEN" cases --hospital "$code" --out "$d/gen" --year 2026 --month "$((10#$m))" \
			--seed "$(($2 * 1000 + $1))" --rows $((5 + RANDOM % 60)) --data "$root/deploy/data" >/dev/null 2>&1
		mv "$d/gen/synthetic_cases_${code}_2026-$m.csv" "$d/cases/2026-$m.csv"
	fi
}
# A random pause of 100 to 100+SPAN ms.
pause() { sleep "$(awk -v r=$((RANDOM % $1)) 'BEGIN { printf "%.3f", (100 + r) / 1000 }')"; }

kills_hub=0 kills_spoke=0 kills_pg=0 crashes=0
say "seed $seed, $rounds rounds, $nspokes spokes, hubs A :${HUB_PORT[A]} B :${HUB_PORT[B]}, PostgreSQL :$PG_PORT, in $W"
for round in $(seq 1 "$rounds"); do
	agents_supervise
	for i in "${!CODES[@]}"; do
		[ $((RANDOM % 3)) -eq 0 ] || change "$i" "$round"
	done
	pause 1500
	case $((RANDOM % 3)) in
	0)
		victim=$([ $((RANDOM % 2)) -eq 0 ] && echo A || echo B)
		hub_kill "$victim"
		pause 1500
		hub_up "$victim"
		kills_hub=$((kills_hub + 1))
		;;
	1)
		victim=$((RANDOM % nspokes))
		agent_kill "$victim"
		pause 1000
		# Half the time it comes back set to die again at a crash
		# point: right after a hub's Ack, before the envelope leaves
		# pending/ (so the hub sees it again), or right after a
		# rename into pending/, before the directory's fsync.
		point=
		case $((RANDOM % 4)) in 0) point=after-ack ;; 1) point=after-rename ;; esac
		agent_up "$victim" "$point"
		victim="spoke ${CODES[$victim]}${point:+ (to die again $point)}"
		kills_spoke=$((kills_spoke + 1))
		;;
	2)
		victim=PostgreSQL
		pg_kill
		pause 1500
		pg_up
		kills_pg=$((kills_pg + 1))
		;;
	esac
	say "round $round: killed $victim with SIGKILL and started it again"
done

# The end: every agent stopped; one last pass of each (run --once) seals
# whatever changed since and drains its outbox with both hubs up.
for i in "${!CODES[@]}"; do
	if kill -TERM "${AGENT_PID[$i]}" 2>/dev/null; then
		wait "${AGENT_PID[$i]}" 2>/dev/null || true
	else
		wait "${AGENT_PID[$i]}" 2>/dev/null || crashes=$((crashes + 1))
	fi
	AGENT_PID[$i]=
done
for i in "${!CODES[@]}"; do
	code=${CODES[$i]}
	mapfile -t args < <(agent_args "$code")
	for attempt in $(seq 1 10); do
		rc=0
		"$SPOKE" run "${args[@]}" --once >>"$W/spoke/$code/agent.log" 2>&1 || rc=$?
		[ "$rc" -eq 3 ] || break
		sleep 1
	done
	[ "$rc" -eq 0 ] || say "spoke $code: the last pass exited $rc"
done
hub_kill A
hub_kill B

say "checking: $kills_hub hub, $kills_spoke spoke and $kills_pg PostgreSQL kills, $crashes agents dead at a crash point"
check() {
	"$root/tests/faults/check.sh" --work "$W" --build "$build" --port "$PG_PORT" "$@" "${CODES[@]}"
}
rc=0
check --rounds "$rounds" --seed "$seed" --kills "hub $kills_hub, spoke $kills_spoke, PostgreSQL $kills_pg; $crashes agents died at a crash point" \
	${report:+--report "$report"} || rc=$?
[ "$rc" -eq 0 ] || exit "$rc"

# --tamper: the checker must see a lost envelope, a duplicated one and a
# changed statistic; each change is undone after.
if [ "$tamper" -eq 1 ]; then
	tampered() { # WHAT DO-SQL UNDO-SQL EXPECTED-FAILURE
		local out
		sql "$2" >/dev/null
		out=$(check 2>&1) && { echo "$out"; echo "FAIL: the checker missed $1" >&2; exit 1; }
		sql "$3" >/dev/null
		case "$out" in *"FAIL: $4"*) say "the checker sees $1" ;;
		*) echo "$out"; echo "FAIL: $1 reported otherwise" >&2; exit 1 ;; esac
	}
	sender=${CODES[0]}
	msg=$(sql "SELECT max(id) FROM message_log WHERE sender_id = '$sender' AND outcome = 'accepted'")
	tampered "a lost envelope" \
		"UPDATE message_log SET outcome = 'tampered' WHERE id = $msg" \
		"UPDATE message_log SET outcome = 'accepted' WHERE id = $msg" lost
	tampered "a duplicated envelope" \
		"INSERT INTO message_log (sender_id, sequence, payload_type, digest, status, outcome)
		 SELECT sender_id, sequence, payload_type, digest, status, outcome FROM message_log WHERE id = $msg" \
		"DELETE FROM message_log WHERE id = (SELECT max(id) FROM message_log)" duplicated
	cell=$(sql "SELECT submission_id FROM statistics_cells WHERE current LIMIT 1")
	[ -n "$cell" ] || { echo "FAIL: no statistics to tamper with" >&2; exit 1; }
	tampered "a changed statistic" \
		"UPDATE statistics_cells SET charge_jpy = charge_jpy + 1 WHERE submission_id = $cell" \
		"UPDATE statistics_cells SET charge_jpy = charge_jpy - 1 WHERE submission_id = $cell" stats_unlike
	check >/dev/null || { echo "FAIL: tampering not undone" >&2; exit 1; }
fi
ok=1
