#!/usr/bin/env bash
# Issue 14, finding 2: the CRL's freshness.  Before the fix a hub gave no
# warning before its CRL's nextUpdate, refused every spoke after it without
# saying why, and stayed so after a fresh CRL and SIGHUP until a restart;
# a hub started with a stale CRL said nothing.  Now it warns well before
# (log and /healthz), refuses after it saying why (log, /healthz 503), and
# recovers with a fresh CRL and SIGHUP, without a restart.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib_trust.sh"
db_create
H=3910118128
identity $H >/dev/null
crl() { "$IBX_SOURCE/deploy/pki/crl.sh" "$PKI" "$@"; }

# 1. A CRL an hour from its nextUpdate: the hub serves, and warns.
crl --seconds 3600
hub_start_tls
pid=$HUB_PID
get /healthz none
assert_eq "$STATUS" 200 "/healthz answers 200 with a CRL near its nextUpdate"
assert_eq "$(jq -r .crl.state <<<"$BODY")" expiring "/healthz says the CRL is expiring"
assert_contains "$(cat "$WORK/hub.log")" "expires at" "the hub warns in its log"
assert_contains "$(publish_tls "$EXAMPLE" $H)" "accepted as version 1" "spokes are served meanwhile"

# 2. The CRL passes its nextUpdate: every spoke is refused, and the hub
# says why.
crl --seconds 2
kill -HUP "$pid"
sleep 3
for i in $(seq 1 50); do
	grep -q "EXPIRED at" "$WORK/hub.log" && break
	sleep 0.1
done
assert_contains "$(cat "$WORK/hub.log")" "EXPIRED at" "the hub logs that its CRL expired"
assert_contains "$(cat "$WORK/hub.log")" "refusing every spoke" "and that it refuses spokes"
get /healthz none
assert_eq "$STATUS" 503 "/healthz answers 503"
assert_eq "$(jq -r .crl.state <<<"$BODY")" expired "/healthz says the CRL expired"
assert_contains "$(jq -r .crl.reason <<<"$BODY")" "fresh CRL" "and what to do"
before=$(sql "SELECT count(*) FROM message_log")
edit_json "$EXAMPLE" "$WORK/v2.json" '.beds = 621'
set +e
out=$(publish_tls "$WORK/v2.json" $H)
rc=$?
set -e
assert_eq "$rc" 3 "a spoke in good standing is refused (fail closed)"
assert_eq "$(sql "SELECT count(*) FROM message_log")" "$before" "nothing reaches intake"

# 3. A fresh CRL and SIGHUP: served again by the same process.
crl
kill -HUP "$pid"
for i in $(seq 1 50); do
	get /healthz none
	[ "$STATUS" != 200 ] || break
	sleep 0.1
done
assert_eq "$STATUS" 200 "/healthz is 200 again"
assert_eq "$(jq -r .crl.state <<<"$BODY")" fresh "the CRL is fresh"
assert_contains "$(publish_tls "$WORK/v2.json" $H)" "accepted as version 2" "spokes are served again"
kill -0 "$pid" || fail "the hub stopped"
assert_eq "$HUB_PID" "$pid" "without a restart"

# 4. A hub started with an expired CRL says so at once.
crl --seconds 1
sleep 2
# Up to 5 attempts on fresh ports: another test may take a port between
# ibx_free_port and the hub's bind (it happened once in CI).
for attempt in 1 2 3 4 5; do
	port=$(ibx_free_port)
	hport=$(ibx_free_port)
	"$HUB_BIN" serve --db "$DSN" --listen "tls+tcp://127.0.0.1:$port" --cert "$PKI/hub/hub.pem" \
		--key "$PKI/hub/hub.key" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem" --http "127.0.0.1:$hport" \
		2>"$WORK/hub2.log" &
	pid2=$!
	HUB_PIDS+=("$pid2")
	code=000
	for i in $(seq 1 300); do
		code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$hport/healthz" || true)
		[ "$code" = 000 ] || break
		kill -0 "$pid2" 2>/dev/null || break
		sleep 0.1
	done
	[ "$code" = 000 ] || break
	kill "$pid2" 2>/dev/null || true
	wait "$pid2" 2>/dev/null || true
	echo "second hub did not answer on ports $port/$hport (attempt $attempt):" >&2
	cat "$WORK/hub2.log" >&2
done
assert_contains "$(cat "$WORK/hub2.log")" "EXPIRED at" "a hub started with a stale CRL says so at once"
assert_eq "$code" 503 "and its /healthz answers 503"
