#!/usr/bin/env bash
# Mutual TLS between spokes and the hub with the national PKI: a spoke with
# a certificate of the national CA publishes; one with a certificate of
# another CA, or a revoked one, cannot even connect; plain tcp:// needs an
# explicit flag on both sides; the key exchange uses P-256.
. "$(dirname "$0")/lib.sh"
db_create
H=3910118128
identity $H
identity 3910110442
"$IBX_SOURCE/deploy/pki/revoke.sh" "$PKI" "$PKI/issued/3910110442.pem"
"$IBX_SOURCE/deploy/pki/ca-init.sh" "$WORK/rogue" >/dev/null
"$IBX_SOURCE/deploy/pki/issue.sh" "$WORK/rogue" $H hospital
hub_start_tls

assert_contains "$(publish_tls "$EXAMPLE" $H)" "accepted as version 1" "publish over mutual TLS"
# The key exchange on P-256, not mbedTLS's first curve P-521 (three times
# the CPU per handshake; proto/transport/transport.c).
tmp=$(timeout 10 openssl s_client -connect "127.0.0.1:$NNG_PORT" -cert "$PKI/issued/$H.pem" \
	-key "$PKI/issued/$H.key" -CAfile "$PKI/ca.pem" </dev/null 2>&1 | tr -d '\0' | grep 'Server Temp Key' || true)
assert_contains "$tmp" "prime256v1" "the hub's ECDHE curve is P-256"

set +e
out=$("$SPOKE_BIN" publish --hub "$NNG_URL" --listing "$EXAMPLE" --ca "$PKI/ca.pem" \
	--cert "$WORK/rogue/issued/$H.pem" --key "$WORK/rogue/issued/$H.key" --timeout 1500 --attempts 1 2>&1)
rc=$?
set -e
assert_eq "$rc" 3 "a certificate of another CA gets no TLS session (exit 3: no answer)"
edit_json "$EXAMPLE" "$WORK/r.json" '.organisation_code = "3910110442"'
set +e
out=$(publish_tls "$WORK/r.json" 3910110442)
rc=$?
set -e
assert_eq "$rc" 3 "a revoked certificate gets no TLS session"
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE sender_id <> '$H'")" 0 "nothing from them reached intake"

set +e
out=$("$SPOKE_BIN" publish --hub "tcp://127.0.0.1:$NNG_PORT" --listing "$EXAMPLE" \
	--cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key" 2>&1)
rc=$?
set -e
assert_eq "$rc" 2 "the spoke refuses plain tcp:// without --insecure-tcp"
assert_contains "$out" "is not encrypted" "and says why"
set +e
out=$("$HUB_BIN" serve --db "$DSN" --listen "tcp://127.0.0.1:$(ibx_free_port)" --ca "$PKI/ca.pem" \
	--http "127.0.0.1:$(ibx_free_port)" 2>&1)
rc=$?
set -e
assert_eq "$rc" 1 "the hub refuses a plain tcp:// listener without --insecure-tcp"
assert_contains "$out" "is not encrypted" "and says why"
hub_alive || fail "hub stopped serving"
edit_json "$EXAMPLE" "$WORK/v2.json" '.beds = 621'
assert_contains "$(publish_tls "$WORK/v2.json" $H)" "accepted as version 2" "the hub still serves TLS spokes"
