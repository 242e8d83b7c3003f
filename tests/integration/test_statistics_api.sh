#!/usr/bin/env bash
# National statistics for ministry staff, from the protected release
# (docs/disclosure-control.md): each closed month measured once (never
# again, resubmissions included), answers that are sums of the stored,
# post-processed values (consistent, non-negative), no count from 1 to 9
# and no zero listed, calendar grains only, a hospital's own exact
# figures, CSV for spreadsheets, growth, the imported visa series and its
# CAGR, the portfolio, and submission metadata only for its hospital.
. "$(dirname "$0")/lib.sh"
db_create
hub_start

# Twelve hospitals, two months each, with a seeded mix of large and small
# cells.
Y=$(($(date -u +%Y) - 1))
codes=()
for i in $(seq 10 21); do
	code=39101100$i
	codes+=("$code")
	identity "$code"
	edit_json "$EXAMPLE" "$WORK/l$code.json" ".organisation_code = \"$code\" | .name.ja = \"病院$i\""
	publish "$WORK/l$code.json" >/dev/null || fail "listing $code"
done
RANDOM=42
nats=(CN CN CN VN RU US KR TW)
purposes=(treatment health_checkup health_checkup second_opinion)
for code in "${codes[@]}"; do
	for m in 03 04; do
		cells=()
		for j in 0 1 2 3 4 5; do
			n=${nats[$((RANDOM % 8))]}; p=${purposes[$((RANDOM % 4))]}; b=$((RANDOM % 5 + 3))
			patients=$((RANDOM % 6 + 1)); [ $((RANDOM % 3)) -eq 0 ] && patients=$((patients + 20))
			# Rare nationalities: small counts that must never show.
			if [ "$j" -eq 0 ] && [ "$m" = 03 ]; then
				case "$code" in
				*10 | *11 | *12) n=MN; patients=2 ;;
				*13) n=TH; patients=4 ;;
				esac
			fi
			cells+=("$(jq -n --arg n "$n" --arg p "$p" --arg a "${b}0-${b}9" \
				--argjson pa $patients --argjson ch $((patients * 1500000)) \
				'{nationality:$n, purpose:$p, icd10:"2", age_band:$a, sex:"female", referral_channel:"direct",
				  referral_org:"", remote_second_opinion_first:"no", medical_stay_visa:"yes",
				  patients:$pa, episodes:$pa, inpatient_episodes:0, outpatient_visits:$pa, inpatient_days:0, charge_jpy:$ch}')")
		done
		printf '%s\n' "${cells[@]}" | jq -s --arg c "$code" --arg p "$Y-$m" \
			'{organisation_code:$c, period:$p, cells:(group_by([.nationality,.purpose,.age_band]) | map(.[0]))}' >"$WORK/s.json"
		forge "$WORK/s.env" "$code" --stats "$WORK/s.json" --seq $(($(date +%s%N) / 1000))
		assert_contains "$(send "$WORK/s.env")" "status=accepted" "statistics $code $Y-$m"
	done
done >/dev/null

# The release: every closed month measured once, its cost printed.
out=$("$CTL_BIN" release --db "$DSN" --until "$Y-04")
assert_contains "$out" "measured 2 months $Y-03..$Y-04" "release measures the two closed months"
assert_contains "$out" "rho spent: 2 x 1/12 + 0 x 1/1 = 0.1667" "and prints the privacy loss spent"
assert_eq "$(sql "SELECT count(*), sum(rho_num)::text || '/' || min(rho_den) FROM release_months")" "2|2/12" "two months, rho 1/12 each"
assert_eq "$(sql "SELECT count(*) FROM release_years")" 0 "no year measured before its December"
assert_eq "$(sql "SELECT sum(share_permille) FROM release_queries WHERE period = '$Y-03-01'")" 1000 "the month's budget split over its queries"
assert_contains "$("$CTL_BIN" release --db "$DSN" --until "$Y-04")" "nothing to measure" "a measured month is never measured again"
if "$CTL_BIN" release --db "$DSN" --until "$(date -u +%Y-%m)" 2>"$WORK/err"; then fail "the open month was measured"; fi
assert_contains "$(cat "$WORK/err")" 'parameter "until"' "the current, open month is refused"
snapshot() { sql "SELECT md5(string_agg(concat_ws('|', period, measure, dims, key1, key2, noisy, value), ',' ORDER BY measure, dims, period, key1, key2)) FROM release_values"; }
before=$(snapshot)

