#!/usr/bin/env bash
# Search from an arrival airport: near=IATA or a point, within_km by
# great-circle distance (checked here with our own haversine from the
# airports CSV, not the hub's), the nearest scheduled airport, prices and
# the price filter, sort orders with their tie-breaks, the score's
# components summing to its total, and CSV with a BOM.  A test set of
# listings placed around Narita, Kansai airport and far away in Sapporo.
. "$(dirname "$0")/lib.sh"
db_create
hub_start
coord=$(token coordinator)
M=$(date -u +%Y-%m)
today=$(date -u +%F)
CSV=$IBX_SOURCE/deploy/data/jp_airports_ourairports_scheduled.csv

# The airports table holds the CSV's rows.
assert_eq "$(sql 'SELECT count(*) FROM airports')" "$(($(wc -l <"$CSV") - 1))" "airports: one row per CSV row"
nrt=$(awk -F, '$1 == "NRT" {print $5 "," $6}' "$CSV")
kix=$(awk -F, '$1 == "KIX" {print $5 "," $6}' "$CSV")
assert_eq "$(sql "SELECT lat || ',' || lon FROM airports WHERE iata = 'NRT'")" "$nrt" "NRT as in the CSV"

mk() { # CODE PREF LAT LON NAME_EN [PRICE_MIN PRICE_MAX]
	identity "$1"
	local bands='[]'
	[ -z "${6:-}" ] || bands="[{\"service\": \"health_checkup_premium\", \"min_jpy\": $6, \"max_jpy\": $7},
		{\"service\": \"second_opinion\", \"min_jpy\": $(($6 / 10)), \"max_jpy\": $(($7 / 10))}]"
	edit_json "$EXAMPLE" "$WORK/$1.json" ".organisation_code = \"$1\" | .prefecture = \"$2\" |
		.name.ja = \"病院$1\" | .name.en = \"$5\" | .location = {lat: $3, lon: $4} |
		.confirmed_at = \"$today\" | .price_bands = $bands"
	publish "$WORK/$1.json" >/dev/null || fail "listing $1"
}
# Around Narita (35.77, 140.39).
mk 1210000001 12 35.7760 140.3180 "Narita Hospital" 300000 500000  # ~6 km
mk 1210000002 12 35.6070 140.1060 "Chiba Hospital" 200000 400000   # ~31 km
mk 1210000003 12 35.7240 140.2240 'Sakura \"East\", Hospital'      # ~15 km, no prices
mk 0810000004 08 35.9700 140.6400 "Kashima Hospital" 300000 450000 # ~32 km
mk 1310000005 13 35.6900 139.7000 "Shinjuku Hospital" 100000 200000 # ~63 km
# Around Kansai airport (34.43, 135.24).
mk 2710000006 27 34.4100 135.3200 "Izumisano Hospital" 250000 350000 # ~7 km
mk 2710000007 27 34.4600 135.3700 "Kishiwada Hospital" 260000 300000 # ~12 km
mk 2710000008 27 34.5700 135.4800 "Sakai Hospital" 270000 380000     # ~27 km
mk 3010000009 30 34.2300 135.1700 "Wakayama Hospital" 280000 390000  # ~23 km, Wakayama
mk 2710000010 27 34.7000 135.5000 "Umeda Hospital" 150000 250000     # ~38 km
# Far away.
mk 0110000011 01 43.0600 141.3500 "Sapporo Hospital" 90000 100000    # ~810 km from NRT

# Statistics of last month: the current month is never released.
P=$(date -u -d "$(date -u +%Y-%m-15) -1 month" +%Y-%m)
stats() { # CODE PATIENTS
	jq -n --arg c "$1" --arg p "$P" --argjson n "$2" '{organisation_code:$c, period:$p, cells:[
	  {nationality:"CN", purpose:"treatment", icd10:"2", age_band:"50-59", sex:"male", referral_channel:"direct",
	   referral_org:"", remote_second_opinion_first:"no", medical_stay_visa:"yes", patients:$n, episodes:$n,
	   inpatient_episodes:0, outpatient_visits:$n, inpatient_days:0, charge_jpy:($n * 4000000)}]}' >"$WORK/s$1.json"
	forge "$WORK/s.env" "$1" --stats "$WORK/s$1.json" --seq $(($(date +%s%N) / 1000))
	send "$WORK/s.env" | grep -q status=accepted || fail "statistics $1"
}
stats 1210000002 400
stats 0810000004 150
# Experience comes from the protected release of the closed months.
"$CTL_BIN" release --db "$DSN" --until "$P" >/dev/null || fail "inboundctl release"

