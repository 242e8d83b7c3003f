#!/usr/bin/env bash
# The read API on a hot standby (docs/replication.md): a primary and a
# streaming-replication standby made with deploy/pg.sh, a hub with --db on
# the primary and --db-read on the standby.  A listing published by a real
# spoke appears in the API once the standby has replayed it; with replay
# paused, the API still shows the old version while the primary holds the
# new one (so the answer came from the standby), and the audit entries of
# those calls are written on the primary.  With the standby stopped the
# API answers 503 while intake still accepts; once the standby is back it
# catches up and the API answers again.  Runs its own two clusters, since
# it stops one.
. "$(dirname "$0")/lib.sh"
primary=$WORK/primary/data
standby=$WORK/standby/data
mkdir -p "$WORK/primary" "$WORK/standby"
chmod 755 "$WORK" "$WORK/primary" "$WORK/standby"
trap 'ibx_pg_stop "$standby" || true; ibx_pg_stop "$primary" || true; ibx_cleanup' EXIT

# start_on_free_port DATADIR: start the cluster on a free port (another test
# may take the port first: retry), print the port.
start_on_free_port() {
	local port
	for _ in 1 2 3 4 5; do
		port=$(ibx_free_port)
		ibx_pg_start "$1" "$port" >&2 && { echo "$port"; return 0; }
		echo "port $port was taken; trying another" >&2
	done
	return 1
}

ibx_pg_init "$primary"
pport=$(start_on_free_port "$primary")
export PGPASSWORD
PGPASSWORD=$(cat "$WORK/primary/superuser.pass")
IBX_PG_PORT=$pport # lib.sh's clean-up drops its database here
ibx_pg_psql "$primary" "$pport" postgres "CREATE DATABASE inbound"
DSN=$(ibx_pg_dsn "$primary" "$pport" inbound)
"$HUB_BIN" migrate --db "$DSN" >/dev/null
"$IBX_SOURCE/deploy/pki/ca-init.sh" "$PKI" >/dev/null
TOKEN=$("$CTL_BIN" token create --db "$DSN" --role ministry 2>/dev/null)
H=3910118128
identity $H

ibx_pg_standby_init "$primary" "$pport" "$standby"
sport=$(start_on_free_port "$standby")
SDSN=$(ibx_pg_dsn "$standby" "$sport" inbound)
psql_p() { ibx_pg_psql "$primary" "$pport" inbound "$1"; }
psql_s() { ibx_pg_psql "$standby" "$sport" inbound "$1"; }
# caught_up: the standby has replayed everything committed on the primary.
caught_up() { ibx_pg_wait_replay "$standby" "$sport" "$(ibx_pg_wal_lsn "$primary" "$pport")" 30; }
assert_eq "$(psql_s "SELECT pg_is_in_recovery()")" t "the standby is in recovery (read-only)"
assert_eq "$(psql_p "SELECT application_name || ' ' || state FROM pg_stat_replication")" \
	"ibx_standby streaming" "the primary streams to the standby"
caught_up || fail "the standby did not catch up"
assert_eq "$(psql_s "SELECT count(*) FROM api_tokens")" 1 "the token created on the primary is on the standby"

hub_start --db-read "$SDSN"
assert_contains "$(cat "$WORK/hub.log")" "API reads from 127.0.0.1:$sport database inbound, hot standby" \
	"the hub logs that its API reads from the standby"
assert_eq "$(psql_s "SELECT count(*) >= 4 FROM pg_stat_activity
	WHERE datname = 'inbound' AND backend_type = 'client backend' AND pid <> pg_backend_pid()")" t \
	"the hub's read connections are on the standby"

out=$(publish "$EXAMPLE") || fail "publish: $out"
assert_contains "$out" "accepted as version 1" "the spoke's listing is accepted by the primary"
caught_up || fail "the standby did not replay the listing"
get "/api/v1/hospitals/$H"
assert_eq "$STATUS $(echo "$BODY" | jq -c '[.listing.beds, (.history | length)]')" "200 [620,1]" \
	"the replayed listing is served"
