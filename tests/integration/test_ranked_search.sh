#!/usr/bin/env bash
# Ranked search for coordinators: experience with the requested purpose
# from the protected release (last month, measured by inboundctl release;
# a released count under 10, zero included, shown as "fewer than 10"),
# reasons for every rank, stale listings and expired accreditations
# flagged, distance from a point, and point-in-time search.
. "$(dirname "$0")/lib.sh"
db_create
hub_start
coord=$(token coordinator)
M=$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m) # the last closed month
today=$(date -u +%F)
old=$(date -u -d '-500 days' +%F)

mk() { # CODE BEDS CONFIRMED ACCR_EXPIRES LAT
	identity "$1"
	edit_json "$EXAMPLE" "$WORK/$1.json" ".organisation_code = \"$1\" | .name.ja = \"病院$1\" |
		.confirmed_at = \"$3\" | .accreditations = [{scheme: \"JMIP\", expires: \"$4\"}] |
		.location.lat = $5 | .beds = $2"
	publish "$WORK/$1.json" >/dev/null || fail "listing $1"
}
mk 3910110031 300 "$today" 2030-01-01 33.55   # experienced, fresh
mk 3910110032 300 "$today" 2030-01-01 33.56   # few patients
mk 3910110033 300 "$old" 2020-01-01 34.50      # stale, accreditation expired
stats() { # CODE PATIENTS
	jq -n --arg c "$1" --arg p "$M" --argjson n "$2" '{organisation_code:$c, period:$p, cells:[
	  {nationality:"CN", purpose:"treatment", icd10:"2", age_band:"50-59", sex:"male", referral_channel:"direct",
	   referral_org:"", remote_second_opinion_first:"no", medical_stay_visa:"yes", patients:$n, episodes:$n,
	   inpatient_episodes:0, outpatient_visits:$n, inpatient_days:0, charge_jpy:($n * 4000000)}]}' >"$WORK/s$1.json"
	forge "$WORK/s.env" "$1" --stats "$WORK/s$1.json" --seq $(($(date +%s%N) / 1000))
	send "$WORK/s.env" | grep -q status=accepted || fail "statistics $1"
}
stats 3910110031 400
stats 3910110032 3
"$CTL_BIN" release --db "$DSN" --until "$M" >/dev/null

get "/api/v1/hospitals?treatment=pet_ct&language=zh&nationality=CN&purpose=treatment&near=33.546,133.669" "$coord"
assert_eq "$STATUS $BODY" "200 $BODY" "ranked search"
assert_eq "$(echo "$BODY" | jq -r '[.hospitals[].organisation_code] | join(",")')" \
	"3910110031,3910110032,3910110033" "ranked by experience, freshness, accreditation"
assert_eq "$(echo "$BODY" | jq -r '[.hospitals[].rank] | join(",")')" "1,2,3" "ranks"
e=$(echo "$BODY" | jq '.hospitals[0].experience.patients')
rel=$(sql "SELECT value FROM release_values WHERE dims = 'hospital,purpose' AND key1 = '3910110031' AND key2 = 'treatment'")
assert_eq "$e" "$rel" "experience is the released count"
[ "$e" -ge 300 ] && [ "$e" -le 500 ] || fail "experience 400 released as $e (beyond 6 sigma)"
# Search reads experience from the search row (migration 106): the
# release run copied it there, and a search row written after the release
# takes it from search_experience (the row's insert trigger).
assert_eq "$(sql "SELECT experience_by_purpose->>'treatment' FROM hospital_listings WHERE org_code = '3910110031'")" \
	"$rel" "the release run copied experience into the search row"
sql "DELETE FROM hospital_listings WHERE org_code = '3910110031'" >/dev/null
edit_json "$WORK/3910110031.json" "$WORK/3910110031b.json" '.beds = 301'
publish "$WORK/3910110031b.json" >/dev/null || fail "listing 3910110031 again"
assert_eq "$(sql "SELECT experience_patients || ' ' || (experience_by_purpose->>'treatment') FROM hospital_listings WHERE org_code = '3910110031'")" \
	"$(sql "SELECT patients || ' ' || (by_purpose->>'treatment') FROM search_experience WHERE org_code = '3910110031'")" \
	"a search row written after the release carries the released experience"
get "/api/v1/hospitals?treatment=pet_ct&language=zh&nationality=CN&purpose=treatment&near=33.546,133.669" "$coord"
assert_eq "$(echo "$BODY" | jq '.hospitals[0].experience.patients')" "$rel" "the search shows it"
# A hospital with 3 patients: its released count is under 10 (shown as
# "fewer than 10", no number) or 10 and more (a number): never 1 to 9.
e2=$(echo "$BODY" | jq -r '.hospitals[1].experience | "\(.patients)|\(.display)"')
case "$e2" in
"null|fewer than 10") assert_contains "$(echo "$BODY" | jq -r '.hospitals[1].reasons | join("; ")')" \
	"fewer than 10 patients for treatment in the last 12 released months" "the reason says so" ;;
[1-9][0-9]*"|"[1-9][0-9]*) pass "a small hospital's released count is $e2" ;;
*) fail "experience shown as $e2" ;;
esac
assert_eq "$(echo "$BODY" | jq '[.hospitals[].experience | select(.patients != null and .patients < 10)] | length')" 0 "no experience from 1 to 9"
assert_contains "$(echo "$BODY" | jq -r '.hospitals[0].reasons | join("; ")')" "JMIP accredited, valid to 2030-01-01" "accreditation reason"
assert_contains "$(echo "$BODY" | jq -r '.hospitals[0].reasons | join("; ")')" "km from the given point" "distance reason"
assert_eq "$(echo "$BODY" | jq -r '.hospitals[2].stale')" true "a listing confirmed 500 days ago is stale"
assert_contains "$(echo "$BODY" | jq -r '.hospitals[2].flags | join("; ")')" "accreditation JMIP expired 2020-01-01" "expired accreditation flagged"
get "/api/v1/hospitals?accreditation=JMIP" "$coord"
assert_eq "$(echo "$BODY" | jq -r '[.hospitals[].organisation_code] | sort | join(",")')" \
	"3910110031,3910110032" "an expired accreditation does not count in search"
d=$(echo "$BODY" | jq '.hospitals[0].distance_km')
assert_eq "$d" null "no point, no distance"

# Point in time: the version current on a past day.
edit_json "$WORK/3910110031.json" "$WORK/v2.json" '.beds = 999'
publish "$WORK/v2.json" >/dev/null
sql "UPDATE listing_versions SET valid_from = '2025-01-01', valid_to = '2026-01-01'
     WHERE org_code = '3910110031' AND version = 1;
     UPDATE listing_versions SET valid_from = '2026-01-01' WHERE org_code = '3910110031' AND version = 2" >/dev/null
get "/api/v1/hospitals?prefecture=39&as_of=2025-06-01&q=%E7%97%85%E9%99%A23910110031" "$coord"
assert_eq "$(echo "$BODY" | jq -r '[.total, .hospitals[0].beds, .hospitals[0].version] | join(",")')" "1,300,1" "as_of: the version of that day"
get "/api/v1/hospitals?prefecture=39&as_of=2024-06-01" "$coord"
assert_eq "$(echo "$BODY" | jq -r .total)" 0 "as_of before any listing: none"
get "/api/v1/hospitals?q=%E7%97%85%E9%99%A23910110031" "$coord"
assert_eq "$(echo "$BODY" | jq -r '.hospitals[0].beds')" 999 "today: the current version"
get "/api/v1/hospitals?as_of=2025-02-30" "$coord"
assert_eq "$STATUS" 400 "as_of must be a real date"
