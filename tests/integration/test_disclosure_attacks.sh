#!/usr/bin/env bash
# Attacks on the protected release: over the demo's year of statistics
# (every real hospital, a year of synthetic case records sent through real
# spokes), measured once by inboundctl release, a coordinator reads every
# table it may ask, repeats questions, tries arbitrary windows and counts
# listed rows.  The suite knows the truth (it reads the database) and
# asserts that every answer is post-processing of the stored release (so
# the zCDP guarantee of docs/disclosure-control.md covers it), that no
# count from 1 to 9 is listed, that windows are refused, that small counts
# are hit no better than a stated bound, and that the national total stays
# within the documented error.  tests/disclosure/ holds the full suite.
. "$(dirname "$0")/lib.sh"
db_create
hub_start

# The demo's data: every hospital listed, a year of statistics each.
"$DATAGEN_BIN" listings --data "$IBX_SOURCE/deploy/data" --out "$WORK/listings" --seed 42 2>/dev/null
"$IBX_SOURCE/deploy/spokes.sh" issue --pki "$PKI" --listings "$WORK/listings"
"$CTL_BIN" enrol --db "$DSN" --ca "$PKI/ca.pem" --cert-dir "$PKI/issued" >/dev/null
"$IBX_SOURCE/deploy/spokes.sh" publish --pki "$PKI" --listings "$WORK/listings" \
	--bin "$IBX_BUILD/spoke" --jobs 4 -- --hub "$NNG_URL" --insecure-tcp >/dev/null ||
	fail "listings not published"
Y=$(($(date -u +%Y) - 1))
"$DATAGEN_BIN" cases --data "$IBX_SOURCE/deploy/data" --listings "$WORK/listings" --out "$WORK/cases" \
	--year $Y --seed 42 2>/dev/null
ls "$WORK/listings" | sed 's/\.json$//' | xargs -P 4 -I{} "$SPOKE_BIN" stats \
	--cases "$WORK/cases/synthetic_cases_{}_$Y.csv" --period $Y-01 --until $Y-12 --nil-if-empty \
	--hub "$NNG_URL" --insecure-tcp --cert "$PKI/issued/{}.pem" --key "$PKI/issued/{}.key" \
	>"$WORK/stats.log" 2>&1 || fail "statistics not accepted: $(grep -v accepted "$WORK/stats.log" | head -3)"
cells=$(sql "SELECT count(*) FROM statistics_cells WHERE current")
small=$(sql "SELECT count(*) FROM statistics_cells WHERE current AND patients < 10")
pass "$cells cells stored, $small of them with 1 to 9 patients"

out=$("$CTL_BIN" release --db "$DSN" --until "$Y-12")
assert_contains "$out" "rho spent: 12 x 1/12 + 1 x 1/1 = 2.0000" "the year released at rho = 2: twelve months and the year"
coord=$(token coordinator)
q() { curl -sS -H "Authorization: Bearer $coord" "$API/api/v1/statistics?measure=patients&year=$Y&$1"; }
tables=0 listed=0 noisy=0

# 1: every table a coordinator may ask for the year: nothing under 10
# listed, every listed value the sum of the stored release (post-
# processing only), and the noise is there (values differ from the truth).
check_table() { # BY [MARGINAL KEY-EXPR]: a table and the released marginal it sums
	local by=$1 dims=${2:-$1} key=${3:-} body k1 k2
	body=$(q "by=$by")
	tables=$((tables + 1))
	[ "$(echo "$body" | jq '[.cells[] | select(.value < 10)] | length')" = 0 ] || fail "by=$by lists a value under 10"
	k1=${by%%,*}; k2=${by#*,}; [ "$k2" = "$by" ] && k2=
	[ -n "$key" ] || key="CASE WHEN '$k2' = '' THEN key1 ELSE key1 || E'\\t' || key2 END"
	sql "SELECT k || '|' || sum(value) FROM (SELECT $key AS k, value FROM release_values
	     WHERE measure = 'patients' AND dims = '$dims' AND period BETWEEN '$Y-01-01' AND '$Y-12-01') x
	     GROUP BY k HAVING sum(value) >= 10" >"$WORK/rel.txt"
	echo "$body" | jq -r --arg a "$k1" --arg b "$k2" '.cells[] | ([.[$a], (if $b == "" then empty else .[$b] end)] | join("\t")) + "|" + (.value | tostring)' |
		sort >"$WORK/pub.txt"
	LC_ALL=C sort "$WORK/rel.txt" | cmp -s - <(LC_ALL=C sort "$WORK/pub.txt") || fail "by=$by: the answer is not the release's sums"
	listed=$((listed + $(wc -l <"$WORK/pub.txt")))
}
for d in nationality purpose icd10_chapter age_band sex referral_channel referral_org prefecture \
	nationality,purpose nationality,medical_stay_visa; do
	check_table "$d"
done
check_table medical_stay_visa nationality,medical_stay_visa key2
pass "$tables tables: $listed values listed, none under 10, each the sum of released months"
truth_n=$(sql "SELECT count(*) FROM (SELECT nationality FROM statistics_cells WHERE current AND period BETWEEN '$Y-01-01' AND '$Y-12-01' GROUP BY 1 HAVING sum(patients) >= 10) x")
body=$(q "by=nationality")
same=$(sql "SELECT count(*) FROM (SELECT nationality, sum(patients) s FROM statistics_cells WHERE current
	AND period BETWEEN '$Y-01-01' AND '$Y-12-01' GROUP BY 1) t" )
