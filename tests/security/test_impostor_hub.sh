#!/usr/bin/env bash
# Issue 14, finding 1: a listener holding an organisation's certificate
# poses as the hub.  Before the fix a spoke checked only the chain to the
# national CA, every organisation certificate allowed serverAuth, and the
# impostor got the hospital's envelope and emptied its outbox with an
# "accepted".  Now the spoke's TLS handshake fails against it (no
# serverAuth, no hub name), it receives nothing, and the envelope stays
# pending until the real hub takes it.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib_trust.sh"
db_create
H=3910118128
OTHER=3910110442
identity $H >/dev/null
identity $OTHER >/dev/null
hub_cert
OB=$WORK/outbox
ID=(--ca "$PKI/ca.pem" --crl "$PKI/crl.pem" --cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key"
	--timeout 1500 --attempts 1 --outbox "$OB")

ku=$(openssl x509 -in "$PKI/issued/$OTHER.pem" -noout -ext extendedKeyUsage)
assert_contains "$ku" "TLS Web Client Authentication" "an organisation certificate is for TLS clients"
case "$ku" in *"Server Authentication"*) fail "an organisation certificate allows serverAuth" ;; esac
pass "an organisation certificate does not allow serverAuth"

# 1. Another hospital's certificate, as deploy/pki issues it now.
impostor_start "$WORK/imp1.log" --cert "$PKI/issued/$OTHER.pem" --key "$PKI/issued/$OTHER.key" \
	--ca "$PKI/ca.pem" --ack good
spoke publish --hub "$IMP_URL" --listing "$EXAMPLE" "${ID[@]}"
impostor_stop
assert_eq "$RC" 3 "the spoke finds no hub at the impostor (exit 3)"
assert_eq "$(received "$WORK/imp1.log")" 0 "the impostor with an organisation certificate received nothing"
assert_eq "$(pending "$OB")" 1 "the envelope stays pending"
assert_eq "$(journal_lines "$OB")" 0 "nothing is recorded as acknowledged"

# 2. An organisation certificate as deploy/pki issued them before the fix
# (clientAuth and serverAuth): the hub's name is still missing.
openssl ecparam -name prime256v1 -genkey -noout -out "$WORK/old.key"
openssl req -new -key "$WORK/old.key" -subj "/C=JP/O=Inbound Exchange/OU=hospital/CN=3910110443" \
	-out "$WORK/old.csr"
printf '[ old ]\nbasicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth,serverAuth\n' >"$WORK/old.ext"
IBX_PKI=$PKI openssl ca -batch -config "$IBX_SOURCE/deploy/pki/openssl.cnf" -extfile "$WORK/old.ext" \
	-extensions old -in "$WORK/old.csr" -out "$WORK/old.pem" -notext 2>/dev/null
impostor_start "$WORK/imp2.log" --cert "$WORK/old.pem" --key "$WORK/old.key" --ca "$PKI/ca.pem" --ack good
spoke publish --hub "$IMP_URL" --listing "$EXAMPLE" "${ID[@]}"
impostor_stop
assert_eq "$RC" 3 "an old-profile organisation certificate is not the hub either (exit 3)"
assert_eq "$(received "$WORK/imp2.log")" 0 "that impostor received nothing"
assert_eq "$(pending "$OB")" 2 "both envelopes stay pending"

# 3. The real hub then gets both, in order, and the outbox empties.
hub_start_tls
spoke run --once --hub "$NNG_URL" --outbox "$OB" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem" \
	--cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key" --timeout 3000
assert_eq "$RC" 0 "the real hub takes what waited"
assert_eq "$(pending "$OB")" 0 "the outbox is empty"
assert_eq "$(journal_lines "$OB")" 2 "both are recorded as acknowledged"
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE sender_id = '$H' AND outcome = 'accepted'")" 2 \
	"the hub stored both"

# 4. The hub's name is checked too: a spoke that expects another name gets
# nothing through, even from the real hub.
edit_json "$EXAMPLE" "$WORK/v3.json" '.beds = 623'
spoke publish --hub "$NNG_URL" --listing "$WORK/v3.json" "${ID[@]}" --hub-name hub.elsewhere.example
assert_eq "$RC" 3 "a hub without the expected name gets no session"
assert_eq "$(pending "$OB")" 1 "and the envelope waits"