# Post-processing: non-negative integers, children summing to their parent.
assert_eq "$(sql "SELECT count(*) FROM release_values WHERE value < 0")" 0 "no negative released value"
bad=$(sql "WITH t AS (SELECT period, measure, value FROM release_values WHERE dims = '')
	SELECT count(*) FROM (SELECT v.period, v.measure, v.dims, sum(v.value) s FROM release_values v
	WHERE v.dims NOT LIKE '%,%' AND v.dims <> '' GROUP BY 1, 2, 3) x JOIN t USING (period, measure) WHERE x.s <> t.value")
assert_eq "$bad" 0 "every one-way table sums to its month's total"
bad=$(sql "SELECT count(*) FROM (SELECT period, key1, sum(value) s FROM release_values
	WHERE measure = 'patients' AND dims = 'nationality,purpose' GROUP BY 1, 2) c
	JOIN release_values p ON p.period = c.period AND p.key1 = c.key1 AND p.measure = 'patients' AND p.dims = 'nationality'
	WHERE c.s <> p.value")
assert_eq "$bad" 0 "nationality x purpose sums to each nationality"

# Every answer is a sum of released values; rows under 10 (zeros too) are left out.
get "/api/v1/statistics?measure=patients&by=nationality"
assert_eq "$STATUS" 200 "statistics by nationality"
rel=$(sql "SELECT string_agg(key1 || '|' || s, ',' ORDER BY key1) FROM (SELECT key1, sum(value) s FROM release_values
	WHERE measure = 'patients' AND dims = 'nationality' GROUP BY 1) x WHERE s >= 10")
assert_eq "$(echo "$BODY" | jq -r '[.cells[] | "\(.nationality)|\(.value)"] | join(",")')" "$rel" "the table is the release's sums, rows of 10 or more"
assert_eq "$(echo "$BODY" | jq '[.cells[] | select(.value < 10)] | length')" 0 "no value under 10 listed"
assert_eq "$(echo "$BODY" | jq '[.cells[] | select(has("suppressed"))] | length')" 0 "no row marked: left-out rows are not listed"
again=$(curl -sS -H "Authorization: Bearer $TOKEN" "$API/api/v1/statistics?measure=patients&by=nationality")
assert_eq "$again" "$BODY" "the same question gets the same answer"
total=$(sql "SELECT sum(value) FROM release_values WHERE measure = 'patients' AND dims = ''")
assert_eq "$(echo "$BODY" | jq '.totals.value')" "$total" "the total is the released total"
assert_eq "$(echo "$BODY" | jq -r '.partial, .months_released')" "false
2" "months released stated"

# Calendar grains are sums of released months, flagged partial.
get "/api/v1/statistics?measure=patients&by=period&period=quarter&year=$Y"
assert_eq "$STATUS" 200 "quarters of a year"
q1=$(sql "SELECT sum(value) FROM release_values WHERE measure = 'patients' AND dims = '' AND period BETWEEN '$Y-01-01' AND '$Y-03-01'")
q2=$(sql "SELECT sum(value) FROM release_values WHERE measure = 'patients' AND dims = '' AND period BETWEEN '$Y-04-01' AND '$Y-06-01'")
assert_eq "$(echo "$BODY" | jq -r '[.cells[] | "\(.period)|\(.value)|\(.partial // false)"] | join(",")')" \
	"$Y-Q1|$q1|true,$Y-Q2|$q2|true" "a quarter is the sum of its released months, partial until all are"
assert_eq "$(echo "$BODY" | jq -r '.partial')" true "a year with 2 released months is partial"
get "/api/v1/statistics?measure=patients&by=period&period=fiscal_year"
assert_eq "$(echo "$BODY" | jq -r '[.cells[] | "\(.period)|\(.value)"] | join(",")')" "FY$((Y - 1))|$q1,FY$Y|$q2" "fiscal years run April to March"
get "/api/v1/statistics?measure=patients&by=purpose&period=month&month=$Y-03"
assert_eq "$STATUS" 200 "one month"

# The visa and the referring firm are dimensions under the same protection.
get "/api/v1/statistics?measure=patients&by=medical_stay_visa"
assert_eq "$STATUS" 200 "by medical_stay_visa"
yes=$(sql "SELECT sum(value) FROM release_values WHERE measure = 'patients' AND dims = 'nationality,medical_stay_visa' AND key2 = 'yes'")
assert_eq "$(echo "$BODY" | jq -r '.cells[] | select(.medical_stay_visa == "yes") | .value')" "$([ "$yes" -ge 10 ] && echo "$yes")" "visa yes: the release's sum over nationalities"
get "/api/v1/statistics?measure=patients&by=referral_org"
assert_eq "$STATUS" 200 "by referral_org"

# National programme figures can leave a purpose out (travel_emergency in
# practice): the sum over nationality x purpose without it.
get "/api/v1/statistics?measure=patients&by=nationality&exclude_purpose=health_checkup"
assert_eq "$STATUS" 200 "exclude_purpose"
rel=$(sql "SELECT string_agg(key1 || '|' || s, ',' ORDER BY key1) FROM (SELECT key1, sum(value) s FROM release_values
	WHERE measure = 'patients' AND dims = 'nationality,purpose' AND key2 <> 'health_checkup' GROUP BY 1) x WHERE s >= 10")
assert_eq "$(echo "$BODY" | jq -r '[.cells[] | "\(.nationality)|\(.value)"] | join(",")')" "$rel" "a purpose left out of every nationality"

# A resubmission of a measured month changes no released value.
code=${codes[0]}
jq -n --arg c "$code" --arg p "$Y-03" '{organisation_code:$c, period:$p, cells:[{nationality:"CN", purpose:"treatment",
	icd10:"2", age_band:"50-59", sex:"female", referral_channel:"direct", referral_org:"", remote_second_opinion_first:"no",
	medical_stay_visa:"yes", patients:500, episodes:500, inpatient_episodes:0, outpatient_visits:500, inpatient_days:0,
	charge_jpy:1000}]}' >"$WORK/late.json"