# km_check LAT,LON LIMIT: every hospital of BODY has a distance_km that our
# own haversine (from the listing's location) confirms within 0.1 km, and
# is within LIMIT km.
km_check() {
	echo "$BODY" | jq -e --arg p "$1" --argjson lim "$2" '
	  ($p | split(",") | map(tonumber)) as [$la, $lo] |
	  def rad: . * 3.141592653589793 / 180;
	  def hav($a; $b; $c; $d): 2 * 6371.0088 * ((((($c - $a) | rad) / 2 | sin) as $x |
	    ((($d - $b) | rad) / 2 | sin) as $y |
	    ($x * $x + ($a | rad | cos) * ($c | rad | cos) * $y * $y)) | sqrt | asin);
	  [.hospitals[] | hav($la; $lo; .location.lat; .location.lon) as $km |
	   select(($km - .distance_km | fabs) > 0.1 or $km > $lim)] | length == 0' >/dev/null ||
		fail "a distance is wrong or beyond $2 km: $(echo "$BODY" | jq -c '[.hospitals[] | [.organisation_code, .location, .distance_km]]')"
}
codes() { echo "$BODY" | jq -r '[.hospitals[].organisation_code] | join(",")'; }

# Narita, 50 km: exactly the four Chiba and Ibaraki hospitals.
get "/api/v1/hospitals?near=NRT&within_km=50" "$coord"
assert_eq "$STATUS" 200 "near=NRT&within_km=50"
km_check "$nrt" 50
pass "every distance checked with an independent haversine, all within 50 km of Narita"
assert_eq "$(echo "$BODY" | jq -r '[.hospitals[].organisation_code] | sort | join(",")')" \
	"0810000004,1210000001,1210000002,1210000003" "near=NRT&within_km=50: the four hospitals within 50 km"
assert_eq "$(echo "$BODY" | jq -c '.near | [.iata, .within_km == 50]')" '["NRT",true]' "the response says the anchor and radius"
echo "$BODY" | jq -e '[.hospitals[] | .nearest_airport.km <= .distance_km + 0.1] | all' >/dev/null ||
	fail "a nearest airport farther than Narita: $(echo "$BODY" | jq -c '[.hospitals[] | [.nearest_airport, .distance_km]]')"
assert_eq "$(echo "$BODY" | jq -r '[.hospitals[].nearest_airport.iata] | sort | unique | join(",")')" "HND,IBR,NRT" \
	"their nearest scheduled airports (Chiba city: Haneda; Kashima: Ibaraki)"
# The nearest airport of a Narita hospital, checked against every airport.
want=$(awk -F, -v la=35.776 -v lo=140.318 'NR > 1 {
	r = 3.141592653589793 / 180; x = sin(($5 - la) * r / 2); y = sin(($6 - lo) * r / 2)
	a = x * x + cos(la * r) * cos($5 * r) * y * y; d = 2 * 6371.0088 * atan2(sqrt(a), sqrt(1 - a))
	if (best == "" || d < best) { best = d; code = $1 } } END { printf "%s %.1f", code, best }' "$CSV")
assert_eq "$(echo "$BODY" | jq -r '.hospitals[] | select(.organisation_code == "1210000001") |
	"\(.nearest_airport.iata) \(.nearest_airport.km)"')" "$want" "nearest airport and its distance"

# The score's components sum to the total, with the documented weights.
echo "$BODY" | jq -e '[.hospitals[] | .score | (([.components[].value] | add) - .total | fabs) < 0.05] | all' >/dev/null ||
	fail "components do not sum to the total: $(echo "$BODY" | jq -c '[.hospitals[].score]')"
