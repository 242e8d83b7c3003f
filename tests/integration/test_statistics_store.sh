#!/usr/bin/env bash
# Case statistics at the hub: a submission per (hospital, period) replaces
# the previous one and keeps it as history; resending changes nothing; the
# Ack carries the import summary; a nil report is explicit; a refused
# submission stores nothing; reporting completeness per period.
. "$(dirname "$0")/lib.sh"
db_create
H=3910118128
identity $H
identity 3910110438
hub_start
publish "$EXAMPLE" >/dev/null || fail "listing not published"

P=$(date -u +%Y-%m)   # this month: its deadline is always ahead
P2=$(date -u -d "$(date -u +%Y-%m-15) -1 month" +%Y-%m)
FUTURE=$(date -u -d "$(date -u +%Y-%m-15) +1 month" +%Y-%m)
# stats OUT JQ: a statistics description edited from the base below.
cell() { # nationality purpose icd10 age patients episodes inp_episodes visits days charge
	jq -n --arg n "$1" --arg p "$2" --arg i "$3" --arg a "$4" \
		--argjson pa "$5" --argjson ep "$6" --argjson ie "$7" --argjson v "$8" --argjson d "$9" --argjson c "${10}" \
		'{nationality:$n, purpose:$p, icd10:$i, age_band:$a, sex:"female", referral_channel:"direct",
		  referral_org:"", remote_second_opinion_first:"no", medical_stay_visa:"yes",
		  patients:$pa, episodes:$ep, inpatient_episodes:$ie, outpatient_visits:$v, inpatient_days:$d, charge_jpy:$c}'
}
{
	cell CN treatment 2 50-59 3 4 2 6 30 18000000
	cell CN health_checkup 21 40-49 12 12 0 12 0 18000000
	cell VN treatment 2 60-69 1 1 1 2 14 4500000
} | jq -s --arg code $H --arg p "$P" '{organisation_code:$code, period:$p, cells:.}' |
	# The first cell's clipped charge as a spoke gives it (its patients'
	# parts 500,000, 500,000 and 17,000,000 JPY, each at most 3,000,000);
	# the others' as ibx-testpeer fills them in (min(exact, bound x patients)).
	jq '.cells[0].charge_jpy_clipped = 4000000' >"$WORK/s1.json"
submit() { # FILE [forge options]: forge, sign and send; prints the Ack
	local f=$1
	shift
	# A fresh sequence each time (this runs in subshells): microseconds.
	forge "$WORK/s.env" $H --stats "$f" --seq $(($(date +%s%N) / 1000)) "$@"
	send "$WORK/s.env"
}
cells_of() { sql "SELECT count(*) FROM statistics_cells WHERE current AND period = '$1-01'"; }

out=$(submit "$WORK/s1.json")
assert_contains "$out" "status=accepted version=0 imported=3 updated=0 unchanged=0 deleted=0 refused=0" "first submission: 3 cells imported"
cp "$WORK/s.env" "$WORK/first.env"
out=$(submit "$WORK/s1.json")
assert_contains "$out" "status=accepted version=0 imported=0 updated=0 unchanged=3 deleted=0" "resending the same cells changes nothing"
assert_eq "$(sql "SELECT count(*) FROM statistics_submissions") $(cells_of "$P")" "1 3" "no new submission stored"
assert_contains "$(send "$WORK/first.env")" "status=duplicate" "the very same envelope again: duplicate"