forge "$WORK/late.env" "$code" --stats "$WORK/late.json" --seq $(($(date +%s%N) / 1000))
assert_contains "$(send "$WORK/late.env")" "status=accepted" "a late resubmission is stored"
"$CTL_BIN" release --db "$DSN" --until "$Y-04" >/dev/null
assert_eq "$(snapshot)" "$before" "and never measured again: the release is unchanged"

# A hospital sees its own figures exactly.
h=${codes[1]}
htok=$(token hospital --org "$h")
get "/api/v1/statistics?measure=patients&by=period" "$htok"
own_api=$(echo "$BODY" | jq -r '[.cells[] | "\(.period)|\(.value)"] | join(",")')
own_db=$(sql "SELECT string_agg(to_char(period, 'YYYY-MM') || '|' || s, ',' ORDER BY period) FROM (SELECT period, sum(patients) s FROM statistics_cells WHERE current AND org_code = '$h' GROUP BY 1) x")
assert_eq "$own_api" "$own_db" "a hospital's own figures, exact"
get "/api/v1/statistics?measure=patients&hospital=${codes[2]}" "$htok"
assert_eq "$STATUS" 403 "and no other hospital's"

# CSV for spreadsheets: UTF-8 with a BOM, through open_memstream.
curl -sS -H "Authorization: Bearer $TOKEN" -H 'Accept: text/csv' \
	"$API/api/v1/statistics?measure=charge_jpy&by=purpose" >"$WORK/s.csv"
assert_eq "$(head -c 3 "$WORK/s.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "CSV starts with a UTF-8 BOM"
assert_contains "$(head -1 "$WORK/s.csv")" "purpose,charge_jpy,partial" "CSV header"
get "/api/v1/statistics?measure=patients&by=nationality&format=csv"
assert_eq "$(echo "$BODY" | tail -n +2 | tr -d '\r' | awk -F, 'NF > 1 && $2 < 10' | wc -l)" 0 "CSV lists no value under 10"

for q in "measure=heads" "by=colour" "by=nationality,nationality" "period=week" "nationality=XX" "purpose=tourism" \
	"year=24" "month=2024-13" "year=2024&month=2024-01" "period=year&month=2024-01"; do
	get "/api/v1/statistics?$q"
	assert_eq "$STATUS" 400 "?$q refused"
done
for q in "from=2024-01" "to=2024-06"; do
	get "/api/v1/statistics?measure=patients&$q"
	assert_eq "$STATUS" 400 "?$q refused"
	assert_contains "$BODY" "parameter \\\"${q%%=*}\\\"" "naming the parameter: arbitrary windows are not answered"
done
get "/api/v1/statistics?measure=patients&by=nationality,sex"
assert_eq "$STATUS" 400 "a table the release does not hold is refused"
assert_contains "$BODY" "released: " "naming what is released"
get "/api/v1/statistics?measure=charge_jpy&by=age_band"
assert_eq "$STATUS" 400 "an unknown combination of measure and dimension is refused, not answered as patients"

