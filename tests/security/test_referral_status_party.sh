#!/usr/bin/env bash
# Issue 15: a status from the wrong party, or out of order, is refused by
# the hub for good (invalid, the reason named, filed in the sender's
# rejected/), and stores nothing: the referral's state and its statuses
# stay as they were.  The same statuses from the right party in the right
# order are taken (the test can fail).
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/referral_lib.sh"

ref_setup
spoke "$HOSP_A" keys rotate >/dev/null 2>&1 || fail "A keys rotate"
make_package "$WORK/case" "status test" 1
out=$(spoke "$COORD" refer --to "$HOSP_A" --package "$WORK/case" --purpose treatment \
	--nationality TH --age-band 70-79 2>&1) || fail "refer: $out"
ID=$(referral_id "$out")
events() { sql "SELECT count(*) FROM referral_events WHERE referral_id = '$ID'"; }

refused() { # WHAT CODE EXPECTED-REASON COMMAND...
	local what=$1 code=$2 reason=$3 rc=0 out before state
	shift 3
	before=$(events)
	state=$(sql "SELECT state FROM referrals WHERE referral_id = '$ID'")
	out=$(spoke "$code" "$@" 2>&1) || rc=$?
	assert_eq "$rc" 1 "$what: refused"
	assert_contains "$out" "refused by the hub (invalid)" "$what: final (invalid)"
	assert_contains "$out" "$reason" "$what: the reason"
	assert_eq "$(events)" "$before" "$what: no status stored"
	assert_eq "$(sql "SELECT state FROM referrals WHERE referral_id = '$ID'")" "$state" "$what: the state is unchanged"
	ls "$WORK/$code/outbox/rejected/"*.reason >/dev/null 2>&1 || fail "$what: nothing in rejected/"
	assert_eq "$(find "$WORK/$code/outbox/pending" -name '*.env' | wc -l)" 0 "$what: not retried"
}

refused "the referrer acknowledges" "$COORD" "only the receiver" answer "$ID" --status acknowledged
refused "another hospital acknowledges" "$HOSP_B" "is not a referral $HOSP_B sent or received" answer "$ID" --status acknowledged
refused "visited before delivery" "$HOSP_A" "not allowed after" answer "$ID" --status visited
refused "a quote before delivery" "$HOSP_A" "not allowed after" answer "$ID" --status quote --price-min 1 --price-max 2 --earliest 2027-01-01
refused "the receiver withdraws" "$HOSP_A" "only the referrer" withdraw "$ID"
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE payload_type = 9 AND outcome = 'invalid' AND reason LIKE 'status refused: %'")" 5 "each refusal is in the hub's message log with its reason"

spoke "$HOSP_A" inbox --fetch "$ID" --out "$WORK/recv" >/dev/null 2>&1 || fail "fetch"
refused "a quote before acknowledged" "$HOSP_A" "not allowed after" answer "$ID" --status quote --price-min 1 --price-max 2 --earliest 2027-01-01
spoke "$HOSP_A" answer "$ID" --status acknowledged >/dev/null 2>&1 || fail "acknowledged by the receiver"
spoke "$HOSP_A" answer "$ID" --status quote --price-min 500000 --price-max 900000 --earliest 2027-02-01 >/dev/null 2>&1 || fail "quote by the receiver"
assert_eq "$(sql "SELECT state FROM referrals WHERE referral_id = '$ID'")" quote "the receiver's statuses in order are taken"
spoke "$COORD" withdraw "$ID" >/dev/null 2>&1 || fail "withdrawn by the referrer"
refused "a quote after withdrawal" "$HOSP_A" "not allowed after" answer "$ID" --status quote --price-min 1 --price-max 2 --earliest 2027-01-01
assert_eq "$(sql "SELECT string_agg(state, ',' ORDER BY id) FROM referral_events WHERE referral_id = '$ID'")" \
	"sent,delivered,acknowledged,quote,withdrawn" "the referral's statuses, in order"
