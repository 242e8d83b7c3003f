#!/usr/bin/env bash
# Issue 14, finding 4: the hub ran as a PostgreSQL superuser with the
# password on its command line, readable by any local user in
# /proc/PID/cmdline.  Now every hub connection is a role of its own, none a
# superuser, each allowed only what its part needs, and no password is in
# any process's argv while hub, spokes and inboundctl run.
. "$(dirname "$0")/../integration/lib.sh"
db_create
H=3910118128
identity $H
hub_start_tls
publish_tls "$EXAMPLE" $H >/dev/null || fail "listing not published"
get "/api/v1/hospitals"
assert_eq "$STATUS" 200 "the API answers as its own role"
get "/api/v1/me" none
assert_eq "$STATUS" 401 "a refused call (audited as the audit writer)"

# 1. No hub connection is a superuser; each is the role of its part.
conns=$(sql "SELECT a.usename || ':' || r.rolsuper FROM pg_stat_activity a
	JOIN pg_roles r ON r.oid = a.usesysid
	WHERE a.datname = '$DB_NAME' AND a.pid <> pg_backend_pid() AND a.usename <> 'inbound'
	GROUP BY 1 ORDER BY 1" | tr '\n' ' ')
assert_eq "$conns" "ibx_api:false ibx_audit:false ibx_intake:false " "the hub's connections: intake, API reader, audit writer, none a superuser"
assert_eq "$(sql "SELECT count(*) FROM pg_stat_activity a JOIN pg_roles r ON r.oid = a.usesysid
	WHERE a.datname = '$DB_NAME' AND a.pid <> pg_backend_pid() AND r.rolsuper")" 0 "no superuser connection"
assert_eq "$(sql "SELECT string_agg(rolname || ':' || (rolsuper OR rolcreatedb OR rolreplication OR rolbypassrls), ',' ORDER BY rolname)
	FROM pg_roles WHERE rolname IN ('ibx_owner', 'ibx_intake', 'ibx_api', 'ibx_audit')")" \
	"ibx_api:false,ibx_audit:false,ibx_intake:false,ibx_owner:false" "no hub role is a superuser, creates databases, replicates or bypasses RLS"

# 2. Each role may do only its part.
as_role() { # ROLE SQL: run as ROLE (SET ROLE from the superuser); prints the error, if any
	sql "SET ROLE $1; $2" 2>&1 >/dev/null | sed -n 's/^ERROR: *//p' | head -1
}
assert_contains "$(as_role ibx_intake "SELECT count(*) FROM message_log")" "permission denied" "intake cannot read a table"
assert_contains "$(as_role ibx_intake "DELETE FROM hospital_listings")" "permission denied" "intake cannot write a table directly"
assert_contains "$(as_role ibx_intake "SELECT ibx_audit_record(NULL, NULL, NULL, 'GET', '/', '', 200, 0, NULL)")" \
	"permission denied" "intake cannot write the audit chain"
assert_eq "$(as_role ibx_intake "SELECT * FROM ibx_intake_enrolment('\\x00')")" "" "intake may call its functions"
assert_contains "$(as_role ibx_api "SELECT count(*) FROM message_log")" "permission denied" "the API reader cannot read envelopes"
assert_contains "$(as_role ibx_api "SELECT count(*) FROM api_tokens")" "permission denied" "nor token hashes"
assert_contains "$(as_role ibx_api "INSERT INTO settings VALUES ('x', 'y')")" "permission denied" "nor write"
assert_contains "$(as_role ibx_api "SELECT ibx_store_statistics(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	NULL, NULL, NULL)")" \
	"permission denied" "nor call the intake's functions"
assert_eq "$(as_role ibx_api "SELECT count(*) FROM hospital_listings")" "" "the API reader reads listings"
assert_contains "$(as_role ibx_audit "SELECT count(*) FROM audit_log")" "permission denied" "the audit writer reads nothing"
assert_contains "$(as_role ibx_audit "DELETE FROM audit_log")" "permission denied" "nor deletes entries"

# 3. No password in any process's argv: the hub, a spoke publishing and
# inboundctl running now, read from /proc as any local user could.
secrets=("$(cat "$(dirname "$IBX_PG_DATA")/superuser.pass")")
while read -r _ pass; do secrets+=("$pass"); done <"$(dirname "$IBX_PG_DATA")/roles.pass"
edit_json "$EXAMPLE" "$WORK/v2.json" '.beds = 640'
publish_tls "$WORK/v2.json" $H >/dev/null &
spoke=$!
"$CTL_BIN" token list --db "$DSN" >/dev/null &
ctl=$!
found=0 scanned=0
for i in 1 2 3; do
	for f in /proc/[0-9]*/cmdline; do
		args=$( (tr '\0' ' ' <"$f") 2>/dev/null) || continue
		[ -n "$args" ] || continue
		scanned=$((scanned + 1))
		for s in "${secrets[@]}"; do
			case "$args" in *"$s"*)
				echo "password in the argv of ${f%/cmdline}: ${args:0:120}" >&2
				found=$((found + 1)) ;;
			esac
		done
		# Any program of this build with a connection string holding a
		# password (other engineers' processes on the machine aside).
		case "$args" in *"$IBX_BUILD"*"password="* | *"$IBX_SOURCE/"*"password="*)
			echo "password= in the argv of ${f%/cmdline}: ${args:0:120}" >&2
			found=$((found + 1)) ;;
		esac
	done
	sleep 0.2
done
wait "$spoke" "$ctl" || true
assert_eq "$found" 0 "no password in any of $scanned process command lines (hub, spoke, inboundctl running)"
hub_cmd=$(tr '\0' ' ' </proc/$HUB_PID/cmdline)
assert_contains "$hub_cmd" "passfile=" "the hub's connection strings name a passfile"
assert_eq "$(stat -c %a "$(dirname "$IBX_PG_DATA")/pgpass")" 600 "the passfile is mode 600"

# 4. The hub refuses a password on its command line.
set +e
out=$("$HUB_BIN" serve --db "host=127.0.0.1 dbname=x user=ibx_intake password=secret" --insecure-tcp 2>&1)
rc=$?
set -e
assert_eq "$rc" 2 "inbound-hub refuses --db with a password"
assert_contains "$out" "passfile" "and says where the password goes"