assert_eq "$(echo "$BODY" | jq -c '[.hospitals[0].score.components[] | [.name, (.weight | floor)]]')" \
	'[["experience",35],["freshness",15],["accreditation",15],["remote_second_opinion",10],["distance",15],["response_time",10]]' \
	"components and weights"
echo "$BODY" | jq -e '[.hospitals[].score.total] | . == (sort | reverse)' >/dev/null ||
	fail "sort=rank (default) is not by total: $(echo "$BODY" | jq -c '[.hospitals[].score.total]')"
pass "the components sum to the total, and the default order is by total"
assert_contains "$(echo "$BODY" | jq -r '.hospitals[] | select(.organisation_code == "1210000002") |
	.score.components[0].reason')" "patients in the last 12 released months" "the experience component says why"

# Kansai airport, 30 km: the Osaka prefecture hospitals there (and the one
# across the border in Wakayama), not Osaka city 38 km away.
get "/api/v1/hospitals?near=KIX&within_km=30" "$coord"
km_check "$kix" 30
assert_eq "$(echo "$BODY" | jq -r '[.hospitals[].organisation_code] | sort | join(",")')" \
	"2710000006,2710000007,2710000008,3010000009" "near=KIX&within_km=30"
assert_eq "$(echo "$BODY" | jq -r '[.hospitals[] | select(.prefecture == "27")] | length')" 3 \
	"near=KIX&within_km=30: hospitals in Osaka prefecture"

# A point instead of an airport gives the same.
get "/api/v1/hospitals?near=$kix&within_km=30" "$coord"
assert_eq "$(echo "$BODY" | jq -r '[.hospitals[].organisation_code] | sort | join(",")')" \
	"2710000006,2710000007,2710000008,3010000009" "near=LAT,LON&within_km=30"

# near without within_km: the default radius (200 km), so Sapporo never
# comes first near Narita; an airport with no hospital near gives none.
get "/api/v1/hospitals?near=NRT" "$coord"
km_check "$nrt" 200
assert_eq "$(echo "$BODY" | jq '.near.within_km == 200')" true "default radius"
echo "$BODY" | jq -e '[.hospitals[].organisation_code] | index("0110000011") == null' >/dev/null ||
	fail "a hospital 800 km away is in a search near Narita"
get "/api/v1/hospitals?near=ISG" "$coord"
assert_eq "$(echo "$BODY" | jq -r .total)" 0 "near Ishigaki (no hospital within 200 km): none"

# sort=distance: nearest first.
get "/api/v1/hospitals?near=NRT&within_km=100&sort=distance" "$coord"
echo "$BODY" | jq -e '[.hospitals[].distance_km] | . == sort' >/dev/null ||
	fail "sort=distance: $(echo "$BODY" | jq -c '[.hospitals[].distance_km]')"
assert_eq "$(codes)" "1210000001,1210000003,1210000002,0810000004,1310000005" "sort=distance"
assert_eq "$(echo "$BODY" | jq -r '[.hospitals[].rank] | join(",")')" "1,2,3,4,5" "ranks follow the order"

# sort=price: lowest price first, no price last; with service= the band of
# that service.
get "/api/v1/hospitals?near=NRT&within_km=100&sort=price" "$coord"
assert_eq "$(codes)" "1310000005,1210000002,0810000004,1210000001,1210000003" "sort=price (lowest band, none last)"
assert_eq "$(echo "$BODY" | jq -c '.hospitals[0].price')" \
	'{"service":"second_opinion","min_jpy":10000,"max_jpy":20000}' "the price shown: the lowest band listed"
get "/api/v1/hospitals?near=NRT&within_km=100&sort=price&service=health_checkup_premium" "$coord"
assert_eq "$(echo "$BODY" | jq -c '[.hospitals[] | [.organisation_code, .price.min_jpy]]')" \
	'[["1310000005",100000],["1210000002",200000],["0810000004",300000],["1210000001",300000],["1210000003",null]]' \
	"sort=price for a service; equal prices by max_jpy"

