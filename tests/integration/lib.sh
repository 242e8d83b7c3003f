# Shared helpers for the integration tests.  Source it at the top of a
# test_*.sh script run by ctest: it gives the test its own database in the
# fixture's PostgreSQL cluster and helpers to run a real hub and spokes on
# free loopback ports.  Everything the test starts is stopped on exit.
set -euo pipefail

: "${IBX_BUILD:?run through ctest}" "${IBX_SOURCE:?}" "${IBX_PG_STATE:?}"
. "$IBX_SOURCE/deploy/pg.sh"
. "$IBX_SOURCE/tests/integration/ports.sh"
. "$IBX_PG_STATE/env"

HUB_BIN=$IBX_BUILD/hub/inbound-hub
CTL_BIN=$IBX_BUILD/hub/inboundctl
SPOKE_BIN=$IBX_BUILD/spoke/inbound-spoke
PEER_BIN=$IBX_BUILD/tests/ibx-testpeer
DATAGEN_BIN=$IBX_BUILD/tools/datagen/inbound-datagen
TEST_NAME=$(basename "$0" .sh)
WORK=$(mktemp -d "/tmp/ibx-$TEST_NAME.XXXXXX")
DB_NAME=$(echo "t_${TEST_NAME}_$$" | tr -c 'a-z0-9_\n' '_')
OPENAPI_LOG=$WORK/openapi/responses.jsonl
# Passwords come from the cluster's passfile, never a command line (issue
# 14): psql as the superuser finds it through PGPASSFILE.  PGPASSWORD is
# not set, or libpq would try it for every role.
unset PGPASSWORD
export PGPASSFILE
PGPASSFILE=$(ibx_pg_passfile "$IBX_PG_DATA")
# DSN: the migration owner (migrations, inboundctl).  The hub connects as
# the intake, the API reader and the audit writer (HUB_DB_ARGS).
DSN=$(ibx_pg_dsn "$IBX_PG_DATA" "$IBX_PG_PORT" "$DB_NAME" ibx_owner)
INTAKE_DSN=$(ibx_pg_dsn "$IBX_PG_DATA" "$IBX_PG_PORT" "$DB_NAME" ibx_intake)
READER_DSN=$(ibx_pg_dsn "$IBX_PG_DATA" "$IBX_PG_PORT" "$DB_NAME" ibx_api)
AUDIT_DSN=$(ibx_pg_dsn "$IBX_PG_DATA" "$IBX_PG_PORT" "$DB_NAME" ibx_audit)
HUB_DB_ARGS=(--db "$INTAKE_DSN" --db-api "$READER_DSN" --db-audit "$AUDIT_DSN")
LIB_DSN=$DSN
HUB_PIDS=()
FAILURES=0

ibx_cleanup() {
	local rc=$? pid
	# An early exit (set -e) is a failure too: keep the logs.
	[ "$rc" -eq 0 ] || FAILURES=$((FAILURES + 1))
	for pid in "${HUB_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	# Every response the test read must match the API contract.
	if ! openapi_check; then
		echo "FAIL: responses above do not match hub/web/openapi.json" >&2
		FAILURES=$((FAILURES + 1))
	fi
	psql -h 127.0.0.1 -p "$IBX_PG_PORT" -U inbound -d postgres -qc \
		"DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1 || true
	if [ "$FAILURES" -eq 0 ]; then rm -rf "$WORK"; else echo "kept $WORK for inspection"; fi
	[ "$FAILURES" -eq 0 ] || exit 1
}
trap ibx_cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	FAILURES=$((FAILURES + 1))
	exit 1
}
pass() { echo "ok: $*"; }

# assert_eq ACTUAL EXPECTED WHAT
assert_eq() {
	[ "$1" == "$2" ] || fail "$3: expected '$2', got '$1'"
	pass "$3 = $2"
}

# assert_contains HAYSTACK NEEDLE WHAT
assert_contains() {
	case "$1" in
	*"$2"*) pass "$3" ;;
	*) fail "$3: '$2' not found in: $1" ;;
	esac
}

