#!/usr/bin/env bash
# Hub failover: a spoke given two hubs (--hub twice; two inbound-hub serve
# processes on one database) keeps publishing when one of them is killed
# with SIGKILL: publish --outbox, and the agent as a daemon, which also
# comes back to a restarted hub when the other one dies in turn, and
# keeps what it sealed while both are down until one is back.
. "$(dirname "$0")/lib.sh"
db_create
H=3910118128
identity $H >/dev/null
AGENT=
trap '[ -z "$AGENT" ] || kill -KILL "$AGENT" 2>/dev/null || true; ibx_cleanup' EXIT

# hub_up NAME [PORT]: an inbound-hub of its own (lib.sh's hub_launch keeps
# one HUB_PID) on plain tcp:// on PORT or a free port; sets URL_NAME,
# PORT_NAME and PID_NAME, and leaves the process to lib.sh's cleanup.
hub_up() {
	local name=$1 want=${2:-} attempt i port http url pid
	for attempt in 1 2 3 4 5; do
		port=${want:-$(ibx_free_port)}
		http=$(ibx_free_port)
		url=tcp://127.0.0.1:$port
		"$HUB_BIN" serve --db "$DSN" --listen "$url" --insecure-tcp \
			--http "127.0.0.1:$http" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem" \
			2>>"$WORK/hub-$name.log" &
		pid=$!
		for i in $(seq 1 100); do
			if curl -fsS "http://127.0.0.1:$http/healthz" >/dev/null 2>&1; then
				HUB_PIDS+=("$pid")
				printf -v "URL_$name" '%s' "$url"
				printf -v "PORT_$name" '%s' "$port"
				printf -v "PID_$name" '%s' "$pid"
				return 0
			fi
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		echo "hub $name did not start on ports $port/$http (attempt $attempt)" >&2
	done
	cat "$WORK/hub-$name.log" >&2
	fail "hub $name did not start"
}
# hub_kill NAME: SIGKILL, as a crash would.
hub_kill() {
	local pid_var=PID_$1
	kill -KILL "${!pid_var}"
	wait "${!pid_var}" 2>/dev/null || true
}
current() { sql "SELECT doc->'name'->>'en' FROM listing_versions WHERE org_code = '$H' AND valid_to IS NULL"; }
n=0
listing() { # LISTING: a new listing file, unlike every one before
	n=$((n + 1))
	LISTING=$WORK/l$n.json
	edit_json "$EXAMPLE" "$LISTING" ".name.en = \"Kochi Health Sciences Center $n\""
}

hub_up A
hub_up B
ID=(--insecure-tcp --cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key" --timeout 3000)
HUBS=(--hub "$URL_A" --hub "$URL_B")
OB=$WORK/outbox

listing
out=$("$SPOKE_BIN" publish "${HUBS[@]}" --listing "$LISTING" --outbox "$OB" "${ID[@]}" 2>&1) || fail "publish to two hubs: $out"
assert_contains "$out" "accepted as version 1" "published with both hubs up"

hub_kill A
kill -0 "$PID_A" 2>/dev/null && fail "hub A still runs"
pass "hub A killed with SIGKILL"
for i in 1 2 3 4 5; do
	listing
	out=$("$SPOKE_BIN" publish "${HUBS[@]}" --listing "$LISTING" --outbox "$OB" "${ID[@]}" 2>&1) ||
		fail "publish $i with hub A dead: $out"
	assert_contains "$out" "accepted as version $((i + 1))" "publish $i with hub A dead"
done
assert_eq "$(find "$OB/pending" -type f | wc -l)" 0 "outbox empty"

# The agent, running: hub A back on its port, B killed, A killed again
# with B back.  Each time the changed listing reaches the hub that is up.
hub_up A "$PORT_A"
listing
cp "$LISTING" "$WORK/watched.json"
"$SPOKE_BIN" run --outbox "$WORK/agent-outbox" --listing "$WORK/watched.json" "${HUBS[@]}" "${ID[@]}" \
	--interval 1 >>"$WORK/agent.log" 2>&1 &
AGENT=$!
# wait_current NAME WHAT: until the current listing is named NAME (20 s).
wait_current() {
	local i
	for i in $(seq 1 200); do
		[ "$(current)" = "$1" ] && break
		sleep 0.1
	done
	assert_eq "$(current)" "$1" "$2"
}
wait_current "Kochi Health Sciences Center $n" "the agent started with both hubs up"
for round in 1 2; do
	if [ $round = 1 ]; then down=B up=A; else down=A up=B; fi
	hub_kill $down
	listing
	cp "$LISTING" "$WORK/watched.json"
	wait_current "Kochi Health Sciences Center $n" "round $round: published through hub $up with hub $down killed"
	[ $round = 1 ] && hub_up B "$PORT_B"
done
# Both hubs down: the listing waits in the outbox, the agent retries with
# backoff and says so in status.json; a hub back delivers it.
hub_kill B
listing
cp "$LISTING" "$WORK/watched.json"
for i in $(seq 1 100); do
	[ "$(jq -r '.pending' "$WORK/agent-outbox/status.json" 2>/dev/null)" = 1 ] &&
		[ "$(jq -r '.last_error.message' "$WORK/agent-outbox/status.json")" != null ] && break
	sleep 0.1
done
assert_eq "$(jq -r '.pending' "$WORK/agent-outbox/status.json")" 1 "both hubs down: one envelope pending"
assert_contains "$(jq -r '.last_error.message' "$WORK/agent-outbox/status.json")" "no answer from any hub" "status.json says why"
sleep 4
assert_contains "$(cat "$WORK/agent.log")" "next attempt in" "the agent backs off"
hub_up A "$PORT_A"
for i in $(seq 1 300); do
	[ "$(current)" = "Kochi Health Sciences Center $n" ] && break
	sleep 0.1
done
assert_eq "$(current)" "Kochi Health Sciences Center $n" "delivered once a hub is back"
kill -TERM "$AGENT"
set +e
wait "$AGENT"
rc=$?
set -e
AGENT=
assert_eq "$rc" 0 "the agent stops on SIGTERM"
assert_eq "$(jq -r .pending "$WORK/agent-outbox/status.json")" 0 "nothing left pending"
# nng resends a request unanswered for a second (to any hub), so a copy
# may come back as a duplicate; none may be refused or stored twice.
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE sender_id = '$H' AND outcome NOT IN ('accepted', 'duplicate')")" 0 "no message refused"
assert_eq "$(sql "SELECT count(*) FROM (SELECT sequence FROM message_log WHERE sender_id = '$H' AND outcome = 'accepted' GROUP BY sequence HAVING count(*) > 1) d")" 0 "no message stored twice"
assert_eq "$(sql "SELECT count(DISTINCT sequence) FROM message_log WHERE sender_id = '$H' AND outcome = 'accepted'")" 10 "every listing stored"