echo "$body" | jq -r '.cells[] | "\(.nationality)|\(.value)"' >"$WORK/pub_nat.txt"
sql "SELECT nationality || '|' || sum(patients) FROM statistics_cells WHERE current AND period BETWEEN '$Y-01-01' AND '$Y-12-01' GROUP BY nationality" >"$WORK/true_nat.txt"
noisy=$(grep -cvxFf "$WORK/true_nat.txt" "$WORK/pub_nat.txt" || true)
[ "$noisy" -gt 0 ] || fail "every yearly nationality figure equals the truth: no noise"
pass "$noisy of $(wc -l <"$WORK/pub_nat.txt") yearly nationality figures differ from the truth ($truth_n true ones of 10 or more, $same nationalities with patients)"

# 2: asking again gives the stored answer: nothing to average.
[ "$(q "by=nationality")" = "$body" ] || fail "a repeated query got another answer"
pass "a repeated query gets the same answer"

# 3: arbitrary and overlapping windows are refused: no system of windows
# to solve.
for w in "from=$Y-01&to=$Y-06" "from=$Y-02" "to=$Y-11"; do
	st=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $coord" "$API/api/v1/statistics?measure=patients&$w")
	assert_eq "$st" 400 "window $w refused"
done

# 4: small monthly counts.  For every nationality-month whose true count is
# 1 to 9: it is never listed, and the release's own value (which an
# attacker could at best recover) equals the truth no more often than the
# stated bound (25 %; a uniform guess over 1..9 is 11 %).
sql "SELECT c.nationality, to_char(c.period, 'YYYY-MM'), sum(c.patients), max(v.value)
     FROM statistics_cells c JOIN release_values v ON v.measure = 'patients' AND v.dims = 'nationality'
      AND v.period = c.period AND v.key1 = c.nationality
     WHERE c.current AND c.period BETWEEN '$Y-01-01' AND '$Y-12-01'
     GROUP BY 1, 2 HAVING sum(c.patients) < 10" >"$WORK/small.txt"
small=$(wc -l <"$WORK/small.txt")
hits=$(awk -F'|' '$3 == $4' "$WORK/small.txt" | wc -l)
[ "$small" -gt 0 ] || fail "no small nationality-month to attack"
for m in 01 06 12; do
	mb=$(curl -sS -H "Authorization: Bearer $coord" "$API/api/v1/statistics?measure=patients&by=nationality&period=month&month=$Y-$m")
	while IFS='|' read -r nat per t r; do
		[ "$per" = "$Y-$m" ] || continue
		v=$(echo "$mb" | jq --arg n "$nat" '.cells[] | select(.nationality == $n) | .value')
		[ -z "$v" ] || [ "$v" -ge 10 ] || fail "$nat $per: true $t listed as $v"
	done <"$WORK/small.txt"
done
pass "$small small nationality-months: none listed under 10; the release's value equals the truth for $hits"
# The hits are a binomial draw: fail only when they are above 25 % beyond
# chance (one-sided, z = 3.72, a false alarm once in 10,000 runs when the
# true rate is 25 %).  Runs hit 32 and 39 of 150 (21 % and 26 %): at a true
# rate near 21 % a plain "hits <= 25 %" fails about one run in twenty.  No noise, or too little,
# still fails: the rate is then 50-100 %.
awk -v h="$hits" -v n="$small" 'BEGIN { exit !(h <= 0.25 * n + 3.72 * sqrt(n * 0.25 * 0.75)) }' ||
	fail "exact-hit rate $hits/$small above 25 % beyond chance (z > 3.72)"

# 5: the national total within 4 standard deviations of the year's own
# measurement alone (sigma^2 = 2^2 x 1000 / (2 x 100) = 20, so 4.5
# patients; combined with the months it is smaller still;
# docs/disclosure-control.md), where twelve noisy months alone would give
# sqrt(12 x 24000/150) = 44.
t=$(q "" | jq '.totals.value')
truth=$(sql "SELECT sum(patients) FROM statistics_cells WHERE current AND period BETWEEN '$Y-01-01' AND '$Y-12-01'")
d=$((t - truth)); d=${d#-}
[ "$d" -le 18 ] || fail "national total $t against $truth"
pass "national total $t against the true $truth (error $d, bound 18)"

# 6: the year is measured once and its months add up to it: every yearly
# figure (release_year_values) is the sum of its released months.
assert_eq "$(sql "SELECT count(*), min(rho_num)::text || '/' || min(rho_den) FROM release_years WHERE year = $Y")" "1|1/1" "the year measured once, rho 1"
bad=$(sql "SELECT count(*) FROM release_year_values y LEFT JOIN (SELECT dims, key1, key2, sum(value) s FROM release_values
	WHERE measure = 'patients' AND period BETWEEN '$Y-01-01' AND '$Y-12-01' GROUP BY 1, 2, 3) m USING (dims, key1, key2)
	WHERE y.year = $Y AND coalesce(m.s, 0) <> y.value")
assert_eq "$bad" 0 "every yearly figure is the sum of its released months"
