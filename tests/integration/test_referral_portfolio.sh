#!/usr/bin/env bash
# The ministry's portfolio of referrals under disclosure control (issue 15,
# "Measurement"; docs/disclosure-control.md section 12), real hub and
# spokes over mutual TLS:
#  - referrals sent through real spokes: one group of 5 (one coordinator,
#    CN, 50-59) of which the release counts 3, and two groups of 2;
#    ibx_referral_release_truth gives the clipped counts;
#  - a second opinion with a visit scheduled, dated 3 months back (the
#    cohort the month's measurement converts);
#  - inboundctl release measures the month once (a second run measures
#    nothing and the stored release is byte-identical), the referral
#    queries take their share of the month's rho (1000 with the patients'),
#    every released value is a non-negative integer, each marginal sums to
#    its total, a purpose no referral can have is 0, visits <= cohort;
#  - GET /api/v1/portfolio carries the section, no count from 1 to 9, the
#    same answer twice, figures equal to the released values.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/referral_lib.sh"

ref_setup
C=$(date -u +%Y-%m)                                        # the month measured
M=$(date -u -d "$C-01 -1 month" +%Y-%m)                    # the first with statistics
NOW=$(date -u -d "$C-01 +1 month +20 days" +%F)            # a clock after C closes
spoke "$HOSP_A" keys rotate >/dev/null 2>&1 || fail "A keys rotate"
spoke "$HOSP_B" keys rotate >/dev/null 2>&1 || fail "B keys rotate"
spoke "$PARTNER" keys rotate >/dev/null 2>&1 || fail "partner keys rotate"

# A's statistics for M: the release starts at the first month with any.
jq -n --arg c "$HOSP_A" --arg p "$M" '{organisation_code:$c, period:$p, cells:[
  {nationality:"CN", purpose:"treatment", icd10:"2", age_band:"50-59", sex:"male", referral_channel:"direct",
   referral_org:"", remote_second_opinion_first:"no", medical_stay_visa:"yes", patients:12, episodes:12,
   inpatient_episodes:0, outpatient_visits:12, inpatient_days:0, charge_jpy:48000000}]}' >"$WORK/s.json"
forge "$WORK/s.env" "$HOSP_A" --stats "$WORK/s.json" --seq $(($(date +%s%N) / 1000))
"$PEER_BIN" send --hub "$NNG_URL" --file "$WORK/s.env" --cert "$PKI/issued/$HOSP_A.pem" \
	--key "$PKI/issued/$HOSP_A.key" --ca "$PKI/ca.pem" | grep -q status=accepted || fail "statistics of $M"

n=0
refer() { # FROM TO PURPOSE NATIONALITY AGE_BAND: prints the referral id
	local dir=$WORK/case$((n += 1)) out
	mkdir -p "$dir"
	printf 'Case %s\n' "$n" >"$dir/summary.txt"
	out=$(spoke "$1" refer --to "$2" --package "$dir" --purpose "$3" --nationality "$4" \
		--age-band "$5" 2>&1) || fail "refer: $out"
	referral_id "$out"
}
for i in 1 2 3 4 5; do refer "$COORD" "$HOSP_A" second_opinion CN 50-59 >/dev/null; done
for i in 1 2; do refer "$COORD" "$HOSP_B" treatment VN 30-39 >/dev/null; done
for i in 1 2; do refer "$PARTNER" "$HOSP_A" second_opinion RU 60-69 >/dev/null; done
# The cohort: a second opinion answered with a visit, then dated 3 months
# back (the hub's clock cannot be moved), as if sent then.
ID=$(refer "$PARTNER" "$HOSP_B" second_opinion KR 40-49)
spoke "$HOSP_B" inbox --fetch "$ID" --out "$WORK/recv" >/dev/null 2>&1 || fail "fetch"
spoke "$HOSP_B" answer "$ID" --status acknowledged >/dev/null 2>&1 || fail "acknowledged"
spoke "$HOSP_B" answer "$ID" --status visit_scheduled --visit-date "$(date -u -d '+30 days' +%F)" >/dev/null 2>&1 ||
	fail "visit_scheduled"
sql "UPDATE referrals SET sent_at = sent_at - interval '3 months', created_at = created_at - interval '3 months'
	WHERE referral_id = '$ID'" >/dev/null
assert_eq "$(sql "SELECT count(*) FROM referrals WHERE sent_at >= '$C-01'")" 9 "nine referrals sent this month"

truth() { sql "SELECT coalesce(string_agg(measure || ':' || purpose || ':' || nationality || '=' || n, ' '
	ORDER BY measure, purpose, nationality), '') FROM ibx_referral_release_truth('$C-01', 3, 3)"; }
assert_eq "$(truth)" \
	"opinion_referrals::=1 opinion_visits::=1 referrals:second_opinion:CN=3 referrals:second_opinion:RU=2 referrals:treatment:VN=2" \
	"the truth: 3 of the group of 5 counted, the cohort and its visit"