# max_price_jpy: only listings with a band for the service starting within it.
get "/api/v1/hospitals?service=health_checkup_premium&max_price_jpy=250000" "$coord"
echo "$BODY" | jq -e '.total > 0 and ([.hospitals[] | .price.service == "health_checkup_premium" and
	.price.min_jpy <= 250000] | all)' >/dev/null || fail "max_price_jpy: $(echo "$BODY" | jq -c '[.hospitals[].price]')"
assert_eq "$(echo "$BODY" | jq -r '[.hospitals[].organisation_code] | sort | join(",")')" \
	"0110000011,1210000002,1310000005,2710000006,2710000010" "max_price_jpy=250000 for health_checkup_premium"
get "/api/v1/hospitals?treatment=health_checkup_premium&max_price_jpy=99999" "$coord"
assert_eq "$(echo "$BODY" | jq -r '[.hospitals[].organisation_code] | join(",")')" "0110000011" \
	"max_price_jpy with treatment= prices that treatment"

# sort=experience: the published patients first, then the rank.
get "/api/v1/hospitals?near=NRT&within_km=100&sort=experience&nationality=CN&purpose=treatment" "$coord"
assert_eq "$(codes | cut -d, -f1-2)" "1210000002,0810000004" "sort=experience"
get "/api/v1/hospitals?near=NRT&within_km=100&sort=experience&nationality=CN&purpose=treatment" "$coord"
assert_eq "$(codes | cut -d, -f1-2)" "1210000002,0810000004" "the same order again (stable tie-breaks)"

# CSV, by format= and by Accept.
curl -sS -H "Authorization: Bearer $coord" -D "$WORK/h.txt" -o "$WORK/r.csv" \
	"$API/api/v1/hospitals?near=NRT&within_km=50&sort=distance&format=csv"
assert_eq "$(head -c 3 "$WORK/r.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "CSV starts with a UTF-8 BOM"
assert_contains "$(cat "$WORK/h.txt")" "text/csv" "CSV content type"
assert_contains "$(cat "$WORK/h.txt")" 'filename="hospitals.csv"' "CSV as a download"
python3 - "$WORK/r.csv" <<'EOF' || fail "CSV rows"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert rows[0][:3] == ["rank", "organisation_code", "name_ja"], rows[0]
assert len(rows) == 5, len(rows)
assert [r[1] for r in rows[1:]] == ["1210000001", "1210000003", "1210000002", "0810000004"], rows
sakura = rows[2]
assert sakura[3] == 'Sakura "East", Hospital', sakura
assert sakura[7] == "NRT" and float(sakura[6]) < 50, sakura
assert all(len(r) == len(rows[0]) for r in rows), rows
EOF
pass "CSV: header, rows in order, a quote and a comma escaped"
n=$(curl -sS -H "Authorization: Bearer $coord" -H "Accept: text/csv" "$API/api/v1/hospitals?near=KIX&within_km=30" | wc -l)
assert_eq "$n" 5 "Accept: text/csv gives CSV (header and 4 rows)"

# Refusals.
for q in near=XXX "within_km=50" "near=NRT&within_km=0" "near=NRT&within_km=abc" "sort=distance" "sort=cheapest" \
	"max_price_jpy=-1" "service=massage" "format=xml" "limit=201" "near=nrt"; do
	get "/api/v1/hospitals?$q" "$coord"
	assert_eq "$STATUS" 400 "refused: $q"
done
get "/api/v1/hospitals?near=XXX" "$coord"
assert_contains "$BODY" 'IATA code \"XXX\"' "an unknown airport is named"
get "/api/v1/hospitals?format=csv&limit=1000" "$coord"
assert_eq "$STATUS" 200 "CSV may have up to 5000 rows"

# The airports the search page's map shows.
get "/api/v1/airports" "$coord"
assert_eq "$(echo "$BODY" | jq length)" "$(($(wc -l <"$CSV") - 1))" "GET /api/v1/airports"
assert_eq "$(echo "$BODY" | jq -c '.[] | select(.iata == "KIX") | [.lat, .lon]')" "[${kix}]" "KIX's point"

openapi_check || fail "responses do not match the API contract"
pass "airport search"
