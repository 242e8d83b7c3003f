#!/usr/bin/env bash
# The mutation suite: real sealed envelopes, each broken one way, each refused
# with its own status, nothing stored, the hub still serving; a captured
# envelope replayed with nngcat is refused; a stored envelope verifies again.
. "$(dirname "$0")/lib.sh"
db_create
H=3910118128
identity $H
identity 3910110438                          # another hospital
identity 9000000001 coordinator              # a coordinator
"$IBX_SOURCE/deploy/pki/issue.sh" "$PKI" 3910110440 hospital \
	--start 20200101000000Z --end 20210101000000Z    # expired (checked before enrolment)
"$IBX_SOURCE/deploy/pki/issue.sh" "$PKI" 3910110441 hospital \
	--start 20990101000000Z --end 21000101000000Z  # not yet valid (cannot be enrolled)
identity 3910110442                          # to be revoked
"$IBX_SOURCE/deploy/pki/revoke.sh" "$PKI" "$PKI/issued/3910110442.pem"
"$IBX_SOURCE/deploy/pki/issue.sh" "$PKI" 3910110443 hospital  # never enrolled
# A rogue CA with its own certificate for the same hospital.
"$IBX_SOURCE/deploy/pki/ca-init.sh" "$WORK/rogue" >/dev/null
"$IBX_SOURCE/deploy/pki/issue.sh" "$WORK/rogue" $H hospital
hub_start

listing_for() { edit_json "$EXAMPLE" "$WORK/$1.json" ".organisation_code = \"$1\""; echo "$WORK/$1.json"; }
now_ms=$(($(date +%s) * 1000))
seq=100
# expect NAME STATUS FILE: send FILE, check the status, check nothing stored.
expect() {
	local out
	out=$(send "$3")
	assert_contains "$out" "status=$2 " "$1: refused as $2"
	assert_eq "$(sql 'SELECT count(*) FROM listing_versions')" "$stored" "$1: nothing stored"
}
m() { seq=$((seq + 1)); forge "$WORK/m.env" "$@" --seq $seq; }

# A good envelope first, so replays have something to replay.
"$SPOKE_BIN" seal --listing "$EXAMPLE" --cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key" \
	--out "$WORK/good.env" >/dev/null
assert_contains "$(send "$WORK/good.env")" "status=accepted version=1" "a sealed envelope is accepted"
stored=1

