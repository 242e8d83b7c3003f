#!/usr/bin/env bash
# The attacker suite: over the demo's year of statistics (every real
# hospital, a year of synthetic case records sent through real spokes), a
# coordinator tries to learn a count from 1 to 9 by reading tables, margin
# arithmetic, differencing (all but one, one split two ways, a period range
# minus a shorter one) and repeating queries.  The suite knows the truth
# (it reads the database) and asserts that none is ever pinned, and that
# totals stay within the documented error (docs/disclosure-control.md).
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

coord=$(token coordinator)
q() { curl -sS -H "Authorization: Bearer $coord" "$API/api/v1/statistics?measure=patients&from=$Y-01&to=$Y-12&$1"; }
pinned=0 tables=0 published=0 max_err=0 noisy=0

# 1 and 2: every table by one or two dimensions: nothing from 1 to 9 shown,
# no lone suppressed cell in any line, every published value within 2 of
# the truth (checked against the database).
dims=(nationality purpose icd10_chapter age_band sex referral_channel prefecture period)
expr() {
	case "$1" in
	period) echo "to_char(period, 'YYYY-MM')" ;;
	icd10_chapter) echo "icd10_chapter::text" ;;
	prefecture) echo "(SELECT prefecture FROM hospital_listings h WHERE h.org_code = c.org_code)" ;;
	*) echo "$1" ;;
	esac
}
check_table() { # BY (comma-separated dims)
	local by=$1 body sel key truth
	body=$(q "by=$by")
	tables=$((tables + 1))
	[ "$(echo "$body" | jq '[.cells[] | select(.suppressed | not) | select(.value < 10)] | length')" = 0 ] ||
		fail "by=$by shows a value under 10"
	[ "$(echo "$body" | jq --arg by "$by" '($by | split(",")) as $d |
		[ $d[] as $x | .cells | group_by([ $d[] | select(. != $x) ] as $o | [ .[$o[]] ]) []
		  | select((map(select(.suppressed)) | length) == 1 and length > 1) ] | length')" = 0 ] ||
		fail "by=$by has a line with a lone suppressed cell"
	# Published against the truth.
	sel=$(echo "$by" | tr ',' '\n' | while read -r d; do printf '%s, ' "$(expr "$d")"; done)
	key=$(echo "$by" | tr ',' '\n' | awk '{ printf "%s\"\\(.%s)\"", (NR > 1 ? "+\"|\"+" : ""), $1 }')
	sql "SELECT concat_ws('|', ${sel%, }), sum(patients) FROM statistics_cells c
	     WHERE current AND period BETWEEN '$Y-01-01' AND '$Y-12-01' GROUP BY ${sel%, }" |
		awk -F'|' '{ v = $NF; NF--; k = $1; for (i = 2; i <= NF; i++) k = k "|" $i; print k "\t" v }' OFS='|' >"$WORK/truth.tsv"
	echo "$body" | jq -r ".cells[] | select(.suppressed | not) | [($key), .value] | @tsv" >"$WORK/pub.tsv"
	awk -F'\t' 'NR == FNR { t[$1] = $2; next }
		{ d = $2 - t[$1]; if (d < 0) d = -d; if (d > m) m = d; if (d > 0) nz++; n++ }
		END { printf "%d %d %d\n", n, m, nz }' "$WORK/truth.tsv" "$WORK/pub.tsv" >"$WORK/err.txt"
	read -r n e nz <"$WORK/err.txt"
	[ "$e" -le 2 ] || fail "by=$by: a published value is $e from the truth (bound 2)"
	published=$((published + n)); noisy=$((noisy + nz))
	[ "$e" -gt "$max_err" ] && max_err=$e
	return 0
}
for d in "${dims[@]}"; do check_table "$d"; done
for pair in nationality,purpose nationality,period purpose,age_band nationality,sex prefecture,purpose nationality,icd10_chapter; do
	check_table "$pair"
done
pass "$tables tables: no value under 10 shown, no lone suppressed cell, $published published values within $max_err of the truth"
[ "$noisy" -gt $((published / 3)) ] || fail "only $noisy of $published published values are perturbed"
pass "$noisy of $published published values differ from the truth (the noise is there)"

# 3: repeating a question, or asking it another way, gives the same answer.
a=$(q "by=nationality"); b=$(q "by=nationality")
[ "$a" = "$b" ] || fail "a repeated query got another answer"
pass "a repeated query gets the same answer (nothing to average)"

# 4: differencing.  For every nationality and month whose true count is 1
# to 9, difference the year's total and the total of the year less that
# month (both filtered to the nationality); the attacker knows each
# published total is within 2 of the truth, so the month lies in
# [diff - 4, diff + 4]: it is pinned when that holds exactly one value from
# 1 to 9 and nothing else (0 included).
sql "SELECT nationality, to_char(period, 'MM'), sum(patients) FROM statistics_cells
     WHERE current AND period BETWEEN '$Y-01-01' AND '$Y-12-01'
     GROUP BY 1, 2 HAVING sum(patients) < 10 ORDER BY 1, 2 LIMIT 60" >"$WORK/targets.txt"
tried=0 hits=0
while IFS='|' read -r nat mm truth; do
	[ "$mm" = 01 ] && continue   # "a year less January" is not a range
	full=$(q "nationality=$nat" | jq '.totals.value')
	prev=$(printf '%02d' $((10#$mm - 1)))
	part=$(curl -sS -H "Authorization: Bearer $coord" \
		"$API/api/v1/statistics?measure=patients&from=$Y-01&to=$Y-$prev&nationality=$nat" | jq '.totals.value')
	month=$(q "nationality=$nat&by=period" | jq --arg p "$Y-$mm" '.cells[] | select(.period == $p) | .value')
	[ -z "$month" ] || [ "$month" = null ] || fail "$nat $Y-$mm: true $truth published as $month"
	# The attack needs the rest of the year after this month to be zero
	# for "year to date" minus "year to last month" to be this month:
	# use the running totals instead, which hold for any month.
	[ "$full" = null ] || [ "$part" = null ] && continue
	tried=$((tried + 1))
	after=$(sql "SELECT coalesce(sum(patients), 0) FROM statistics_cells WHERE current AND nationality = '$nat'
	             AND period > '$Y-$mm-01' AND period <= '$Y-12-01'")
	diff=$((full - part - after))
	lo=$((diff - 4)); hi=$((diff + 4)); [ $lo -lt 0 ] && lo=0
	cands=$((hi - lo + 1))
	[ "$cands" -le 0 ] && continue
	if [ "$cands" -eq 1 ] && [ "$lo" -ge 1 ] && [ "$lo" -le 9 ]; then
		pinned=$((pinned + 1))
	fi
	[ "$diff" -eq "$truth" ] && hits=$((hits + 1))
done <"$WORK/targets.txt"
pass "period differencing: $tried small monthly counts attacked, $hits guesses happened to be exact, none could be told from its neighbours"
assert_eq "$pinned" 0 "no count from 1 to 9 pinned by differencing"
[ "$tried" -gt 0 ] || fail "the differencing attack found nothing to attack"

# 5: all but one: a nationality's small total from the grand total and the
# published others is never pinned: complementary suppression leaves at
# least two unknowns, each line's sum perturbed.
body=$(q "by=nationality")
supp=$(echo "$body" | jq '[.cells[] | select(.suppressed)] | length')
[ "$supp" -ne 1 ] || fail "exactly one nationality suppressed: it follows from the total"
pass "all-but-one: $supp nationalities suppressed together"

# 6: national totals stay within the documented error.
t=$(q "" | jq '.totals.value')
truth=$(sql "SELECT sum(patients) FROM statistics_cells WHERE current AND period BETWEEN '$Y-01-01' AND '$Y-12-01'")
d=$((t - truth)); d=${d#-}
[ "$d" -le 2 ] || fail "national total $t against $truth"
pass "national total $t against the true $truth (error $d, bound 2)"
assert_eq "$pinned" 0 "zero counts from 1 to 9 derivable"
