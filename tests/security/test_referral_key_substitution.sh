#!/usr/bin/env bash
# Issue 15: a hub that substitutes a hospital's key is detected by the
# referrer.  The hub's row of hospital A's key announcement is replaced by
# (1) the announcement of hospital B (a real key, signed by B), (2) A's
# announcement with one byte of its public key changed, (3) A's
# announcement carrying B's certificate.  Each time the coordinator's
# refer refuses before sealing anything: nothing reaches the outbox or
# the hub.  With the original row back, the same refer goes through (the
# test can fail).
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/referral_lib.sh"

ref_setup
spoke "$HOSP_A" keys rotate >/dev/null 2>&1 || fail "A keys rotate"
spoke "$HOSP_B" keys rotate >/dev/null 2>&1 || fail "B keys rotate"
make_package "$WORK/case" "substitution test" 1
sql "CREATE TABLE saved_key AS SELECT * FROM referral_keys WHERE org_code = '$HOSP_A'" >/dev/null

refer_refused() { # WHAT EXPECTED-REASON
	local rc=0 out
	out=$(spoke "$COORD" refer --to "$HOSP_A" --package "$WORK/case" --purpose treatment \
		--nationality CN --age-band 40-49 2>&1) || rc=$?
	assert_eq "$rc" 1 "$1: refer refused"
	assert_contains "$out" "$2" "$1: the reason"
	assert_contains "$out" "nothing is sent" "$1: says nothing is sent"
	assert_eq "$(find "$WORK/$COORD/outbox/pending" -name '*.env' 2>/dev/null | wc -l)" 0 "$1: nothing queued"
	assert_eq "$(sql "SELECT count(*) FROM referrals")" 0 "$1: nothing at the hub"
}

# 1. B's announcement in A's place.
sql "UPDATE referral_keys SET envelope = (SELECT envelope FROM referral_keys WHERE org_code = '$HOSP_B') WHERE org_code = '$HOSP_A'" >/dev/null
refer_refused "B's announcement served as A's" "signed by $HOSP_B, not by $HOSP_A"

# 2. A's announcement with its public key changed by one byte.
sql "UPDATE referral_keys k SET envelope = overlay(s.envelope placing
	set_byte(substring(s.public_key from 1 for 1), 0, get_byte(s.public_key, 0) # 1)
	from position(s.public_key in s.envelope)) FROM saved_key s WHERE k.org_code = s.org_code" >/dev/null
[ "$(sql "SELECT k.envelope <> s.envelope FROM referral_keys k JOIN saved_key s USING (org_code)")" = t ] || fail "the row was not changed"
refer_refused "A's announcement with a changed key" "signature does not verify"

# 3. A's announcement re-signed by B (B's certificate in the header):
# forged with the test peer from A's own payload.
sql "SELECT encode(public_key, 'hex') || ' ' || key_id || ' ' || created_at_ms FROM saved_key" >"$WORK/key.txt"
python3 - "$WORK/key.txt" "$WORK/payload.bin" "$HOSP_A" <<'PY'
import sys
pub, kid, created = open(sys.argv[1]).read().split()
def varint(n):
    out = b""
    while True:
        b = n & 0x7f
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])
def field(num, wire, data):
    return varint(num << 3 | wire) + (varint(len(data)) + data if wire == 2 else data)
code = sys.argv[3].encode()
msg = field(1, 2, code) + field(2, 2, kid.encode()) + field(3, 2, bytes.fromhex(pub)) + field(4, 0, varint(int(created)))
open(sys.argv[2], "wb").write(msg)
PY
forge "$WORK/forged.env" "$HOSP_B" --payload "$WORK/payload.bin" --type 5 --sender "$HOSP_A" --seq 1
sql "UPDATE referral_keys SET envelope = decode('$(od -An -tx1 -v "$WORK/forged.env" | tr -d ' \n')', 'hex') WHERE org_code = '$HOSP_A'" >/dev/null
refer_refused "A's key signed with B's certificate" "the certificate names another organisation"

# The original row: the referral goes through.
sql "UPDATE referral_keys k SET envelope = s.envelope FROM saved_key s WHERE k.org_code = s.org_code" >/dev/null
out=$(spoke "$COORD" refer --to "$HOSP_A" --package "$WORK/case" --purpose treatment \
	--nationality CN --age-band 40-49 2>&1) || fail "refer with the genuine key: $out"
assert_contains "$out" "sent" "with A's genuine announcement the referral is sent"