# Growth over years, and the imported medical stay visa series.
get "/api/v1/statistics/growth?measure=patients&from=$((Y - 1))&to=$Y"
assert_eq "$STATUS" 200 "growth answers"
assert_eq "$(echo "$BODY" | jq -r '.years | map("\(.year)|\(.partial)") | join(",")')" "$Y|true" "years released, the partial one flagged"
"$CTL_BIN" series import --db "$DSN" --name medical_stay_visas \
	--file "$IBX_SOURCE/deploy/data/medical_stay_visa_issuance_2011-2024_transcribed.csv" \
	--period-column year --nationality-column nationality_iso3166_alpha2 --value-column visas_issued >/dev/null
get "/api/v1/portfolio/series/medical_stay_visas"
assert_eq "$(echo "$BODY" | jq '.points | length')" 14 "fourteen years of visas (2011-2024)"
for range in "2011 2024" "2015 2019" "2019 2023"; do
	set -- $range
	get "/api/v1/portfolio/series/medical_stay_visas?from=$1&to=$2"
	a=$(echo "$BODY" | jq '.points[0].value'); b=$(echo "$BODY" | jq '.points[-1].value')
	want=$(awk -v a="$a" -v b="$b" -v y=$(($2 - $1)) 'BEGIN { printf "%.4f", (exp(log(b / a) / y) - 1) * 100 }')
	assert_eq "$(echo "$BODY" | jq '.cagr_pct * 10000 | round / 10000' | awk '{ printf "%.4f", $1 }')" "$want" "visa CAGR $1-$2"
done
get "/api/v1/portfolio/series/medical_stay_visas?nationality=CN"
assert_contains "$(echo "$BODY" | jq -c '.points[0]')" '"period":"2011"' "a nationality's series"

get "/api/v1/portfolio"
assert_eq "$STATUS" 200 "portfolio"
assert_eq "$(echo "$BODY" | jq '.hospitals_listed.total')" 12 "portfolio: hospitals listed"
assert_eq "$(echo "$BODY" | jq -r '[.patients_by_nationality[].value, .patients_by_purpose[].value, .supply_demand[].treatment_patients] | map(select(. < 10)) | length')" 0 "portfolio: no small count shown"
assert_eq "$(echo "$BODY" | jq -r '.visa_coverage[0] | keys | join(",")')" "coverage_ratio,partial,patients_with_visa,visa_unknown_share,visas_issued,year" "portfolio: visa coverage with the unknown share apart"
# A failed section fails the call, naming the section.
sql "ALTER TABLE release_values RENAME TO release_values_away" >/dev/null
get "/api/v1/portfolio"
assert_eq "$STATUS" 503 "portfolio with a failing section"
assert_contains "$BODY" 'portfolio section \"patients_by_nationality\"' "names the section"
sql "ALTER TABLE release_values_away RENAME TO release_values" >/dev/null

# Submission metadata: what a submission held only for its own hospital.
get "/api/v1/submissions?hospital=$code"
assert_eq "$STATUS" 200 "ministry: submissions"
assert_eq "$(echo "$BODY" | jq '[.submissions[] | select(has("cells") or has("imported") or has("nil_report"))] | length')" 0 "the ministry sees no cell or import counts"
get "/api/v1/submissions" "$(token hospital --org "$code")"
assert_eq "$(echo "$BODY" | jq '[.submissions[] | select(has("cells") and has("imported"))] | length > 0')" true "the hospital sees its own"
get "/api/v1/completeness?period=$Y-03"
assert_eq "$(echo "$BODY" | jq '[.hospitals[] | select(has("cells") or has("nil_report"))] | length')" 0 "completeness: whether and when, not how many"

# The calendar year: once its December is measured, the year is measured
# once more over the yearly workload (rho 1; 12 x 1/12 + 1 = 2 a year),
# combined with its months, and the months' released patients adjusted to
# add up to it (post-processing; docs/disclosure-control.md sections 3, 5).
out=$("$CTL_BIN" release --db "$DSN" --until "$Y-12")
assert_contains "$out" "measured 8 months $Y-05..$Y-12 and 1 years $Y..$Y" "December closes the year: the year measured"
assert_contains "$out" "year $Y: 10 months measured, rho 1.8333" "the year's rho: 10 months x 1/12 + 1 (January and February had no data)"
assert_eq "$(sql "SELECT year, rho_num, rho_den, months FROM release_years")" "$Y|1|1|10" "release_years: the year's own rho"
assert_eq "$(sql "SELECT count(*), sum(share_permille), min(sensitivity), max(sensitivity) FROM release_year_queries WHERE year = $Y")" "5|1000|2|2" \
	"five yearly queries sharing the year's rho, L2 sensitivity 2 (the cap of 2 cells per patient a year)"
