#!/usr/bin/env bash
# The referral class of the attacker suite (issue 15; docs/disclosure-
# control.md section 12): a year of referrals with small counts (1 to 9 in
# the year for twelve nationalities, in random months, beside a large one
# in the first half, so the second half's months are small), the release of every
# month of the year, then an attacker with the ministry's token reads the
# portfolio's referral section and recovers small counts by differencing
# its windows (a suppressed month from the year by purpose less the listed
# months; a small nationality's year from the year less the listed
# nationalities).  Scored against the release's clipped truth: no certain
# pin, and exact hits within the prior mode's rate plus 0.10.
#
# The referrals are loaded into the hub's table by SQL (metadata only):
# what is attacked is the release and the API; the channel that stores
# referrals is tested by it_referral_roundtrip and it_referral_portfolio.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
db_create
hub_start
for c in 2000000001 2000000002; do identity "$c" coordinator >/dev/null 2>&1; done
for h in 1310000001 1310000002; do identity "$h" hospital >/dev/null 2>&1; done

# Statistics from January: the release measures from the first month with any.
jq -n --arg p "$Y-01" '{organisation_code:"1310000001", period:$p, cells:[
  {nationality:"CN", purpose:"treatment", icd10:"2", age_band:"50-59", sex:"male", referral_channel:"direct",
   referral_org:"", remote_second_opinion_first:"no", medical_stay_visa:"yes", patients:12, episodes:12,
   inpatient_episodes:0, outpatient_visits:12, inpatient_days:0, charge_jpy:48000000}]}' >"$WORK/s.json"
forge "$WORK/s.env" 1310000001 --stats "$WORK/s.json" --seq $(($(date +%s%N) / 1000))
send "$WORK/s.env" | grep -q status=accepted || fail "statistics of $Y-01"

$PY "$DISC/referral_attack.py" data --year "$Y" --referrers 2000000001,2000000002 \
	--receivers 1310000001,1310000002 --out-sql "$WORK/referrals.sql" || fail "referral data"
psql -h 127.0.0.1 -p "$IBX_PG_PORT" -U inbound -d "$DB_NAME" -qX -v ON_ERROR_STOP=1 -f "$WORK/referrals.sql" >/dev/null ||
	fail "loading the referrals"
out=$("$CTL_BIN" release --db "$DSN" --until "$Y-12") || fail "release: $out"
assert_contains "$out" "measured 12 months $Y-01..$Y-12" "the year's months are measured"

# The truth, as the release counted it (clipped), with the owner's view.
sql "SELECT json_object_agg(k, n) FROM (
	SELECT 'month|' || to_char(g, 'YYYY-MM') AS k, coalesce((SELECT sum(t.n) FROM
	  ibx_referral_release_truth(g::date, 3, 3) t WHERE t.measure = 'referrals'), 0) AS n
	FROM generate_series('$Y-01-01'::date, '$Y-12-01', interval '1 month') g
	UNION ALL
	SELECT 'nationality|' || t.nationality, sum(t.n) FROM generate_series('$Y-01-01'::date,
	  '$Y-12-01', interval '1 month') g, ibx_referral_release_truth(g::date, 3, 3) t
	WHERE t.measure = 'referrals' GROUP BY t.nationality) x" >"$WORK/truth.json"
small=$(jq '[to_entries[] | select(.value >= 1 and .value <= 9)] | length' "$WORK/truth.json")
[ "$small" -gt 0 ] || fail "no small counts to attack"
pass "$small small counts (1 to 9) among the targets"

out=$($PY "$DISC/referral_attack.py" attack --api "$API" --token "$TOKEN" --year "$Y" \
	--truth "$WORK/truth.json" 2>&1) || fail "the referral attack beat the bound: $out"
echo "$out"
pass "differencing the portfolio's referral windows pins nothing and guesses no better than chance"
