#!/usr/bin/env bash
# Issue 14, finding 2, the spoke's side: the agent reloads its CRL when the
# file changes.  Once the CA revokes the hub's certificate (a stolen hub
# key), a running agent stops believing that hub: no TLS session, no Ack
# taken on its word, and the envelope waits in the outbox.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib_trust.sh"
db_create
H=3910118128
identity $H >/dev/null
hub_start_tls
OB=$WORK/outbox
cp "$EXAMPLE" "$WORK/listing.json"
AGENT=
trap '[ -z "$AGENT" ] || kill "$AGENT" 2>/dev/null || true; ibx_cleanup' EXIT
"$SPOKE_BIN" run --outbox "$OB" --listing "$WORK/listing.json" --hub "$NNG_URL" --ca "$PKI/ca.pem" \
	--crl "$PKI/crl.pem" --cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key" --interval 1 \
	--timeout 1500 2>"$WORK/agent.log" &
AGENT=$!
for i in $(seq 1 100); do [ "$(journal_lines "$OB")" -ge 1 ] && break; sleep 0.1; done
assert_eq "$(journal_lines "$OB")" 1 "the agent delivers while the hub's certificate is good"

"$IBX_SOURCE/deploy/pki/revoke.sh" "$PKI" "$PKI/hub/hub.pem"
for i in $(seq 1 100); do grep -q "crl.pem reloaded" "$WORK/agent.log" && break; sleep 0.1; done
assert_contains "$(cat "$WORK/agent.log")" "crl.pem reloaded" "the agent reloads its CRL when the file changes"
jq '.beds = 700' "$EXAMPLE" >"$WORK/listing.json.new" && mv "$WORK/listing.json.new" "$WORK/listing.json"
for i in $(seq 1 50); do [ "$(pending "$OB")" -ge 1 ] && break; sleep 0.1; done
assert_eq "$(pending "$OB")" 1 "the changed listing is sealed"
sleep 5
assert_eq "$(pending "$OB")" 1 "and it waits: the revoked hub is not believed"
assert_eq "$(journal_lines "$OB")" 1 "nothing more is recorded as acknowledged"
