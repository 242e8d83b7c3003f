#!/usr/bin/env bash
# The release's months measured by two workers at once, each on its own
# connection (inboundctl release --workers 2, issue 18): every closed month
# measured once, and the stored release bit for bit the serial one's.  The
# noise is the test build's fixed noise (IBX_TEST_RELEASE_FIXED_NOISE=1,
# hub/stats/release.c), so the two runs can be compared; no December, so no
# year (whose noise is not fixed) is measured.
. "$(dirname "$0")/lib.sh"
db_create
hub_start

# Eight hospitals, six months each (March to August of last year), with a
# seeded mix of cells, sent through the hub as signed submissions.
Y=$(($(date -u +%Y) - 1))
codes=()
for i in $(seq 30 37); do
	code=39101100$i
	codes+=("$code")
	identity "$code"
	edit_json "$EXAMPLE" "$WORK/l$code.json" ".organisation_code = \"$code\" | .name.ja = \"病院$i\""
	publish "$WORK/l$code.json" >/dev/null || fail "listing $code"
done >/dev/null
RANDOM=7
nats=(CN CN VN RU US KR)
purposes=(treatment health_checkup second_opinion)
months=(03 04 05 06 07 08)
for code in "${codes[@]}"; do
	for m in "${months[@]}"; do
		cells=()
		for j in 0 1 2 3; do
			n=${nats[$((RANDOM % 6))]} p=${purposes[$((RANDOM % 3))]} b=$((RANDOM % 5 + 3))
			patients=$((RANDOM % 15 + 1))
			cells+=("$(jq -n --arg n "$n" --arg p "$p" --arg a "${b}0-${b}9" --argjson pa $patients \
				--argjson ch $((patients * 900000)) \
				'{nationality:$n, purpose:$p, icd10:"2", age_band:$a, sex:"male", referral_channel:"direct",
				  referral_org:"", remote_second_opinion_first:"no", medical_stay_visa:"yes",
				  patients:$pa, episodes:$pa, inpatient_episodes:0, outpatient_visits:$pa, inpatient_days:0, charge_jpy:$ch}')")
		done
		printf '%s\n' "${cells[@]}" | jq -s --arg c "$code" --arg p "$Y-$m" \
			'{organisation_code:$c, period:$p, cells:(group_by([.nationality,.purpose,.age_band]) | map(.[0]))}' >"$WORK/s.json"
		forge "$WORK/s.env" "$code" --stats "$WORK/s.json" --seq $(($(date +%s%N) / 1000))
		assert_contains "$(send "$WORK/s.env")" "status=accepted" "statistics $code $Y-$m"
	done
done >/dev/null

export IBX_TEST_RELEASE_FIXED_NOISE=1
now="$Y-12-20"
# the stored release without its wall-clock column (measured_at)
snapshot() {
	sql "SELECT md5(string_agg(concat_ws('|', period, measured_now, rho_num, rho_den, hospitals, coordinators), ',' ORDER BY period))
		|| md5((SELECT string_agg(concat_ws('|', period, measure, dims, sensitivity, sigma2_num, sigma2_den, share_permille, cells), ','
			ORDER BY period, measure, dims) FROM release_queries))
		|| md5((SELECT string_agg(concat_ws('|', period, measure, dims, key1, key2, noisy, value), ','
			ORDER BY period, measure, dims, key1, key2) FROM release_values))
		FROM release_months"
}
forget() {
	sql "DELETE FROM release_values; DELETE FROM release_queries; DELETE FROM release_months" >/dev/null
}

# serial: one worker, the months in order on the one connection
out=$("$CTL_BIN" release --db "$DSN" --until "$Y-08" --now "$now" --workers 1) || fail "serial release: $out"
assert_contains "$out" "measured 6 months $Y-03..$Y-08" "the serial run measures the six months"
assert_contains "$out" "by 1 worker," "the serial run has one worker"
serial=$(snapshot)
values=$(sql "SELECT count(*) FROM release_values")
[ "$values" -gt 1000 ] || fail "the serial release stored $values values"

# Migration 115 (byte-wise keys, the foreign key checked per statement)
# stores the same release as the schema before it: undone here, the serial
# run again, the same bytes; then 115 again.
sql "DROP TRIGGER release_values_inserted ON release_values; DROP TRIGGER release_values_updated ON release_values;
	DROP TRIGGER release_queries_deleted ON release_queries; DROP TRIGGER release_queries_updated ON release_queries" >/dev/null
