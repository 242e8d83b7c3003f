#!/usr/bin/env bash
# cmake --install into an empty scratch prefix gives what the systemd units
# run: the units' own command lines (ExecStartPre, ExecStart), with the
# prefix, /etc and /var/lib paths put under the scratch folder, migrate a
# throwaway database, serve (healthz answers, the pages are served from the
# installed web folder) and a spoke agent publishes its listing over TLS.
# The installed binaries hold no path of the source or build tree.
. "$(dirname "$0")/lib.sh"

PREFIX=$WORK/prefix
ETC=$WORK/etc
VAR=$WORK/var
mkdir -p "$PREFIX"
[ -z "$(ls -A "$PREFIX")" ] || fail "scratch prefix not empty"
cmake --install "$IBX_BUILD" --prefix "$PREFIX" >"$WORK/install.log" || fail "cmake --install"

SHARE=$PREFIX/share/inbound-exchange
for f in bin/inbound-hub bin/inbound-spoke bin/inbound-spoke-page bin/inboundctl \
	share/inbound-exchange/sql/migrations/001_listings.sql \
	share/inbound-exchange/sql/functions/ibx_store_hospital_listing.sql \
	share/inbound-exchange/web/index.html share/inbound-exchange/web/openapi.json \
	share/inbound-exchange/web/ui/app.js share/inbound-exchange/spoke-web/app.js \
	lib/systemd/system/inbound-hub.service lib/systemd/system/inbound-hub-migrate.service \
	lib/systemd/system/inbound-spoke.service; do
	[ -e "$PREFIX/$f" ] || fail "not installed: $f"
done
# The chart library the page loads, when deploy/install-web.sh has put it
# in the source tree (tests/run.sh does).
if [ -e "$IBX_SOURCE/hub/web/ui/vendor/chart.umd.min.js" ]; then
	[ -e "$SHARE/web/ui/vendor/chart.umd.min.js" ] || fail "not installed: the vendored chart library"
fi
pass "programs, SQL, web pages (with the vendored chart library) and units installed"
[ -z "$(find "$PREFIX" -name node_modules -o -name package-lock.json)" ] || fail "node_modules or npm files installed"
pass "no node_modules installed"
# A sanitized build keeps each object's source path in the sanitizer's own
# metadata (GCC's ASan module names ignore -ffile-prefix-map); it is never
# shipped, so the check is for the others.
if grep -q '^IBX_SANITIZER:STRING=.' "$IBX_BUILD/CMakeCache.txt" 2>/dev/null; then
	echo "note: $IBX_BUILD is a sanitized build; source-path check left to the others"
else
	for b in "$PREFIX"/bin/inbound-hub "$PREFIX"/bin/inbound-spoke "$PREFIX"/bin/inboundctl; do
		n=$(grep -a -c -F -e "$IBX_SOURCE" -e "$IBX_BUILD" "$b" || true)
		assert_eq "$n" 0 "$(basename "$b"): source or build paths in the binary"
	done
fi

# A program copied away from its data names the folder it looked for and
# the flag to use, and exits 2.
mkdir -p "$WORK/lonely/bin"
cp "$PREFIX/bin/inbound-hub" "$WORK/lonely/bin/"
rc=0
"$WORK/lonely/bin/inbound-hub" migrate --db "$DSN" 2>"$WORK/lonely.log" || rc=$?
assert_eq "$rc" 2 "exit status without an SQL folder"
assert_contains "$(cat "$WORK/lonely.log")" "no sql folder at $WORK/lonely/share/inbound-exchange/sql" "the missing folder is named"
assert_contains "$(cat "$WORK/lonely.log")" "pass --sql-dir DIR" "the flag is named"

# unit_line UNIT KEY: the value of KEY= in UNIT, continuation lines joined,
# with the installed paths moved under the scratch folder.
unit_line() {
	awk -v key="$2=" '
		index($0, key) == 1 { on = 1; $0 = substr($0, length(key) + 1) }
		on { line = line $0; if (sub(/\\$/, "", line)) next; print line; exit }
	' "$1" | sed -e "s|/usr/local|$PREFIX|g" -e "s|/etc/inbound-|$ETC/inbound-|g" \
		-e "s|/var/lib/inbound-spoke|$VAR/inbound-spoke|g"
}
# unit_run LINE: run a command line as systemd would: ${VAR} is one word,
# $VAR is split into words, in the environment of the unit's file.
unit_run() {
	local line
	line=$(printf '%s' "$1" | sed -E -e 's/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/"${\1}"/g')
	eval "$line"
}
# unit_env FILE: export the NAME=value lines of an EnvironmentFile.
unit_env() {
	local k v
	while IFS='=' read -r k v; do
		[[ "$k" =~ ^[A-Z_]+$ ]] && export "$k=$v"
	done <"$1"
}

