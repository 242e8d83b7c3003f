#!/usr/bin/env bash
# Response times to referrals (issue 15, "Measurement"), real hub and
# spokes over mutual TLS: a coordinator sends five referrals to each of two
# hospitals with the same listing; A answers at once, B after 100 hours
# (the hub's clock cannot be moved, so B's referrals are dated 100 hours
# earlier in the database before B answers, as if they had waited that
# long); a third hospital C, the same listing again, gets none.
#  - referral_response is kept by the status store: no median under 5
#    referrals (4 answered: null), then A about 0 h and B 100 h;
#  - GET /api/v1/hospitals/{code} shows them (and null with the count for
#    C), as the OpenAPI contract says;
#  - search ranks A (fast) above C (no record: neutral) above B (slow),
#    otherwise equal, and each result's reasons say why;
#  - a referral left unanswered 8 days counts with its time so far, once
#    the retention run has refreshed every hospital.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/referral_lib.sh"

HOSP_C=1310000003
ref_setup
identity "$HOSP_C" hospital >/dev/null 2>&1
coord=$(token coordinator --org "$COORD")
today=$(date -u +%F)

# The same listing for A, B and C (only code and name differ).
for code in "$HOSP_A" "$HOSP_B" "$HOSP_C"; do
	edit_json "$EXAMPLE" "$WORK/l$code.json" ".organisation_code = \"$code\" |
		.prefecture = \"13\" | .name.ja = \"病院$code\" | .name.en = \"Hospital $code\" | .confirmed_at = \"$today\""
	out=$(publish_tls "$WORK/l$code.json" "$code") || fail "listing $code: $out"
done
spoke "$HOSP_A" keys rotate >/dev/null 2>&1 || fail "A keys rotate"
spoke "$HOSP_B" keys rotate >/dev/null 2>&1 || fail "B keys rotate"

# refer_to CODE N: a small case referred to CODE; prints the referral id.
refer_to() {
	local dir=$WORK/case-$1-$2 out
	mkdir -p "$dir"
	printf 'Case summary %s %s\n' "$1" "$2" >"$dir/summary.txt"
	out=$(spoke "$COORD" refer --to "$1" --package "$dir" --purpose second_opinion \
		--nationality CN --age-band 50-59 --languages zh 2>&1) || fail "refer to $1: $out"
	referral_id "$out"
}
# answer CODE ID: fetch, verify, then acknowledge (the first answer).
answer() {
	spoke "$1" inbox --fetch "$2" --out "$WORK/recv-$2" >/dev/null 2>&1 || fail "fetch $2"
	spoke "$1" answer "$2" --status acknowledged >/dev/null 2>&1 || fail "acknowledged $2"
}

A_IDS=() B_IDS=()
for i in 1 2 3 4 5; do
	A_IDS+=("$(refer_to "$HOSP_A" "$i")")
	B_IDS+=("$(refer_to "$HOSP_B" "$i")")
done
assert_eq "$(sql "SELECT count(*) FROM referrals WHERE state = 'sent'")" 10 "ten referrals sent"
sql "UPDATE referrals SET sent_at = sent_at - interval '100 hours',
	created_at = created_at - interval '100 hours' WHERE receiver = '$HOSP_B'" >/dev/null

# Four answers: a count, but no median yet (fewer than 5).
for i in 0 1 2 3; do answer "$HOSP_A" "${A_IDS[$i]}"; done
assert_eq "$(sql "SELECT first_answer_n || ' ' || coalesce(first_answer_hours::text, 'null')
	FROM referral_response WHERE org_code = '$HOSP_A'")" "4 null" "4 answers: counted, no median"
get "/api/v1/hospitals/$HOSP_A" "$coord"
assert_eq "$STATUS" 200 "hospital A's detail"
assert_eq "$(echo "$BODY" | jq -c '.referral_response.first_answer')" '{"median_hours":null,"referrals":4}' \
	"the detail shows the count and no median under 5"

