#!/usr/bin/env bash
# Issue 14, finding 1: the Ack is the hub's signed receipt.  A peer that
# completes the TLS handshake as the hub (here: one holding the hub's own
# certificate) but answers "accepted" unsigned, signed with another key,
# signed for another request, or signed and then altered, is not believed:
# the envelope stays pending, nothing goes into acknowledged.log, and the
# spoke says why.  The same peer signing as the hub does gets the envelope
# filed, so the test can tell the two apart.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib_trust.sh"
db_create
H=3910118128
identity $H >/dev/null
hub_cert

n=0
for mode in unsigned wrong-key other-request tampered; do
	n=$((n + 1))
	OB=$WORK/outbox-$mode
	extra=()
	[ "$mode" != wrong-key ] || extra=(--sign-key "$PKI/issued/$H.key")
	impostor_start "$WORK/imp-$mode.log" --cert "$PKI/hub/hub.pem" --key "$PKI/hub/hub.key" \
		--ca "$PKI/ca.pem" --ack "$mode" "${extra[@]}"
	edit_json "$EXAMPLE" "$WORK/l$n.json" ".beds = $((600 + n))"
	spoke publish --hub "$IMP_URL" --listing "$WORK/l$n.json" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem" \
		--cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key" --timeout 1500 --attempts 1 --outbox "$OB"
	impostor_stop
	assert_eq "$(received "$WORK/imp-$mode.log")" 1 "$mode: the peer got the request and answered accepted"
	assert_eq "$RC" 3 "$mode: the spoke does not take the answer (exit 3)"
	case "$mode" in
	unsigned) assert_contains "$OUT" "ack is unsigned" "$mode: and says why" ;;
	*) assert_contains "$OUT" "ack signature does not verify" "$mode: and says why" ;;
	esac
	assert_eq "$(pending "$OB")" 1 "$mode: the outbox is untouched"
	assert_eq "$(journal_lines "$OB")" 0 "$mode: nothing in acknowledged.log"
done

# The agent, too, leaves the envelope pending on an unsigned Ack.
OB=$WORK/outbox-unsigned
impostor_start "$WORK/imp-agent.log" --cert "$PKI/hub/hub.pem" --key "$PKI/hub/hub.key" \
	--ca "$PKI/ca.pem" --ack unsigned
spoke run --once --hub "$IMP_URL" --outbox "$OB" --ca "$PKI/ca.pem" \
	--cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key" --timeout 1500
impostor_stop
assert_eq "$RC" 3 "run --once: the envelope is still pending (exit 3)"
assert_eq "$(pending "$OB")" 1 "run --once: the outbox is untouched"

# Control: signed as the hub signs, the same envelope is filed.
impostor_start "$WORK/imp-good.log" --cert "$PKI/hub/hub.pem" --key "$PKI/hub/hub.key" \
	--ca "$PKI/ca.pem" --ack good
spoke run --once --hub "$IMP_URL" --outbox "$OB" --ca "$PKI/ca.pem" \
	--cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key" --timeout 1500
impostor_stop
assert_eq "$RC" 0 "a correctly signed Ack is believed"
assert_eq "$(pending "$OB")" 0 "and the envelope leaves the outbox"
assert_eq "$(journal_lines "$OB")" 1 "into acknowledged.log"

# The real hub signs every Ack, refusals too: a refused listing is filed
# in rejected/ on the hub's verified word.
hub_start_tls
OB=$WORK/outbox-real
spoke publish --hub "$NNG_URL" --listing "$EXAMPLE" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem" \
	--cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key" --timeout 3000 --outbox "$OB"
assert_eq "$RC" 0 "the real hub's signed Ack is believed"
assert_contains "$OUT" "accepted as version 1" "accepted"
pin=$(openssl x509 -in "$PKI/hub/hub.pem" -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum | cut -c1-64)
edit_json "$EXAMPLE" "$WORK/v2.json" '.beds = 640'
spoke publish --hub "$NNG_URL" --listing "$WORK/v2.json" --ca "$PKI/ca.pem" \
	--cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key" --timeout 3000 --hub-pin "$pin"
assert_eq "$RC" 0 "a spoke that pins the hub's key believes it"
wrong=$(printf '%064d' 0)
edit_json "$EXAMPLE" "$WORK/v3.json" '.beds = 641'
spoke publish --hub "$NNG_URL" --listing "$WORK/v3.json" --ca "$PKI/ca.pem" \
	--cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key" --timeout 3000 --attempts 1 --hub-pin "$wrong"
assert_eq "$RC" 3 "a spoke that pins another key does not"
assert_contains "$OUT" "not the pinned key" "and says why"