get "/api/v1/hospitals?prefecture=39"
assert_eq "$(echo "$BODY" | jq -r '[.total, .hospitals[0].organisation_code] | join(" ")')" "1 $H" \
	"the search finds it"

# Replay paused: the primary has version 2, the standby (and so the API)
# still version 1.  Were reads going to the primary, the API would say 2.
psql_s "SELECT pg_wal_replay_pause()" >/dev/null
for _ in $(seq 1 100); do
	[ "$(psql_s "SELECT pg_get_wal_replay_pause_state()")" = paused ] && break
	sleep 0.1
done
assert_eq "$(psql_s "SELECT pg_get_wal_replay_pause_state()")" paused "replay paused on the standby"
edit_json "$EXAMPLE" "$WORK/v2.json" '.beds = 640'
assert_contains "$(publish "$WORK/v2.json")" "accepted as version 2" "version 2 accepted"
assert_eq "$(psql_p "SELECT max(version) FROM listing_versions")" 2 "the primary holds version 2"
audit_before=$(psql_p "SELECT count(*) FROM audit_log")
get "/api/v1/hospitals/$H"
assert_eq "$STATUS $(echo "$BODY" | jq -c '[.listing.beds, (.history | length)]')" "200 [620,1]" \
	"with replay paused the API still serves version 1: it reads from the standby"
assert_eq "$(psql_p "SELECT count(*) FROM audit_log")" $((audit_before + 1)) \
	"the call's audit entry was written on the primary"
assert_eq "$(psql_p "SELECT path || ' ' || status FROM audit_log ORDER BY id DESC LIMIT 1")" \
	"/api/v1/hospitals/$H 200" "the audit entry names the call"
psql_s "SELECT pg_wal_replay_resume()" >/dev/null
caught_up || fail "the standby did not resume"
get "/api/v1/hospitals/$H"
assert_eq "$(echo "$BODY" | jq -c '[.listing.beds, (.history | length)]')" "[640,2]" \
	"after replay resumes the API serves version 2"
assert_eq "$("$CTL_BIN" audit verify --db "$DSN" >/dev/null 2>&1 && echo intact)" intact \
	"the audit chain on the primary verifies"

# The standby stops: reads answer 503 at once, intake goes on.
ibx_pg_stop "$standby"
code=$(curl -s --max-time 20 -o "$WORK/503.json" -w '%{http_code}' \
	-H "Authorization: Bearer $TOKEN" "$API/api/v1/hospitals/$H") || true
openapi_log GET "/api/v1/hospitals/$H" "$code" application/json "$(cat "$WORK/503.json")"
assert_eq "$code" 503 "with the standby down the read API answers 503 (within the 20 s bound)"
assert_eq "$(curl -s --max-time 20 -o /dev/null -w '%{http_code}' "$API/healthz")" 503 \
	"/healthz says the API's database is unavailable"
edit_json "$EXAMPLE" "$WORK/v3.json" '.beds = 660'
assert_contains "$(publish "$WORK/v3.json")" "accepted as version 3" \
	"with the standby down, intake still accepts"
assert_eq "$(psql_p "SELECT max(version) FROM listing_versions")" 3 "the primary holds version 3"
kill -0 "$HUB_PID" || fail "the hub died"

# The standby returns (same port), catches up through its replication
# slot, and the hub's read connections reconnect by themselves: each pooled
# connection may answer one more 503 as it finds its old session gone.
ibx_pg_start "$standby" "$sport"
caught_up || fail "the restarted standby did not catch up"
for _ in $(seq 1 20); do
	code=$(curl -s --max-time 20 -o /dev/null -w '%{http_code}' \
		-H "Authorization: Bearer $TOKEN" "$API/api/v1/hospitals/$H") || true
	[ "$code" = 200 ] && break
	sleep 0.2
done
get "/api/v1/hospitals/$H"
assert_eq "$STATUS $(echo "$BODY" | jq -c '[.listing.beds, (.history | length)]')" "200 [660,3]" \
	"after the standby returns the API serves version 3"
