#!/usr/bin/env bash
# The cap-violation class of the attacker suite (issue 13): a patient with
# many episodes across the year.  The release's budget holds only if one
# patient falls in at most 2 cells of a hospital's month and of its
# calendar year (docs/disclosure-control.md section 2); the spoke's
# anonymiser keeps those caps.  Over a hospital's export with patient X (8
# episodes, 8 cells, 6 months) and the same export without X, through the
# real spoke (dry run, then sent to a real hub):
#   - X's cells as sent keep the caps, while the export would put X in 8;
#   - the two neighbouring data sets give release truths (cells clipped as
#     the release clips them) that differ by at most each query's stated
#     L2 sensitivity, every month and for the year; X's uncapped cells
#     would break the yearly one (caps.py prints both);
#   - the report says how many episodes the caps dropped, in words;
#   - the hub takes the capped submissions, and refuses the same cells
#     when they state no caps.
# And the sums class (below): one patient's huge sums among near-zero ones
# move the release's sums by at most the stated sensitivity, because the
# spoke clips each patient's part of a cell; the old hub-side clip fails
# the same check.
. "$(dirname "$0")/../integration/lib.sh"
PY=/usr/bin/python3
DISC=$IBX_SOURCE/tests/disclosure
Y=$(($(date -u +%Y) - 1))
H=3910118128
db_create
identity $H
hub_start
publish "$EXAMPLE" >/dev/null || fail "listing not published"

$PY "$DISC/caps.py" export --year $Y --out-with "$WORK/with.csv" --out-without "$WORK/without.csv"
for f in with without; do
	"$SPOKE_BIN" stats --cases "$WORK/$f.csv" --period $Y-01 --until $Y-12 --dry-run --format json \
		>"$WORK/$f.json" 2>"$WORK/$f.report" || fail "dry run of $f: $(tail -3 "$WORK/$f.report")"
done
assert_contains "$(cat "$WORK/with.report")" \
	"with.csv: contribution caps: 2 episodes of $Y-03 dropped, of 1 patient: 0 over 2 episodes of one patient in a cell, 0 over 2 cells of one patient in the month, 2 over 2 cells of one patient in the calendar year (earlier episodes kept first)" \
	"the dry run says what the caps dropped, in words"
assert_contains "$(cat "$WORK/without.report")" "contribution caps: no episode of $Y-01 dropped" \
	"and that nothing was dropped where nothing was"
# One month sent alone: the report names the later months of the year
# that depend on it (the caps are the year's).
"$SPOKE_BIN" stats --cases "$WORK/with.csv" --period $Y-03 --dry-run >/dev/null 2>"$WORK/march.report" ||
	fail "dry run of March: $(tail -3 "$WORK/march.report")"
assert_contains "$(cat "$WORK/march.report")" \
	"with.csv: the file has episodes of later months of $Y (up to $Y-12) that this run does not send: if they were sent before and the episodes up to $Y-03 changed since, send them again too (--until $Y-12)" \
	"a month sent alone: the later months that depend on it are named"
assert_eq "$(grep -c 'later months' "$WORK/with.report")" 0 "and not when the run goes to December"
$PY "$DISC/caps.py" check --year $Y --raw "$WORK/with.csv" --with "$WORK/with.json" --without "$WORK/without.json" ||
	fail "the caps or the sensitivity do not hold (above)"
pass "X within the caps; the neighbouring data sets differ within the stated sensitivity"

# The hub: the capped year is accepted; the same cells stating no caps
# (an old spoke) are refused, naming the field, and nothing is stored.
"$SPOKE_BIN" stats --cases "$WORK/with.csv" --period $Y-01 --until $Y-12 --nil-if-empty \
	--hub "$NNG_URL" --insecure-tcp --cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key" \
	>"$WORK/send.log" 2>&1 || fail "the capped year was not accepted: $(grep -v accepted "$WORK/send.log" | head -3)"
assert_eq "$(sql "SELECT count(*) FROM statistics_cells WHERE current AND nationality = 'IS'")" 2 \
	"the hub holds X in 2 cells of the year"
before=$(sql "SELECT count(*) FROM statistics_submissions")
$PY - "$WORK/with.json" "$Y-03" >"$WORK/old.json" <<'PYEOF'
import json, sys
sys.path.insert(0, __import__("os").environ.get("DISC", "."))
text, dec, i = open(sys.argv[1]).read(), json.JSONDecoder(), 0
while True:
    while text[i].isspace():
        i += 1
    d, i = dec.raw_decode(text, i)
    if d["period"] == sys.argv[2]:
        break
d["organisation_code"] = "3910118128"
d["cells_per_patient_month"] = 0
d["cells_per_patient_year"] = 0
json.dump(d, sys.stdout)
PYEOF
forge "$WORK/old.env" $H --stats "$WORK/old.json" --seq $(($(date +%s%N) / 1000))
out=$(send "$WORK/old.env")
assert_contains "$out" "status=invalid" "cells without caps refused"
assert_contains "$out" 'field "cells_per_patient_month": not stated' "the refusal names the field"
assert_eq "$(sql "SELECT count(*) FROM statistics_submissions")" "$before" "nothing stored"

# The sums class: one patient with huge sums (300 visits, 200 days,
# 50,000,000 JPY) in a cell of six with near-zero sums.  The release
# measures the spoke's per-patient clipped sums, so the neighbouring data
# sets move every monthly query by at most its stated Delta; measured as
# the hub measured before (each cell's exact sum at bound x patients), the
# same check fails.
$PY "$DISC/caps.py" sums-export --year $Y --out-with "$WORK/zw.csv" --out-without "$WORK/zwo.csv"
for f in zw zwo; do
	"$SPOKE_BIN" stats --cases "$WORK/$f.csv" --period $Y-05 --dry-run --format json \
		>"$WORK/$f.json" 2>"$WORK/$f.report" || fail "dry run of $f: $(tail -3 "$WORK/$f.report")"
done
$PY "$DISC/caps.py" sums-check --year $Y --with "$WORK/zw.json" --without "$WORK/zwo.json" ||
	fail "one patient's sums move the release by more than the stated sensitivity (above)"
pass "a patient with huge sums among near-zero ones: the release's sums move within Delta"
if $PY "$DISC/caps.py" sums-check --year $Y --with "$WORK/zw.json" --without "$WORK/zwo.json" --as-before >"$WORK/before.log"; then
	fail "the check passes with the old hub-side clipping: it cannot tell"
fi
assert_contains "$(cat "$WORK/before.log")" "FAIL: charge by total: L2 difference 2094.00 above the sensitivity 600" \
	"measured as before (the cell's sum at bound x patients), the same check fails"
# The hub stores what the spoke sent: the exact sums for the hospital's own
# figures, the clipped ones for the release.
"$SPOKE_BIN" stats --cases "$WORK/zw.csv" --period $Y-05 \
	--hub "$NNG_URL" --insecure-tcp --cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key" \
	>"$WORK/zsend.log" 2>&1 || fail "the month with Z was not accepted: $(head -3 "$WORK/zsend.log")"
assert_eq "$(sql "SELECT patients, outpatient_visits, outpatient_visits_clipped, inpatient_days, inpatient_days_clipped, charge_jpy, charge_jpy_clipped FROM statistics_cells WHERE current AND nationality = 'NO'")" \
	"7|306|22|200|31|50060000|3060000" "the hub holds Z's cell with its exact and its clipped sums"