# The hub, as deploy/systemd/inbound-hub.service runs it.
UNIT=$PREFIX/lib/systemd/system/inbound-hub.service
"$IBX_SOURCE/deploy/pki/ca-init.sh" "$PKI" >/dev/null
mkdir -p "$ETC/inbound-hub" "$ETC/inbound-spoke" "$VAR"
"$IBX_SOURCE/deploy/pki/issue.sh" "$PKI" 0000000000 hub >/dev/null
cp "$PKI/issued/0000000000.pem" "$ETC/inbound-hub/hub.pem"
cp "$PKI/issued/0000000000.key" "$ETC/inbound-hub/hub.key"
cp "$PKI/ca.pem" "$PKI/crl.pem" "$ETC/inbound-hub/"
NNG_PORT=$(ibx_free_port)
HTTP_PORT=$(ibx_free_port)
cat >"$ETC/inbound-hub/hub.env" <<ENV
IBX_LISTEN=tls+tcp://127.0.0.1:$NNG_PORT
IBX_HTTP=127.0.0.1:$HTTP_PORT
ENV
# The database roles, each a service of the unit's service file (the
# passwords in the cluster's passfile, as in production).
for role in ibx_owner ibx_intake ibx_api ibx_audit; do
	printf '[%s]\nhost=127.0.0.1\nport=%s\ndbname=%s\nuser=%s\npassfile=%s\n' \
		"$role" "$IBX_PG_PORT" "$DB_NAME" "$role" "$PGPASSFILE"
done >"$ETC/inbound-hub/pg_service.conf"
[ "$(unit_line "$UNIT" EnvironmentFile)" = "$ETC/inbound-hub/hub.env" ] || fail "hub unit's EnvironmentFile"
[ "$(unit_line "$UNIT" Environment)" = "PGSERVICEFILE=$ETC/inbound-hub/pg_service.conf" ] || fail "hub unit's service file"
export PGSERVICEFILE=$ETC/inbound-hub/pg_service.conf
psql -h 127.0.0.1 -p "$IBX_PG_PORT" -U inbound -d postgres -qc \
	"CREATE DATABASE $DB_NAME OWNER ibx_owner" >/dev/null
MIGRATE_UNIT=$PREFIX/lib/systemd/system/inbound-hub-migrate.service
pre=$(unit_line "$MIGRATE_UNIT" ExecStart)
start=$(unit_line "$UNIT" ExecStart)
assert_contains "$pre" "$PREFIX/bin/inbound-hub migrate --db service=ibx_owner" "the migrate unit migrates as the owner"
out=$(unit_run "$pre" 2>"$WORK/migrate.log") || {
	cat "$WORK/migrate.log" >&2
	fail "migrate unit: $pre"
}
assert_eq "$out" "migrations applied: $(ls "$SHARE"/sql/migrations/*.sql | wc -l)" "the migrate unit migrated from the installed SQL folder"
(unit_env "$ETC/inbound-hub/hub.env"; unit_run "exec $start") 2>>"$WORK/hub.log" &
HUB_PID=$!
HUB_PIDS+=("$HUB_PID")
API=http://127.0.0.1:$HTTP_PORT
for i in $(seq 1 300); do
	curl -fsS "$API/healthz" >/dev/null 2>&1 && break
	kill -0 "$HUB_PID" 2>/dev/null || { cat "$WORK/hub.log" >&2; fail "ExecStart: hub exited: $start"; }
	sleep 0.1
done
curl -fsS "$API/healthz" >/dev/null || fail "healthz does not answer"
pass "ExecStart serves: healthz answers"
curl -fsS "$API/" | grep -q '<script type="module" src="/ui/app.js">' || fail "index page not served from the installed web folder"
[ ! -e "$SHARE/web/ui/vendor/chart.umd.min.js" ] || curl -fsS -o /dev/null "$API/ui/vendor/chart.umd.min.js" ||
	fail "vendored chart library not served"
pass "pages served from $SHARE/web"

# A spoke agent, as deploy/systemd/inbound-spoke.service runs it.
CODE=3910118128
TOKEN=$("$PREFIX/bin/inboundctl" token create --db "$DSN" --role ministry --label tests 2>/dev/null)
"$IBX_SOURCE/deploy/pki/issue.sh" "$PKI" "$CODE" hospital >/dev/null
"$PREFIX/bin/inboundctl" enrol --db "$DSN" --ca "$PKI/ca.pem" --cert "$PKI/issued/$CODE.pem" >/dev/null ||
	fail "installed inboundctl enrol"