# Replace: one cell changed, one gone, one new.
jq '.cells[0].episodes = 5 | .cells[0].charge_jpy = 22000000 | del(.cells[2])' "$WORK/s1.json" >"$WORK/s2.json"
cell RU treatment 9 70-79 2 2 2 0 40 9000000 >"$WORK/ru.json"
jq --slurpfile ru "$WORK/ru.json" '.cells += $ru' "$WORK/s2.json" >"$WORK/s2b.json"
out=$(submit "$WORK/s2b.json")
assert_contains "$out" "imported=1 updated=1 unchanged=1 deleted=1" "replacement summary"
assert_eq "$(sql "SELECT count(*) FILTER (WHERE superseded_at IS NULL), count(*) FROM statistics_submissions")" "1|2" "previous submission kept as history"
assert_eq "$(cells_of "$P")" 3 "current cells are the new submission's"
assert_eq "$(sql "SELECT count(*) FROM statistics_cells")" 6 "old cells kept, not current"
assert_eq "$(sql "SELECT sum(charge_jpy) FROM statistics_cells WHERE current")" 49000000 "current sums"
# The clipped sums beside them (080): 4,000,000 as sent, 18,000,000 (12
# patients) and 6,000,000 (2 patients at the bound).
assert_eq "$(sql "SELECT sum(charge_jpy_clipped), sum(outpatient_visits_clipped), sum(inpatient_days_clipped) FROM statistics_cells WHERE current")" \
	"28000000|18|70" "the clipped sums are stored beside the exact ones"

# A nil report is explicit, and so is its replacement by cells.
jq -n --arg code $H --arg p "$P2" '{organisation_code:$code, period:$p, nil_report:true, cells:[]}' >"$WORK/nil.json"
assert_contains "$(submit "$WORK/nil.json")" "status=accepted" "nil report accepted"
assert_eq "$(sql "SELECT nil_report, n_cells FROM statistics_submissions WHERE period = '$P2-01'")" "t|0" "nil report stored"

# Refusals store nothing.
before=$(sql "SELECT count(*) FROM statistics_submissions")/$(sql "SELECT count(*) FROM statistics_cells")
refused() { # NAME JQ EXPECTED-TEXT
	jq "$2" "$WORK/s1.json" >"$WORK/bad.json"
	local out
	out=$(submit "$WORK/bad.json")
	assert_contains "$out" "status=invalid" "$1: refused"
	assert_contains "$out" "$3" "$1: the reason names the field"
	assert_eq "$(sql "SELECT count(*) FROM statistics_submissions")/$(sql "SELECT count(*) FROM statistics_cells")" "$before" "$1: nothing stored"
}
refused "future period" ".period = \"$FUTURE\"" "field \"period\": $FUTURE is in the future"
refused "bad period" '.period = "2024-13"' 'field "period": must be YYYY-MM'
refused "patients over episodes" '.cells[1].patients = 13' 'field "cells[1].patients": 13 must be from 1 to the episodes (12)'
refused "negative charge" '.cells[0].charge_jpy = -1' 'field "cells[0].charge_jpy": must not be negative'
refused "inpatient days without an inpatient episode" '.cells[1].inpatient_days = 3' 'field "cells[1].inpatient_days": 3 days without an inpatient episode'
refused "unknown nationality" '.cells[2].nationality = "XX"' 'field "cells[2].nationality": unknown ISO 3166-1 alpha-2 code'
refused "unknown ICD-10 chapter" '.cells[0].icd10 = "23"' 'field "cells[0].icd10": unknown ICD-10 chapter'
refused "unknown ICD-10 category" '.icd10_level = "category" | .cells[0].icd10 = "C16" | .cells[1].icd10 = "U99" | .cells[2].icd10 = "C18"' 'field "cells[1].icd10"'
refused "coordinator channel without its code" '.cells[0].referral_channel = "coordinator"' 'field "cells[0].referral_org"'
refused "repeated keys" '.cells[2] = .cells[0]' 'repeats the keys of cells[0]'
refused "nil report with cells" '.nil_report = true' 'field "nil_report": a nil report carries no cells'
refused "no cells, not nil" '.cells = []' 'field "cells": no cells: send an explicit nil report instead'
# The contribution caps (issue 13): an old or altered spoke that states
# none, or looser ones than the release's, is refused, and so is a cell
# with more episodes than its patients may bring.
refused "no caps stated" '.cells_per_patient_month = 0 | .cells_per_patient_year = 0' 'field "cells_per_patient_month": not stated: the cells must be built with the contribution cap (at most 2 cells per patient and month); update the spoke; field "cells_per_patient_year": not stated'
refused "yearly cap above the release's" '.cells_per_patient_year = 7' "field \"cells_per_patient_year\": 7 is above the release's cap of 2"
refused "monthly cap above the release's" '.cells_per_patient_month = 3' "field \"cells_per_patient_month\": 3 is above the release's cap of 2"
refused "episodes over the cap" '.cells[0].episodes = 7' 'field "cells[0].episodes": 7 episodes of 3 patients, more than 2 per patient'
# The clipped sums (issue 13): each patient's part of a cell clipped at the
# release's bound, so never above the exact sum nor above bound x patients;
# one left out (0 beside a positive sum, an old spoke) is refused by name.
refused "clipped charge missing" '.cells[0].charge_jpy_clipped = 0' 'field "cells[0].charge_jpy_clipped": missing or 0, below 3000000 (the exact sum 18000000 with each patient'"'"'s part clipped at 3000000 cannot be less); update the spoke'
refused "clipped days missing" '.cells[0].inpatient_days_clipped = 0' 'field "cells[0].inpatient_days_clipped": missing or 0, below 30'
refused "clipped visits above the exact sum" '.cells[2].outpatient_visits_clipped = 3' 'field "cells[2].outpatient_visits_clipped": 3 is above the exact sum 2 (each patient'"'"'s part clipped, never raised)'
refused "clipped charge above bound x patients" '.cells[0].charge_jpy_clipped = 9000001' 'field "cells[0].charge_jpy_clipped": 9000001 is above the bound 3000000 x 3 patients (what one patient may add to a cell)'
assert_contains "$(jq '.cells[0].patients = 0' "$WORK/s1.json" >"$WORK/bad.json"; submit "$WORK/bad.json")" "refused=3" "the summary counts the refused cells"
jq '.organisation_code = "3910110438"' "$WORK/s1.json" >"$WORK/other.json"
assert_contains "$(submit "$WORK/other.json")" "status=sender does not match certificate" "another hospital's statistics refused"