# sql QUERY: one value (or rows, | separated) from the test's database.
sql() {
	psql -h 127.0.0.1 -p "$IBX_PG_PORT" -U inbound -d "$DB_NAME" -tAXc "$1"
}

# db_create: a fresh database with every migration applied, and a national
# CA of the test's own in $PKI.
PKI=$WORK/pki
db_create() {
	psql -h 127.0.0.1 -p "$IBX_PG_PORT" -U inbound -d postgres -qc \
		"CREATE DATABASE $DB_NAME OWNER ibx_owner" >/dev/null
	"$HUB_BIN" migrate --db "$DSN" >/dev/null
	"$IBX_SOURCE/deploy/pki/ca-init.sh" "$PKI" >/dev/null
	TOKEN=$("$CTL_BIN" token create --db "$DSN" --role ministry --label tests 2>/dev/null)
}

# token ROLE [--org CODE] [...]: a new API token.
token() {
	local role=$1
	shift
	"$CTL_BIN" token create --db "$DSN" --role "$role" "$@" 2>/dev/null
}

# identity CODE [ROLE] [issue.sh options]: issue a certificate and enrol it
# at the hub (ROLE defaults to hospital).
identity() {
	local code=$1 role=${2:-hospital}
	shift $(($# >= 2 ? 2 : 1))
	"$IBX_SOURCE/deploy/pki/issue.sh" "$PKI" "$code" "$role" "$@"
	"$CTL_BIN" enrol --db "$DSN" --ca "$PKI/ca.pem" --cert "$PKI/issued/$code.pem" >/dev/null
}

# hub_launch MODE [extra args]: start a hub on free ports (MODE tcp or
# tls) and wait until /healthz answers; a port taken between choosing and
# binding (tests run in parallel) is retried with others.  Sets NNG_URL,
# NNG_PORT, API, HTTP_PORT, HUB_PID.
hub_launch() {
	local mode=$1 attempt i listen_args db_args
	shift
	# A test with a cluster of its own sets DSN itself: the hub uses it.
	db_args=("${HUB_DB_ARGS[@]}")
	[ "$DSN" = "$LIB_DSN" ] || db_args=(--db "$DSN")
	for attempt in 1 2 3 4 5; do
		NNG_PORT=$(ibx_free_port)
		HTTP_PORT=$(ibx_free_port)
		API=http://127.0.0.1:$HTTP_PORT
		if [ "$mode" = tls ]; then
			NNG_URL=tls+tcp://127.0.0.1:$NNG_PORT
			listen_args=(--cert "$PKI/hub/hub.pem" --key "$PKI/hub/hub.key")
		else
			NNG_URL=tcp://127.0.0.1:$NNG_PORT
			listen_args=(--insecure-tcp)
		fi
		"$HUB_BIN" serve "${db_args[@]}" --listen "$NNG_URL" "${listen_args[@]}" \
			--http "127.0.0.1:$HTTP_PORT" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem" \
			--web "$IBX_SOURCE/hub/web" "$@" 2>>"$WORK/hub.log" &
		HUB_PID=$!
		# Up to 30 s: a loaded machine or a sanitized build starts slowly.
		for i in $(seq 1 300); do
			if curl -fsS "$API/healthz" >/dev/null 2>&1; then
				HUB_PIDS+=("$HUB_PID")
				return 0
			fi
			kill -0 "$HUB_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill "$HUB_PID" 2>/dev/null || true
		wait "$HUB_PID" 2>/dev/null || true
		echo "hub did not start on ports $NNG_PORT/$HTTP_PORT (attempt $attempt)" >&2
	done
	cat "$WORK/hub.log" >&2
	fail "hub did not start"
}

# hub_start [extra args]: a hub on plain tcp:// (--insecure-tcp).
hub_start() {
	hub_launch tcp "$@"
}

# hub_alive: the hub process runs and answers /healthz.
hub_alive() {
	kill -0 "$HUB_PID" 2>/dev/null && curl -fsS "$API/healthz" >/dev/null 2>&1
}

# publish FILE [extra args]: publish a listing with the real spoke, signed
# with the certificate of the listing's organisation; prints its output,
# returns its exit status.
publish() {
	local f=$1 code
	shift
	code=$(jq -r '.organisation_code // "none"' "$f" 2>/dev/null || echo none)
	"$SPOKE_BIN" publish --insecure-tcp --hub "$NNG_URL" --listing "$f" \
		--cert "$PKI/issued/$code.pem" --key "$PKI/issued/$code.key" \
		--timeout 3000 --attempts 2 "$@" 2>&1
}

# get PATH [TOKEN]: GET from the API with a bearer token (the test's
# ministry token by default, "none" for none); sets STATUS and BODY.
get() {
	local out auth=()
	[ "${2:-$TOKEN}" = none ] || auth=(-H "Authorization: Bearer ${2:-$TOKEN}")
	out=$(curl -sS "${auth[@]}" -w '\n%{content_type}\n%{http_code}' "$API$1")
	STATUS=${out##*$'\n'}
	out=${out%$'\n'*}
	CONTENT_TYPE=${out##*$'\n'}
	BODY=${out%$'\n'*}
	openapi_log GET "$1" "$STATUS" "$CONTENT_TYPE" "$BODY"
}

# openapi_log METHOD PATH STATUS CONTENT_TYPE BODY: keep a response to be
# checked against the API contract (hub/web/openapi.json) when the test ends.
openapi_log() {
	local f
	[ "$3" != 000 ] || return 0
	mkdir -p "$WORK/openapi"
	f=$(mktemp "$WORK/openapi/XXXXXX.body")
	printf '%s' "$5" >"$f"
	jq -cn --arg m "$1" --arg p "$2" --arg s "$3" --arg c "$4" --arg f "$f" \
		'{method: $m, path: $p, status: ($s | tonumber), content_type: $c, body_file: $f}' >>"$OPENAPI_LOG"
}

# openapi_check: every logged response matches the API contract
# (tests/openapi/validate.mjs; IBX_OPENAPI_CHECK=0 skips it).
openapi_check() {
	[ "${IBX_OPENAPI_CHECK:-1}" != 0 ] && [ -s "$OPENAPI_LOG" ] || return 0
	node "$IBX_SOURCE/tests/openapi/validate.mjs" --quiet batch "$OPENAPI_LOG"
}

# edit_json IN OUT JQ-FILTER: a changed copy of a listing.
edit_json() {
	jq "$3" "$1" >"$2"
}

EXAMPLE=$IBX_SOURCE/tests/data/listing_example.json

# forge OUT CODE [ibx-testpeer forge options]: an envelope signed with
# CODE's key and certificate, built without the spoke's checks.
forge() {
	local out=$1 code=$2
	shift 2
	"$PEER_BIN" forge --out "$out" --cert "$PKI/issued/$code.pem" \
		--key "$PKI/issued/$code.key" "$@"
}

# send FILE: send raw envelope bytes to the hub; prints the Ack.
send() {
	"$PEER_BIN" send --hub "$NNG_URL" --file "$1"
}

# hub_start_tls [extra args]: a hub listening on tls+tcp:// only (mutual
# TLS with the test's CA and CRL).
hub_start_tls() {
	[ -f "$PKI/hub/hub.pem" ] || {
		"$IBX_SOURCE/deploy/pki/issue.sh" "$PKI" 0000000000 hub
		mkdir -p "$PKI/hub"
		mv "$PKI/issued/0000000000.pem" "$PKI/hub/hub.pem"
		mv "$PKI/issued/0000000000.key" "$PKI/hub/hub.key"
	}
	hub_launch tls "$@"
}

# publish_tls FILE CODE [extra]: publish over mutual TLS as CODE.
publish_tls() {
	local f=$1 code=$2
	shift 2
	"$SPOKE_BIN" publish --hub "$NNG_URL" --listing "$f" --ca "$PKI/ca.pem" \
		--cert "$PKI/issued/$code.pem" --key "$PKI/issued/$code.key" \
		--timeout 1500 --attempts 1 "$@" 2>&1
}