"$PEER_BIN" forge --listing "$EXAMPLE" --seq 200 --out "$WORK/m.env"
expect "unsigned" "unsigned" "$WORK/m.env"
"$PEER_BIN" forge --listing "$EXAMPLE" --seq 201 --cert "$PKI/issued/$H.pem" --key "$PKI/issued/3910110438.key" --out "$WORK/m.env"
expect "wrong key" "bad signature" "$WORK/m.env"
m $H --listing "$EXAMPLE" --sign-other
expect "signature over other bytes" "bad signature" "$WORK/m.env"
m $H --listing "$EXAMPLE" --flip-header
expect "byte flipped in header" "bad signature" "$WORK/m.env"
m $H --listing "$EXAMPLE" --flip-payload
expect "byte flipped in payload" "bad signature" "$WORK/m.env"
m 3910110440 --listing "$(listing_for 3910110440)"
expect "expired certificate" "certificate expired" "$WORK/m.env"
m 3910110441 --listing "$(listing_for 3910110441)"
expect "not yet valid certificate" "certificate not yet valid" "$WORK/m.env"
m 3910110442 --listing "$(listing_for 3910110442)"
expect "revoked certificate (CRL)" "certificate revoked" "$WORK/m.env"
m 3910110443 --listing "$(listing_for 3910110443)"
expect "certificate never enrolled" "bad certificate" "$WORK/m.env"
"$PEER_BIN" forge --listing "$EXAMPLE" --seq 300 --cert "$WORK/rogue/issued/$H.pem" --key "$WORK/rogue/issued/$H.key" --out "$WORK/m.env"
expect "issued by another CA" "bad certificate" "$WORK/m.env"
expect "replayed envelope" "duplicate" "$WORK/good.env"
assert_contains "$(send "$WORK/good.env")" "version=1 imported=0 updated=0 unchanged=0 deleted=0 refused=0 error=already accepted (listing version 1); nothing stored again" "a replay gets the original outcome"
edit_json "$EXAMPLE" "$WORK/v2.json" '.beds = 10'
forge "$WORK/m.env" $H --listing "$WORK/v2.json" --seq 5
expect "sequence going backwards" "replayed sequence" "$WORK/m.env"
assert_contains "$(send "$WORK/m.env")" "is not greater than the last accepted" "the replay refusal says why"
m $H --listing "$EXAMPLE" --created-at $((now_ms - 8 * 24 * 3600 * 1000))
expect "clock skew, eight days old (past the delivery window)" "clock skew" "$WORK/m.env"
m $H --listing "$EXAMPLE" --created-at $((now_ms + 10 * 60 * 1000))
expect "clock skew, ten minutes ahead" "clock skew" "$WORK/m.env"
m $H --listing "$EXAMPLE" --sender 3910110438
expect "sender not matching the certificate" "sender does not match certificate" "$WORK/m.env"
m 9000000001 --listing "$(listing_for 9000000001)"
expect "coordinator writing a hospital listing" "role not allowed" "$WORK/m.env"
m $H --listing "$EXAMPLE" --type 99
expect "unknown payload type" "unknown payload type" "$WORK/m.env"
m $H --listing "$EXAMPLE" --cert-hash --flip-payload
expect "certificate by SHA-256, payload flipped" "bad signature" "$WORK/m.env"
head -c 100 "$WORK/good.env" >"$WORK/m.env"
expect "truncated" "malformed" "$WORK/m.env"
: >"$WORK/m.env"
expect "empty" "malformed" "$WORK/m.env"
assert_eq "$("$PEER_BIN" oversize --addr "127.0.0.1:$NNG_PORT" --bytes $((5 * 1024 * 1024)))" closed \
	"oversize: a real 5 MiB frame (limit 4 MiB) loses its pipe"
m $H --listing "$EXAMPLE" --pad $((5 * 1024 * 1024))
assert_contains "$(send "$WORK/m.env" 2>&1)" "status=no-answer" "an oversize envelope is not even sent by our client"

# Sent by the fingerprint of an enrolled certificate, a good envelope is accepted.
forge "$WORK/hash.env" $H --listing "$WORK/v2.json" --seq "$(($(date +%s%N) / 1000))" --cert-hash
assert_contains "$(send "$WORK/hash.env")" "status=accepted version=2" "certificate by SHA-256 after enrolment"

# A captured envelope replayed with nngcat, a stock nng REQ client.
if command -v nngcat >/dev/null; then
	nngcat --req --connect "$NNG_URL" --file "$WORK/good.env" --raw --recv-timeout 3 >"$WORK/nngcat.out"
	assert_contains "$(grep -a -c 'already accepted' "$WORK/nngcat.out")" 1 "nngcat replay answered: already accepted, nothing stored"
	assert_eq "$(sql 'SELECT count(*) FROM listing_versions')" 2 "nngcat replay stored nothing"
fi

# Every refusal is in the message log with its reason; the hub still serves.
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE status NOT IN (1) AND reason IS NOT NULL")" \
	"$(sql "SELECT count(*) FROM message_log WHERE status NOT IN (1)")" "every refusal logged with its reason"
assert_eq "$(sql "SELECT count(DISTINCT outcome) FROM message_log WHERE status <> 1")" 13 "thirteen distinct refusal statuses"
hub_alive || fail "hub stopped serving"
pass "hub still serving"

# A stored envelope verifies again later.
id=$(sql "SELECT message_id FROM listing_versions WHERE version = 1")
out=$("$CTL_BIN" verify-envelope --db "$DSN" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem" --message "$id")
assert_contains "$out" "signature and certificate verify" "listing version 1 traces to a verifying envelope"