cp "$PKI/issued/$CODE.pem" "$PKI/issued/$CODE.key" "$PKI/ca.pem" "$PKI/crl.pem" "$ETC/inbound-spoke/"
mkdir -p "$WORK/srv/cases"
cp "$EXAMPLE" "$WORK/srv/listing.json"
cat >"$ETC/inbound-spoke/spoke.env" <<ENV
IBX_HUBS=--hub tls+tcp://127.0.0.1:$NNG_PORT
IBX_LISTING=$WORK/srv/listing.json
IBX_CASES_DIR=$WORK/srv/cases
IBX_ORG=$CODE
ENV
UNIT=$PREFIX/lib/systemd/system/inbound-spoke.service
start=$(unit_line "$UNIT" ExecStart)
assert_contains "$start" "$PREFIX/bin/inbound-spoke run" "spoke ExecStart runs the agent"
(unit_env "$ETC/inbound-spoke/spoke.env"; unit_run "exec $start") >>"$WORK/spoke.log" 2>&1 &
SPOKE_PID=$!
HUB_PIDS+=("$SPOKE_PID")
for i in $(seq 1 300); do
	[ "$(sql "SELECT count(*) FROM hospital_listings WHERE org_code = '$CODE'")" = 1 ] && break
	kill -0 "$SPOKE_PID" 2>/dev/null || { cat "$WORK/spoke.log" >&2; fail "ExecStart: spoke exited: $start"; }
	sleep 0.1
done
assert_eq "$(sql "SELECT count(*) FROM hospital_listings WHERE org_code = '$CODE'")" 1 "the spoke agent published its listing"
get "/api/v1/hospitals/$CODE"
assert_eq "$STATUS" 200 "the listing is served by the installed hub"
[ -d "$VAR/inbound-spoke/outbox" ] || fail "the outbox is not under the unit's state folder"
pass "outbox kept in $VAR/inbound-spoke/outbox"

# The agent with the hospital's page, as deploy/systemd/inbound-spoke-page.service
# runs it in place of inbound-spoke.service (they conflict: one outbox): the
# listing and the accounts in the state folder, the page on loopback.
PAGE_UNIT=$PREFIX/lib/systemd/system/inbound-spoke-page.service
assert_contains "$(unit_line "$PAGE_UNIT" Conflicts)" "inbound-spoke.service" "the page unit replaces the agent's unit"
kill "$SPOKE_PID" && wait "$SPOKE_PID" 2>/dev/null || true
start=$(unit_line "$PAGE_UNIT" ExecStart)
assert_contains "$start" "$PREFIX/bin/inbound-spoke serve --http \${IBX_PAGE_HTTP}" "page ExecStart serves the page"
assert_contains "$start" "--state $VAR/inbound-spoke" "page ExecStart keeps its files in the state folder"
assert_eq "$(unit_line "$PAGE_UNIT" Environment)" "IBX_PAGE_HTTP=127.0.0.1:8081" "the page listens on loopback by default"
[ "$(unit_line "$PAGE_UNIT" EnvironmentFile)" = "$ETC/inbound-spoke/spoke.env" ] || fail "page unit's environment file"
PAGE_PORT=$(ibx_free_port)
echo "IBX_PAGE_HTTP=127.0.0.1:$PAGE_PORT" >>"$ETC/inbound-spoke/spoke.env"
# A new version of the listing in the state folder, as the page writes it.
sed -e 's/"beds": 620/"beds": 621/' "$EXAMPLE" >"$VAR/inbound-spoke/listing.json"
printf 'install-test-password\n' >"$WORK/page-pw" && chmod 600 "$WORK/page-pw"
"$PREFIX/bin/inbound-spoke" user create --state "$VAR/inbound-spoke" --login tanaka --password-file "$WORK/page-pw" >/dev/null ||
	fail "installed inbound-spoke user create"
(unit_env "$ETC/inbound-spoke/spoke.env"; unit_run "exec $start") >>"$WORK/page.log" 2>&1 &
PAGE_PID=$!
HUB_PIDS+=("$PAGE_PID")
for i in $(seq 1 300); do
	[ "$(sql "SELECT beds FROM hospital_listings WHERE org_code = '$CODE'")" = 621 ] && break
	kill -0 "$PAGE_PID" 2>/dev/null || { cat "$WORK/page.log" >&2; fail "ExecStart: page unit exited: $start"; }
	sleep 0.1
done
assert_eq "$(sql "SELECT beds FROM hospital_listings WHERE org_code = '$CODE'")" 621 "the page unit's agent published the state folder's listing"
page=$(curl -fsS "http://127.0.0.1:$PAGE_PORT/") || fail "the page is not served on 127.0.0.1:$PAGE_PORT"
assert_contains "$page" "app.js" "the page is served from the installed spoke-web folder"
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PAGE_PORT/api/listing")
assert_eq "$status" 401 "the page's API asks for a sign-in"
pass "inbound-spoke-page.service: serve with the page on loopback, the agent publishing from $VAR/inbound-spoke"
