#!/usr/bin/env bash
# PostgreSQL goes away under a running hub: the hub acknowledges nothing
# (spokes get "retry later" and keep their envelope), its HTTP API answers
# 503 at once rather than hanging, and when PostgreSQL is back the hub
# reconnects by itself and the held envelope is delivered exactly once.
# Runs its own PostgreSQL cluster, since it stops it.
. "$(dirname "$0")/lib.sh"
own=$WORK/pg
mkdir -p "$own"
chmod 755 "$WORK" "$own"
ibx_pg_init "$own/data"
port=$(ibx_free_port)
ibx_pg_start "$own/data" "$port"
trap 'ibx_pg_stop "$own/data" || true; ibx_cleanup' EXIT
export PGPASSWORD
PGPASSWORD=$(cat "$own/superuser.pass")
IBX_PG_PORT=$port
DSN=$(ibx_pg_dsn "$own/data" "$port" postgres)
"$HUB_BIN" migrate --db "$DSN" >/dev/null
"$IBX_SOURCE/deploy/pki/ca-init.sh" "$PKI" >/dev/null
TOKEN=$("$CTL_BIN" token create --db "$DSN" --role ministry 2>/dev/null)
sql() { psql -h 127.0.0.1 -p "$port" -U inbound -d postgres -tAXc "$1"; }
H=3910118128
identity $H
hub_start
assert_contains "$(publish "$EXAMPLE")" "accepted as version 1" "published while PostgreSQL is up"

ibx_pg_stop "$own/data"
edit_json "$EXAMPLE" "$WORK/v2.json" '.beds = 640'
set +e
out=$("$SPOKE_BIN" publish --insecure-tcp --hub "$NNG_URL" --listing "$WORK/v2.json" \
	--cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key" --outbox "$WORK/outbox" \
	--timeout 2000 --attempts 2 2>&1)
rc=$?
set -e
assert_eq "$rc" 3 "with PostgreSQL down, nothing is acknowledged (exit 3)"
assert_contains "$out" "retry" "the hub asks the spoke to retry"
assert_eq "$(ls "$WORK/outbox/pending" | wc -l)" 1 "the envelope waits in the outbox"
start=$(date +%s%N)
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$API/api/v1/hospitals")
ms=$((($(date +%s%N) - start) / 1000000))
assert_eq "$code" 503 "the API answers 503"
[ "$ms" -lt 5000 ] || fail "the API took $ms ms to answer"
pass "the API answered in $ms ms, not hanging"
assert_eq "$(curl -s -o /dev/null -w '%{http_code}' "$API/healthz")" 503 "/healthz says unavailable"
kill -0 "$HUB_PID" || fail "the hub died"

ibx_pg_start "$own/data" "$port"
out=$("$SPOKE_BIN" publish --insecure-tcp --hub "$NNG_URL" --listing "$WORK/v2.json" \
	--cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key" --outbox "$WORK/outbox" \
	--timeout 5000 --attempts 5 2>&1) || fail "after PostgreSQL returned: $out"
pass "after PostgreSQL returned, the hub reconnected by itself and accepted"
assert_eq "$(ls "$WORK/outbox/pending" | wc -l)" 0 "the outbox is empty"
assert_eq "$(sql "SELECT count(*) FROM listing_versions") $(sql "SELECT max(version) FROM listing_versions")" \
	"2 2" "the held listing stored exactly once, as version 2"
get "/api/v1/hospitals?prefecture=39"
assert_eq "$STATUS" 200 "the API answers again"
