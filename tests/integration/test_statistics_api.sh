#!/usr/bin/env bash
# National statistics for ministry staff: tables by any dimensions with
# disclosure control (no count from 1 to 9 shown, perturbation bounded and
# consistent, no lone suppressed cell in any line), a hospital's own exact
# figures, CSV for spreadsheets, growth, the imported visa series and its
# CAGR, and the portfolio.
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

# True figures, straight from the database, for checking.
true_by() { sql "SELECT $1, sum(patients) FROM statistics_cells WHERE current GROUP BY 1 ORDER BY 1"; }

get "/api/v1/statistics?measure=patients&by=nationality"
assert_eq "$STATUS" 200 "statistics by nationality"
echo "$BODY" | jq -c '.cells[]' >"$WORK/by_nat.json"
true_by nationality >"$WORK/true_nat.txt"
while IFS='|' read -r nat n; do
	cell=$(jq -c --arg n "$nat" 'select(.nationality == $n)' "$WORK/by_nat.json")
	v=$(echo "$cell" | jq .value)
	if [ "$n" -lt 10 ]; then
		assert_eq "$(echo "$cell" | jq .suppressed)" true "$nat: true count $n (below 10) is suppressed"
	elif [ "$v" != null ]; then
		d=$((v - n)); [ "$d" -ge -2 ] && [ "$d" -le 2 ] && [ "$v" -ge 10 ] ||
			fail "$nat: published $v for true $n: outside the perturbation bound or below k"
	fi
done <"$WORK/true_nat.txt"
pass "no published value below 10; every published value within 2 of the truth"
assert_eq "$(jq -r 'select(.nationality == "MN" or .nationality == "TH") | .suppressed' "$WORK/by_nat.json" | sort -u)" true "MN (6) and TH (4) suppressed"
again=$(curl -sS -H "Authorization: Bearer $TOKEN" "$API/api/v1/statistics?measure=patients&by=nationality")
assert_eq "$again" "$BODY" "the same question gets the same answer (consistent perturbation)"

# No line of a two-way table has exactly one suppressed cell beside
# published ones (a one-cell line's margin is that cell, suppressed too).
get "/api/v1/statistics?measure=patients&by=nationality,purpose"
lone=$(echo "$BODY" | jq '[.cells | group_by(.nationality)[], group_by(.purpose)[]
	| select((map(select(.suppressed)) | length) == 1 and length > 1) ] | length')
assert_contains "$(echo "$BODY" | jq '[.cells[] | select(.suppressed)] | length')" "" "some cells suppressed"
[ "$(echo "$BODY" | jq '[.cells[] | select(.suppressed)] | length')" -ge 2 ] || fail "expected suppressed cells in the two-way table"
assert_eq "$lone" 0 "no line with a lone suppressed cell (complementary suppression)"
assert_eq "$(echo "$BODY" | jq '[.cells[] | select(.suppressed == false and .value < 10)] | length')" 0 "no small value shown"

# A hospital sees its own figures exactly.
h=${codes[0]}
htok=$(token hospital --org "$h")
get "/api/v1/statistics?measure=patients&by=period" "$htok"
own_api=$(echo "$BODY" | jq -r '[.cells[] | "\(.period)|\(.value)"] | join(",")')
own_db=$(sql "SELECT string_agg(to_char(period, 'YYYY-MM') || '|' || s, ',' ORDER BY period) FROM (SELECT period, sum(patients) s FROM statistics_cells WHERE current AND org_code = '$h' GROUP BY 1) x")
assert_eq "$own_api" "$own_db" "a hospital's own figures, unsuppressed and exact"

# CSV for spreadsheets: UTF-8 with a BOM.
curl -sS -H "Authorization: Bearer $TOKEN" -H 'Accept: text/csv' \
	"$API/api/v1/statistics?measure=charge_jpy&by=purpose" >"$WORK/s.csv"
assert_eq "$(head -c 3 "$WORK/s.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "CSV starts with a UTF-8 BOM"
assert_contains "$(head -1 "$WORK/s.csv")" "purpose,charge_jpy,suppressed" "CSV header"
get "/api/v1/statistics?measure=charge_jpy&by=purpose&format=csv"
assert_contains "$BODY" "health_checkup," "format=csv works too"

for q in "measure=heads" "by=colour" "by=nationality,nationality" "from=2024-13" "period=week" "nationality=XX" "purpose=tourism"; do
	get "/api/v1/statistics?$q"
	assert_eq "$STATUS" 400 "?$q refused"
done

# Growth over years, and the imported medical stay visa series.
get "/api/v1/statistics/growth?measure=patients&from=$((Y - 1))&to=$Y"
assert_eq "$STATUS" 200 "growth answers"
assert_eq "$(echo "$BODY" | jq -r '.years | map(.year) | join(",")')" "$Y" "years with data"
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
assert_eq "$(echo "$BODY" | jq -r '[.patients_by_nationality[], .patients_by_purpose[], .supply_demand[].treatment_patients] | map(select(. != null and . < 10)) | length')" 0 "portfolio: no small count shown"
assert_contains "$(echo "$BODY" | jq -c 'keys')" "visa_coverage" "portfolio: visa coverage"
