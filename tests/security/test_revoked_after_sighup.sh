#!/usr/bin/env bash
# Issue 14, finding 2: revocation reaches the TLS handshake.  Before the
# fix SIGHUP reloaded only the envelope checks: a revoked certificate still
# completed its handshake (and got "cert revoked" from intake, exit 1, with
# a refusal in the message log).  Now, after SIGHUP, or by itself once the
# CRL file changes, the hub's TLS listener uses the new CRL: a revoked
# certificate gets no session at all (exit 3, nothing reaches intake),
# while other spokes go on being served by the same hub process.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib_trust.sh"
db_create
H=3910118128
R=3910110442
R2=3910110443
identity $H >/dev/null
identity $R >/dev/null
identity $R2 >/dev/null
hub_start_tls
pid=$HUB_PID
edit_json "$EXAMPLE" "$WORK/r.json" ".organisation_code = \"$R\""
edit_json "$EXAMPLE" "$WORK/r2.json" ".organisation_code = \"$R2\""

assert_contains "$(publish_tls "$WORK/r.json" $R)" "accepted as version 1" "before revocation R publishes over TLS"
assert_contains "$(publish_tls "$WORK/r2.json" $R2)" "accepted as version 1" "and R2 too"

# Revoke R, then SIGHUP at once (before the hub's own look at the file).
"$IBX_SOURCE/deploy/pki/revoke.sh" "$PKI" "$PKI/issued/$R.pem"
kill -HUP "$pid"
for i in $(seq 1 50); do
	grep -q "SIGHUP: the CA and CRL are reloaded" "$WORK/hub.log" && break
	sleep 0.1
done
assert_contains "$(cat "$WORK/hub.log")" "SIGHUP: the CA and CRL are reloaded into the envelope checks and the TLS listener" \
	"the hub reloads the CRL into TLS on SIGHUP"
before=$(sql "SELECT count(*) FROM message_log WHERE sender_id = '$R'")
edit_json "$WORK/r.json" "$WORK/r-2.json" '.beds = 700'
set +e
out=$(publish_tls "$WORK/r-2.json" $R)
rc=$?
set -e
assert_eq "$rc" 3 "after SIGHUP the revoked certificate gets no TLS session (exit 3, not an intake refusal)"
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE sender_id = '$R'")" "$before" \
	"nothing from it reaches intake"

# Revoke R2 without a signal: the hub sees the new CRL file by itself.
"$IBX_SOURCE/deploy/pki/revoke.sh" "$PKI" "$PKI/issued/$R2.pem"
for i in $(seq 1 100); do
	grep -q "the CRL file changed: the CA and CRL are reloaded" "$WORK/hub.log" && break
	sleep 0.1
done
assert_contains "$(cat "$WORK/hub.log")" "the CRL file changed: the CA and CRL are reloaded" \
	"a changed CRL file is reloaded without a signal"
set +e
out=$(publish_tls "$WORK/r2.json" $R2 --attempts 1)
rc=$?
set -e
assert_eq "$rc" 3 "R2, revoked without a signal, gets no TLS session either"

# The same hub process goes on serving the others.
edit_json "$EXAMPLE" "$WORK/v2.json" '.beds = 621'
assert_contains "$(publish_tls "$WORK/v2.json" $H)" "accepted as version" "a spoke in good standing is still served"
kill -0 "$pid" || fail "the hub restarted or stopped"
assert_eq "$HUB_PID" "$pid" "no restart"