# Reporting completeness: this hospital reported both periods (one nil); the
# other enrolled hospital has no listing and sent nothing, so is not counted.
assert_eq "$(sql "SELECT org_code, reported, nil_report, on_time FROM ibx_completeness('$P-01') ORDER BY 1")" \
	"$H|t|f|t" "completeness: reported with cells, on time"
assert_eq "$(sql "SELECT reported, nil_report FROM ibx_completeness('$P2-01')")" "t|t" "completeness: nil report counts as reported"
sql "UPDATE settings SET value = '1' WHERE name = 'reporting_deadline_day'" >/dev/null
old=$(date -u -d "$(date -u +%Y-%m-15) -3 month" +%Y-%m)
jq --arg p "$old" '.period = $p' "$WORK/s1.json" >"$WORK/late.json"
submit "$WORK/late.json" >/dev/null
assert_eq "$(sql "SELECT on_time FROM ibx_completeness('$old-01')")" "f" "completeness: a report after the deadline is late"

# The hospital sees its submissions and their import summaries; others not.
htok=$(token hospital --org $H)
get "/api/v1/submissions?period=$P" "$htok"
assert_eq "$(echo "$BODY" | jq -c '[.submissions[] | [.imported, .updated, .unchanged, .deleted, (.superseded_at != null)]]')" \
	"[[1,1,1,1,false],[3,0,0,0,true]]" "import summaries of this period, newest first"
get "/api/v1/submissions?hospital=3910110438" "$htok"
assert_eq "$STATUS" 403 "not another hospital's submissions"
get "/api/v1/submissions" "$(token coordinator)"
assert_eq "$STATUS" 403 "coordinators do not see submissions"