# The release, twice.
out=$("$CTL_BIN" release --db "$DSN" --until "$C" --now "$NOW") || fail "release: $out"
assert_contains "$out" "measured 2 months $M..$C" "the release measures $M and $C"
snapshot() { sql "SELECT md5(string_agg(concat_ws('|', period, measure, dims, key1, key2, noisy, value), ','
	ORDER BY measure, dims, period, key1, key2)) FROM release_values"; }
before=$(snapshot)
assert_contains "$("$CTL_BIN" release --db "$DSN" --until "$C" --now "$NOW")" "nothing to measure" "measured once"
assert_eq "$(snapshot)" "$before" "the release is unchanged by a second run"

assert_eq "$(sql "SELECT string_agg(measure || '/' || dims || '/' || share_permille || '/' || sensitivity, ' ' ORDER BY measure, dims)
	FROM release_queries WHERE period = '$C-01' AND measure <> 'patients' AND measure <> 'episodes'
	AND measure <> 'visits' AND measure <> 'inpatient_days' AND measure <> 'charge_jpy'")" \
	"opinion_referrals//15/3 opinion_visits//15/3 referrals//30/3 referrals/nationality/40/3 referrals/purpose/20/5" \
	"the referral queries: shares and sensitivities (K = 3)"
assert_eq "$(sql "SELECT sum(share_permille) FROM release_queries WHERE period = '$C-01'")" 1000 \
	"the patients' and the referrals' shares make the month's rho"
assert_eq "$(sql "SELECT count(*) FROM release_values WHERE value < 0")" 0 "no negative released value"
assert_eq "$(sql "SELECT count(*) FROM (SELECT v.period, v.dims, sum(v.value) s FROM release_values v
	WHERE v.measure = 'referrals' AND v.dims <> '' GROUP BY 1, 2) x JOIN release_values t
	ON t.period = x.period AND t.measure = 'referrals' AND t.dims = '' WHERE x.s <> t.value")" 0 \
	"referrals by nationality and by purpose sum to the month's referrals"
assert_eq "$(sql "SELECT count(*) FROM release_values WHERE measure = 'referrals' AND dims = 'purpose'
	AND key1 NOT IN ('second_opinion', 'treatment', 'health_checkup') AND value <> 0")" 0 \
	"a purpose no referral can have stays 0"
assert_eq "$(sql "SELECT count(*) FROM release_values c JOIN release_values w USING (period)
	WHERE c.measure = 'opinion_referrals' AND w.measure = 'opinion_visits' AND w.value > c.value")" 0 \
	"visits never exceed their cohort"
# The noise is the stated one: the released total within 6 sigma of the
# truth (7), sigma^2 from the accounting row.
read -r total sd < <(sql "SELECT v.value, sqrt(q.sigma2_num::float8 / q.sigma2_den) FROM release_values v
	JOIN release_queries q USING (period, measure, dims) WHERE v.period = '$C-01' AND v.measure = 'referrals'
	AND v.dims = ''" | tr '|' ' ')
awk -v t="$total" -v s="$sd" 'BEGIN { d = t - 7; if (d < 0) d = -d; exit !(d <= 6 * s) }' ||
	fail "released total $total is beyond 6 sigma ($sd) of 7"
pass "released referrals $total (truth 7, sigma $sd)"

# The portfolio: the section, the NDB rule, the same answer twice.
get /api/v1/portfolio
assert_eq "$STATUS" 200 "the ministry's portfolio"
first=$(echo "$BODY" | jq -c .referrals)
assert_eq "$(echo "$first" | jq -c '[.counted_per_group, .cohort_lag_months, [.by_month[].period]]')" \
	"[3,3,[\"$M\",\"$C\"]]" "the referral section: its clip, lag and months"
assert_eq "$(echo "$BODY" | jq '[.referrals.by_month[].value,
	.referrals.by_purpose[].value, .referrals.by_nationality[].value,
	(.referrals.opinion_to_visit[] | .second_opinion_referrals, .visits) | select(. != null and . < 10)] | length')" 0 \
	"no published count from 1 to 9"
want=$(sql "SELECT CASE WHEN value >= 10 THEN value::text ELSE 'null' END FROM release_values
	WHERE period = '$C-01' AND measure = 'referrals' AND dims = ''")
assert_eq "$(echo "$first" | jq -r --arg c "$C" '.by_month[] | select(.period == $c) | .value')" "$want" \
	"the month's figure is the released value"
assert_eq "$(echo "$first" | jq -r --arg c "$C" '.by_month[] | select(.period == $c) | .suppressed')" \
	"$([ "$want" = null ] && echo true || echo false)" "suppressed says so"
get /api/v1/portfolio
assert_eq "$(echo "$BODY" | jq -c .referrals)" "$first" "the same answer again"
coord=$(token coordinator --org "$COORD")
get /api/v1/portfolio "$coord"
assert_eq "$STATUS" 403 "only the ministry reads the portfolio"
