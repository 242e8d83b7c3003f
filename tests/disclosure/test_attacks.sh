#!/usr/bin/env bash
# The attacker suite of issue 13, over the demo's data: every real
# hospital, a year of generated case statistics sent through real spokes,
# the monthly release (inboundctl release, when the build has it), then an
# attacker with a ministry, a coordinator and three hospital tokens tries
# every attack class on the small counts (1 to 9 patients) of the year:
#
#   cells        cell counts of /completeness and /submissions as patients
#   rows         listed rows counted at the finest grain, split by filters
#   windows      overlapping windows (from/to, or month/quarter/year),
#                differencing, solved for bounds and an estimate
#   reconstruct  least squares and integer programming over all tables
#                and every lower bound together
#   tracker      national figures less a hospital's own exact figures
#   yearly       small counts of the calendar year (nationality,
#                nationality x purpose, hospital) by differencing the
#                yearly tables, and the national year less a tracker's own
#   resubmission a hospital resubmits a month (fresh record keys each
#                time) and averages what comes back
#   all          the best of the attacks above per target
#
# Each is scored against the database (score.py): the suite fails on any
# certain pin or on an exact-hit rate above the prior mode's hit rate plus
# IBX_ATTACK_MARGIN (0.10).  IBX_DISCLOSURE_HOSPITALS=N uses the first N
# hospitals only (a quicker run); IBX_RESUBMISSIONS (default 6) rounds.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
db_create
hub_start
disclosure_data "${IBX_DISCLOSURE_HOSPITALS:-0}"
disclosure_release

# The tokens: the attacker may hold all of them at once.  Its hospitals
# are the three with the most patients: the best trackers.
ministry=$TOKEN
coord=$(token coordinator)
hosp_args=() orgs=()
for org in $(sql "SELECT org_code FROM statistics_cells WHERE current GROUP BY 1
                  ORDER BY sum(patients) DESC, 1 LIMIT 3"); do
	hosp_args+=(--hospital "$org=$(token hospital --org "$org")")
	orgs+=("$org")
done

t0=$SECONDS
$PY "$DISC/attack.py" run --api "$API" --year "$Y" --ministry "$ministry" --coordinator "$coord" \
	"${hosp_args[@]}" --out "$WORK/guesses.json" || fail "the attacker failed"
pass "attacks over the API in $((SECONDS - t0)) s"

# Resubmission: the first tracker hospital resubmits its whole year
# IBX_RESUBMISSIONS times, alternating the ICD-10 level so that every
# submission differs from the one before (and so is stored, with fresh
# record keys); the release step runs after each, as the monthly job
# would, and the attacker reads the national table and its own figures.
org=${orgs[0]}
rounds=()
for r in $(seq 1 "${IBX_RESUBMISSIONS:-6}"); do
	level=chapter
	[ $((r % 2)) -eq 1 ] && level=category
	"$SPOKE_BIN" stats --cases "$CASES/synthetic_cases_${org}_$Y.csv" --period "$Y-01" --until "$Y-12" \
		--nil-if-empty --icd10-level "$level" --hub "$NNG_URL" --insecure-tcp \
		--cert "$PKI/issued/$org.pem" --key "$PKI/issued/$org.key" >>"$WORK/resubmit.log" 2>&1 ||
		fail "resubmission $r of $org: $(tail -2 "$WORK/resubmit.log")"
	disclosure_release
	$PY "$DISC/attack.py" snapshot --api "$API" --year "$Y" --coordinator "$coord" \
		--hospital "${hosp_args[1]}" --out "$WORK/round$r.json" || fail "snapshot $r"
	rounds+=("$WORK/round$r.json")
done
subs=$(sql "SELECT count(*) FROM statistics_submissions WHERE org_code = '$org'")
[ "$subs" -gt $((12 * ${IBX_RESUBMISSIONS:-6})) ] || fail "only $subs submissions of $org stored"
pass "$org resubmitted its year ${IBX_RESUBMISSIONS:-6} times ($subs submissions stored)"
$PY "$DISC/attack.py" resub --year "$Y" --org "$org" --prior "$WORK/guesses.json" --out "$WORK/resub.json" "${rounds[@]}"

# The truth, read straight from the cells, and the score.
disclosure_truth "$WORK/truth" "${orgs[@]}"
$PY - "$WORK/guesses.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))["meta"]
print("queries by attack:", m["queries_by_attack"], "seconds:", {k: round(v, 1) for k, v in m["seconds"].items()})
EOF
$PY "$DISC/score.py" --truth "$WORK/truth" "$WORK/guesses.json" "$WORK/resub.json" ||
	fail "the attacker beat disclosure control (table above)"
pass "no certain pin, every exact-hit rate within its bound"