bad=$(sql "SELECT count(*) FROM release_year_values y LEFT JOIN (SELECT dims, key1, key2, sum(value) s FROM release_values
	WHERE measure = 'patients' AND period >= '$Y-01-01' AND period < '$((Y + 1))-01-01' GROUP BY 1, 2, 3) m USING (dims, key1, key2)
	WHERE y.year = $Y AND coalesce(m.s, 0) <> y.value")
assert_eq "$bad" 0 "every yearly figure is the sum of its released months"
assert_eq "$(sql "SELECT count(*) FROM release_values WHERE value < 0")" 0 "no negative value after the adjustment"
bad=$(sql "WITH t AS (SELECT period, value FROM release_values WHERE measure = 'patients' AND dims = '')
	SELECT count(*) FROM (SELECT period, dims, sum(value) s FROM release_values WHERE measure = 'patients'
	AND dims NOT LIKE '%,%' AND dims <> '' GROUP BY 1, 2) x JOIN t USING (period) WHERE x.s <> t.value")
assert_eq "$bad" 0 "every month's one-way tables still sum to its total"
bad=$(sql "SELECT count(*) FROM (SELECT period, dims, key1, sum(value) s FROM release_values WHERE measure = 'patients'
	AND dims LIKE '%,%' GROUP BY 1, 2, 3) c JOIN release_values p ON p.period = c.period AND p.measure = 'patients'
	AND p.dims = split_part(c.dims, ',', 1) AND p.key1 = c.key1 WHERE c.s <> p.value")
assert_eq "$bad" 0 "and every two-way row its parent (nationality x purpose, x visa, hospital x purpose)"
get "/api/v1/statistics?measure=patients&by=nationality&period=year&year=$Y"
rel=$(sql "SELECT string_agg(key1 || '|' || value, ',' ORDER BY key1) FROM release_year_values
	WHERE year = $Y AND dims = 'nationality' AND value >= 10")
assert_eq "$(echo "$BODY" | jq -r '[.cells[] | "\(.nationality)|\(.value)"] | join(",")')" "$rel" "the API's year is the combined yearly figure"
get "/api/v1/statistics?measure=patients&period=year&year=$Y"
assert_eq "$(echo "$BODY" | jq '.totals.value')" "$(sql "SELECT value FROM release_year_values WHERE year = $Y AND dims = ''")" "and its total"
ysnap() { sql "SELECT md5(string_agg(concat_ws('|', dims, key1, key2, noisy, value), ',' ORDER BY dims, key1, key2)) FROM release_year_values"; }
ybefore=$(ysnap) before=$(snapshot)
assert_contains "$("$CTL_BIN" release --db "$DSN" --until "$Y-12")" "nothing to measure" "a measured year is never measured again"
jq '.cells[0].patients = 600 | .cells[0].episodes = 600' "$WORK/late.json" >"$WORK/late2.json"
forge "$WORK/late2.env" "$code" --stats "$WORK/late2.json" --seq $(($(date +%s%N) / 1000))
assert_contains "$(send "$WORK/late2.env")" "status=accepted" "a resubmission after the year is stored"
"$CTL_BIN" release --db "$DSN" --until "$Y-12" >/dev/null
assert_eq "$(ysnap)|$(snapshot)" "$ybefore|$before" "a resubmission after the year changes neither the year nor its months"

# The accounting holds across the change of budget: a year whose months
# were measured at 1/6 each (before the yearly measurement existed) has
# spent its 2 and is never measured.
sql "INSERT INTO release_months (period, measured_now, rho_num, rho_den, hospitals, coordinators)
	SELECT g, '2002-01-20', 1, 6, 0, 0 FROM generate_series('2001-01-01'::date, '2001-12-01', interval '1 month') g" >/dev/null
out=$("$CTL_BIN" release --db "$DSN" --until "$Y-12")
assert_contains "$out" "1 closed years not measured" "a year without budget left is not measured"
assert_eq "$(sql "SELECT rho_num, months FROM release_years WHERE year = 2001")" "0|12" "and recorded at rho 0"
assert_eq "$(sql "SELECT count(*) FROM release_year_queries WHERE year = 2001")" 0 "with no measurement"