answer "$HOSP_A" "${A_IDS[4]}"
for id in "${B_IDS[@]}"; do answer "$HOSP_B" "$id"; done
a=$(sql "SELECT first_answer_n || ' ' || first_answer_hours FROM referral_response WHERE org_code = '$HOSP_A'")
b=$(sql "SELECT first_answer_n || ' ' || first_answer_hours FROM referral_response WHERE org_code = '$HOSP_B'")
case "$a" in "5 0."[0-9]) pass "A: 5 referrals, median $a h" ;; *) fail "A's response row: $a" ;; esac
case "$b" in "5 100."[0-9]) pass "B: 5 referrals, median $b h" ;; *) fail "B's response row: $b" ;; esac
assert_eq "$(sql "SELECT count(*) FROM referral_response WHERE org_code = '$HOSP_C'")" 0 "C: no row"

get "/api/v1/hospitals/$HOSP_B" "$coord"
assert_eq "$(echo "$BODY" | jq -r '.referral_response | "\(.window_days) \(.minimum_referrals) \(.first_answer.referrals) \(.first_answer.median_hours | floor) \(.second_opinion.median_hours)"')" \
	"90 5 5 100 null" "B's detail: 100 h over 5 referrals, no second opinion"
get "/api/v1/hospitals/$HOSP_C" "$coord"
assert_eq "$(echo "$BODY" | jq -c '.referral_response.first_answer')" '{"median_hours":null,"referrals":0}' "C's detail: none"

# Search: otherwise equal, the faster first, no record in between.
get "/api/v1/hospitals?language=zh" "$coord"
assert_eq "$STATUS" 200 "search"
assert_eq "$(echo "$BODY" | jq -r '[.hospitals[].organisation_code] | join(",")')" \
	"$HOSP_A,$HOSP_C,$HOSP_B" "A (fast) above C (no record) above B (slow)"
comp() { echo "$BODY" | jq -r --arg c "$1" '.hospitals[] | select(.organisation_code == $c) |
	.score.components[] | select(.name == "response_time") | "\(.value)|\(.reason)"'; }
assert_eq "$(comp "$HOSP_A")" "10|answers referrals in a median of 0 h (5 referrals, last 90 days)" "A: full points, and why"
assert_eq "$(comp "$HOSP_C")" "5|fewer than 5 referrals in the last 90 days: response time not known, counted as neutral" \
	"C: neutral, and why"
assert_eq "$(comp "$HOSP_B")" "4.7|answers referrals in a median of 4.2 days (5 referrals, last 90 days)" "B: fewer points, and why"
assert_contains "$(echo "$BODY" | jq -r '.hospitals[0].reasons | join("; ")')" \
	"answers referrals in a median of 0 h" "the reason is among the result's reasons"
# The other components are equal: only the response time differs.
assert_eq "$(echo "$BODY" | jq -c '[.hospitals[] | [.score.components[] | select(.name != "response_time") | .value]] | unique | length')" \
	1 "otherwise equal"

# Referrals to C left unanswered 8 days count with their time so far: two
# answered at once, three dated 192 hours back and never answered.  The
# retention run (inboundctl referrals purge) refreshes every hospital.
spoke "$HOSP_C" keys rotate >/dev/null 2>&1 || fail "C keys rotate"
C_IDS=()
for i in 1 2 3 4 5; do C_IDS+=("$(refer_to "$HOSP_C" "$i")"); done
for i in 0 1; do answer "$HOSP_C" "${C_IDS[$i]}"; done
assert_eq "$(sql "SELECT first_answer_n || ' ' || coalesce(first_answer_hours::text, 'null')
	FROM referral_response WHERE org_code = '$HOSP_C'")" "2 null" "C: 2 answered, 3 pending (not counted yet)"
sql "UPDATE referrals SET sent_at = sent_at - interval '192 hours',
	created_at = created_at - interval '192 hours' WHERE receiver = '$HOSP_C' AND state = 'sent'" >/dev/null
"$CTL_BIN" referrals purge --db "$DSN" --days 30 >/dev/null || fail "purge"
c=$(sql "SELECT first_answer_n || ' ' || first_answer_hours FROM referral_response WHERE org_code = '$HOSP_C'")
case "$c" in "5 192."[0-9]) pass "C: 2 answered at once, 3 unanswered for 192 h: median $c h" ;;
*) fail "C's response row with unanswered referrals: $c" ;; esac
assert_eq "$(sql "SELECT count(*) FROM referral_response")" 3 "a row for each hospital with referrals"
