#!/usr/bin/env bash
# Issue 15: hospital B can neither fetch nor decrypt a referral for
# hospital A.  B's inbox does not show it; B's spoke refuses to fetch it;
# a ChunkQuery B signs and sends by hand is refused by the hub with the
# same answer as for a referral that does not exist (nothing tells B it
# does); and when the hub misroutes the referral to B (its row changed),
# B's spoke refuses it (the referrer's signed referral names A) and
# writes nothing.  A then fetches it whole.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/referral_lib.sh"

ref_setup
spoke "$HOSP_A" keys rotate >/dev/null 2>&1 || fail "A keys rotate"
spoke "$HOSP_B" keys rotate >/dev/null 2>&1 || fail "B keys rotate"
make_package "$WORK/case" "isolation test" 2
out=$(spoke "$COORD" refer --to "$HOSP_A" --package "$WORK/case" --purpose second_opinion \
	--nationality KR --age-band 20-29 2>&1) || fail "refer: $out"
ID=$(referral_id "$out")

# 1. B's inbox and B's fetch.
out=$(spoke "$HOSP_B" inbox 2>&1) || fail "B inbox: $out"
case "$out" in *"$ID"*) fail "B's inbox shows A's referral" ;; esac
pass "B's inbox does not show A's referral"
rc=0
out=$(spoke "$HOSP_B" inbox --fetch "$ID" --out "$WORK/b1" 2>&1) || rc=$?
assert_eq "$rc" 1 "B's fetch is refused"
assert_contains "$out" "not in the inbox of $HOSP_B" "B's spoke: not in its inbox"
[ ! -e "$WORK/b1" ] || fail "B's fetch wrote a folder"

# 2. A ChunkQuery by hand: refused, and as for a referral that does not
# exist.  ChunkQuery: field 1 referral_id (string), field 2 index.
chunk_query() { # ID INDEX OUT
	{ printf '\x0a\x20%s' "$1"; printf '\x10'; printf "\\x$(printf %02x "$2")"; } >"$3.payload"
	forge "$3" "$HOSP_B" --payload "$3.payload" --type 11 --sender "$HOSP_B" --seq 0
	send_tls "$3" "$HOSP_B"
}
send_tls() { # FILE CODE: over mutual TLS as CODE
	"$PEER_BIN" send --hub "$NNG_URL" --file "$1" --cert "$PKI/issued/$2.pem" \
		--key "$PKI/issued/$2.key" --ca "$PKI/ca.pem"
}
real=$(chunk_query "$ID" 0 "$WORK/q1.env")
assert_contains "$real" "status=invalid" "the hub refuses B's ChunkQuery"
none=$(chunk_query 0123456789abcdef0123456789abcdef 0 "$WORK/q2.env")
assert_eq "${real//$ID/REF}" "${none//0123456789abcdef0123456789abcdef/REF}" "the same answer as for a referral that does not exist"
a=$(forge "$WORK/q3.env" "$HOSP_A" --payload "$WORK/q1.env.payload" --type 11 --sender "$HOSP_A" --seq 0 &&
	send_tls "$WORK/q3.env" "$HOSP_A")
assert_contains "$a" "status=accepted" "the same query from A is answered"

# 3. The hub misroutes the referral to B: B's spoke refuses it.
sql "UPDATE referrals SET receiver = '$HOSP_B' WHERE referral_id = '$ID'" >/dev/null
out=$(spoke "$HOSP_B" inbox 2>&1) || fail "B inbox: $out"
assert_contains "$out" "$ID" "misrouted: B's inbox now lists it"
rc=0
out=$(spoke "$HOSP_B" inbox --fetch "$ID" --out "$WORK/b2" 2>&1) || rc=$?
assert_eq "$rc" 1 "B's spoke refuses the misrouted referral"
assert_contains "$out" "addressed to $HOSP_A, not to $HOSP_B" "the referrer's signed referral names A"
[ ! -e "$WORK/b2" ] || fail "B's fetch wrote a folder"
assert_eq "$(sql "SELECT state FROM referrals WHERE referral_id = '$ID'")" sent "nothing delivered"
sql "UPDATE referrals SET receiver = '$HOSP_A' WHERE referral_id = '$ID'" >/dev/null

# 4. A gets it whole.
out=$(spoke "$HOSP_A" inbox --fetch "$ID" --out "$WORK/a" 2>&1) || fail "A fetch: $out"
assert_eq "$(sums "$WORK/a")" "$(sums "$WORK/case")" "A's files are the originals"
