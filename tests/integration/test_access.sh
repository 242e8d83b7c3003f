#!/usr/bin/env bash
# Access to the HTTP API: bearer tokens and roles (401 for no, wrong,
# malformed, expired or revoked tokens; 403 for a role without the right),
# every call in the audit chain and a changed or deleted entry detected, and
# the API's database role reading only what it serves.
. "$(dirname "$0")/lib.sh"
db_create
H=3910118128
identity $H
# The API connects as a role that can only read what it serves.
api_role=$(echo "api_$DB_NAME" | cut -c1-60)
api_pass=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
sql "CREATE ROLE $api_role LOGIN PASSWORD '$api_pass' IN ROLE inbound_api" >/dev/null
trap 'sql "DROP OWNED BY $api_role" >/dev/null 2>&1; psql -h 127.0.0.1 -p "$IBX_PG_PORT" -U inbound -d postgres -qc "DROP ROLE IF EXISTS $api_role" >/dev/null 2>&1; ibx_cleanup' EXIT
(umask 077 && printf '*:*:*:%s:%s\n' "$api_role" "$api_pass" >"$WORK/api.pgpass")
API_DSN="host=127.0.0.1 port=$IBX_PG_PORT dbname=$DB_NAME user=$api_role passfile=$WORK/api.pgpass"
hub_start --db-read "$API_DSN"
publish "$EXAMPLE" >/dev/null

# 401: no token, a malformed one, an unknown one, an expired one, a revoked one.
get "/api/v1/hospitals" none
assert_eq "$STATUS" 401 "no token"
assert_contains "$(curl -sS -D - -o /dev/null "$API/api/v1/hospitals")" "WWW-Authenticate: Bearer" "401 names the scheme"
get "/api/v1/hospitals" "not-a-token"
assert_eq "$STATUS" 401 "malformed token"
get "/api/v1/hospitals" "ibx_$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
assert_eq "$STATUS" 401 "unknown token"
expired=$(token coordinator --expires 2020-01-01)
get "/api/v1/hospitals" "$expired"
assert_eq "$STATUS" 401 "expired token"
revoked=$(token coordinator --label to-revoke)
get "/api/v1/hospitals" "$revoked"
assert_eq "$STATUS" 200 "token works before revocation"
"$CTL_BIN" token revoke --db "$DSN" --token "$revoked" >/dev/null
get "/api/v1/hospitals" "$revoked"
assert_eq "$STATUS" 401 "revoked token"
set +e
"$CTL_BIN" token create --db "$DSN" --role hospital >/dev/null 2>&1
assert_eq "$?" 2 "a hospital token needs --org"
set -e

# 403: roles without the right.
coord=$(token coordinator)
hosp=$(token hospital --org $H)
get "/api/v1/hospitals?prefecture=39" "$coord"
assert_eq "$STATUS" 200 "coordinator searches hospitals"
get "/api/v1/completeness?period=2026-01" "$coord"
assert_eq "$STATUS" 403 "coordinator: no completeness"
get "/api/v1/statistics?by=hospital" "$coord"
assert_eq "$STATUS" 403 "coordinator: no per-hospital statistics"
get "/api/v1/statistics?hospital=$H" "$coord"
assert_eq "$STATUS" 403 "coordinator: no hospital filter"
get "/api/v1/completeness?period=2026-01" "$hosp"
assert_eq "$STATUS" 403 "hospital: no completeness"
get "/api/v1/statistics?hospital=3910110999" "$hosp"
assert_eq "$STATUS" 403 "hospital: not another hospital's figures"
get "/api/v1/statistics" "$hosp"
assert_eq "$STATUS" 200 "hospital: its own figures"
assert_eq "$(echo "$BODY" | jq -r .disclosure_control.applied)" "none: your own figures" "hospital: unsuppressed"
get "/api/v1/completeness?period=2026-01"
assert_eq "$STATUS" 200 "ministry: completeness"

# The audit chain: every call above is in it, in order, and verifies.
calls=$(sql "SELECT count(*) FROM audit_log")
[ "$calls" -eq 15 ] || fail "expected 15 audited calls, got $calls"
pass "$calls calls audited"
assert_eq "$(sql "SELECT count(*) FROM audit_log WHERE status = 401")" 6 "refused calls audited too"
assert_eq "$(sql "SELECT role || ' ' || path || ' ' || params || ' ' || status FROM audit_log WHERE role = 'coordinator' AND status = 403 ORDER BY id LIMIT 1")" \
	"coordinator /api/v1/completeness period=2026-01 403" "who, what, parameters, outcome"
out=$("$CTL_BIN" audit verify --db "$DSN")
assert_contains "$out" "audit chain intact: $calls entries" "audit verify on an intact chain"
orig=$(sql "SELECT params FROM audit_log WHERE id = (SELECT min(id) + 3 FROM audit_log)")
sql "UPDATE audit_log SET params = 'prefecture=01' WHERE id = (SELECT min(id) + 3 FROM audit_log)" >/dev/null
set +e
out=$("$CTL_BIN" audit verify --db "$DSN")
rc=$?
set -e
assert_eq "$rc" 1 "a changed entry fails verification"
assert_contains "$out" "do not match its hash (the entry was changed)" "and is named"
sql "UPDATE audit_log SET params = '$orig' WHERE id = (SELECT min(id) + 3 FROM audit_log)" >/dev/null
assert_contains "$("$CTL_BIN" audit verify --db "$DSN")" "intact" "restoring it restores the chain"
sql "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)" >/dev/null
set +e
out=$("$CTL_BIN" audit verify --db "$DSN")
rc=$?
set -e
assert_eq "$rc" 1 "removing the newest entry fails verification"
assert_contains "$out" "newest audit entries were removed" "and is found through the head"
sql "DELETE FROM audit_log WHERE id = (SELECT min(id) + 5 FROM audit_log)" >/dev/null
set +e
out=$("$CTL_BIN" audit verify --db "$DSN")
rc=$?
set -e
assert_eq "$rc" 1 "a deleted entry fails verification"
assert_contains "$out" "previous hash is not the hash of the entry before it" "and is found"

# The API's database role reads only what it serves.
as_api() { PGPASSWORD=$api_pass psql -h 127.0.0.1 -p "$IBX_PG_PORT" -U "$api_role" -d "$DB_NAME" -tAXc "$1" 2>&1 || true; }
for t in message_log api_tokens audit_log certificates; do
	assert_contains "$(as_api "SELECT count(*) FROM $t")" "permission denied" "API role cannot read $t"
done
assert_contains "$(as_api "DELETE FROM hospital_listings")" "permission denied" "API role cannot write listings"
assert_contains "$(as_api "INSERT INTO audit_log (method, path, params, status, cells, prev_hash, hash) VALUES ('GET','/x','',200,0,'','')")" \
	"permission denied" "API role cannot write the audit log but through its function"