sql "ALTER TABLE release_queries ALTER COLUMN measure TYPE text COLLATE \"default\", ALTER COLUMN dims TYPE text COLLATE \"default\";
	ALTER TABLE release_values ALTER COLUMN measure TYPE text COLLATE \"default\", ALTER COLUMN dims TYPE text COLLATE \"default\",
		ALTER COLUMN key1 TYPE text COLLATE \"default\", ALTER COLUMN key2 TYPE text COLLATE \"default\"" >/dev/null
forget
sql "ALTER TABLE release_values ADD CONSTRAINT release_values_period_measure_dims_fkey
	FOREIGN KEY (period, measure, dims) REFERENCES release_queries" >/dev/null
"$CTL_BIN" release --db "$DSN" --until "$Y-08" --now "$now" --workers 1 >/dev/null || fail "serial release before 115"
assert_eq "$(snapshot)" "$serial" "the release before migration 115 is the same, bit for bit"
forget
sql "$(sed '/^--/d' "$IBX_SOURCE/deploy/sql/migrations/115_release_keys.sql")" >/dev/null || fail "115 again"
"$CTL_BIN" release --db "$DSN" --until "$Y-08" --now "$now" --workers 1 >/dev/null || fail "serial release after 115"
assert_eq "$(snapshot)" "$serial" "the serial release with 115 again"
# 115's triggers keep the foreign key's rule: no value without its query,
# no query deleted or rekeyed under its values
q1=$(sql "SELECT period || '|' || measure || '|' || dims FROM release_queries WHERE dims <> '' ORDER BY 1 LIMIT 1")
IFS='|' read -r qp qm qd <<<"$q1"
err=$(sql "INSERT INTO release_values VALUES ('$qp', '$qm', 'no-such-dims', 'x', '', 1, 1)" 2>&1) &&
	fail "a value without its query was stored"
assert_contains "$err" "has no query in release_queries" "a value without its query is refused"
err=$(sql "DELETE FROM release_queries WHERE period = '$qp' AND measure = '$qm' AND dims = '$qd'" 2>&1) &&
	fail "a query with values was deleted"
assert_contains "$err" "still has values in release_values" "a query with values is not deleted"
err=$(sql "UPDATE release_queries SET dims = 'other' WHERE period = '$qp' AND measure = '$qm' AND dims = '$qd'" 2>&1) &&
	fail "a query with values was rekeyed"
assert_contains "$err" "still has values" "a query with values is not rekeyed"
err=$(sql "UPDATE release_values SET dims = 'other' WHERE period = '$qp' AND measure = '$qm' AND dims = '$qd'" 2>&1) &&
	fail "values were moved to no query"
assert_contains "$err" "has no query" "values are not moved to a query that does not exist"
sql "UPDATE release_values SET value = value WHERE period = '$qp'" >/dev/null || fail "values of a month rewritten"
assert_eq "$(snapshot)" "$serial" "the refused statements left the release as it was"

# two workers, each on its own connection: the same release, bit for bit
forget
out=$("$CTL_BIN" release --db "$DSN" --until "$Y-08" --now "$now" --workers 2) || fail "parallel release: $out"
assert_contains "$out" "measured 6 months $Y-03..$Y-08" "two workers measure the six months"
assert_contains "$out" "by 2 workers, each on its own connection" "two workers"
assert_contains "$out" "$values values" "as many values as the serial run"
assert_eq "$(snapshot)" "$serial" "two workers store the serial release bit for bit"
assert_eq "$(sql "SELECT count(*) FROM release_months")" 6 "each month measured once"
assert_contains "$("$CTL_BIN" release --db "$DSN" --until "$Y-08" --now "$now" --workers 2)" "nothing to measure" \
	"a measured month is never measured again"

# the fixed noise is noise: without it the values differ from the serial
# run's (so the comparison above can fail)
forget
IBX_TEST_RELEASE_FIXED_NOISE=0 "$CTL_BIN" release --db "$DSN" --until "$Y-08" --now "$now" --workers 2 >/dev/null ||
	fail "release with the sampler's noise"
[ "$(snapshot)" != "$serial" ] || fail "the sampler's noise gave the fixed noise's release"
pass "the sampler's noise differs from the fixed noise"

pass "release workers"
