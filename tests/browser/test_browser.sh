#!/usr/bin/env bash
# The web pages in a real browser: a hub with ~30 real hospital listings
# (one spoke each), a version history, some statistics and the imported
# medical stay visa series; then headless Chromium (Debian's, driven by
# playwright-core) signs in with each role's token, searches, opens a
# hospital, reads the dashboard and a hospital's own page, and saves
# screenshots to $IBX_BUILD/tests/browser/screenshots/.
#
# Run by ctest with IBX_BUILD, IBX_SOURCE and IBX_PG_STATE set, like the
# integration tests (it uses their lib.sh and PostgreSQL fixture).
. "$IBX_SOURCE/tests/integration/lib.sh"

"$IBX_SOURCE/deploy/install-web.sh" --tests || fail "deploy/install-web.sh --tests"
node "$IBX_SOURCE/hub/web/tools/gen-web-data.mjs" --check ||
	fail "hub/web/ui/japan_grid.js is not what deploy/data makes"
SHOTS=$IBX_BUILD/tests/browser/screenshots
rm -rf "$SHOTS"
mkdir -p "$SHOTS"

db_create
hub_start --web "$IBX_SOURCE/hub/web"
curl -fsS "$API/" | grep -q 'ui/app.js' || fail "the hub does not serve the web pages from $IBX_SOURCE/hub/web"

# Ten real hospitals from each of the three prefectures the data cover,
# spread over each prefecture's list.
"$DATAGEN_BIN" listings --data "$IBX_SOURCE/deploy/data" --out "$WORK/all" --seed 7 2>/dev/null
mkdir -p "$WORK/listings"
for pref in 01 39 43; do
	files=("$WORK/all/$pref"*.json)
	step=$((${#files[@]} / 10))
	for i in $(seq 0 9); do cp "${files[$((i * step))]}" "$WORK/listings/"; done
done
codes=($(cd "$WORK/listings" && ls | sed 's/\.json$//' | sort))
# Six more for the airport search: five around Narita airport with prices
# (health_checkup_premium, lowest first from the nearest), one in Tokyo
# 63 km away; taken from the end of the Hokkaido list (not picked above).
narita=()
i=0
for f in $(ls "$WORK/all/01"*.json | tail -6); do
	i=$((i + 1))
	if [ "$i" -le 5 ]; then
		code=121000000$i pref=12 lat="(35.55 + $i * 0.05)" lon="(140.0 + $i * 0.08)"
	else
		code=1310000006 pref=13 lat=35.69 lon=139.69
	fi
	edit_json "$f" "$WORK/listings/$code.json" ".organisation_code = \"$code\" | .prefecture = \"$pref\" |
		.location = {lat: $lat, lon: $lon} | .price_bands = [{service: \"health_checkup_premium\",
		min_jpy: ((7 - $i) * 100000), max_jpy: ((7 - $i) * 150000)}]"
	narita+=("$code")
done
# One listing not confirmed for long, with an expired accreditation.
stale=${codes[1]}
edit_json "$WORK/listings/$stale.json" "$WORK/s.json" \
	'.confirmed_at = "2024-01-15" | .accreditations = [{"scheme": "JMIP", "expires": "2025-03-31"}]'
mv "$WORK/s.json" "$WORK/listings/$stale.json"
"$IBX_SOURCE/deploy/spokes.sh" issue --pki "$PKI" --listings "$WORK/listings" >/dev/null 2>&1
"$CTL_BIN" enrol --db "$DSN" --ca "$PKI/ca.pem" --cert-dir "$PKI/issued" >/dev/null
"$IBX_SOURCE/deploy/spokes.sh" publish --pki "$PKI" --listings "$WORK/listings" \
	--bin "$IBX_BUILD/spoke" --jobs 8 -- --hub "$NNG_URL" --insecure-tcp \
	--timeout 5000 --attempts 3 >"$WORK/publish.log" ||
	fail "some listings were refused: $(grep -v accepted "$WORK/publish.log" | head -3)"
assert_eq "$(sql 'SELECT count(*) FROM hospital_listings')" "$((${#codes[@]} + ${#narita[@]}))" "listings published"

# The hospital whose own page is tested gets a second version (one more
# language, a remote second opinion).
H=${codes[12]}
edit_json "$WORK/listings/$H.json" "$WORK/v2.json" \
	'.languages = ((.languages // []) + ["vi"] | unique) | .remote_second_opinion = true'
assert_contains "$(publish "$WORK/v2.json")" "version 2" "a second version of $H"
H_NAME=$(jq -r .name.ja "$WORK/v2.json")

# Statistics from twelve hospitals: six recent months and June of each
# year from 2019 to 2024 (years of the real visa series, so that the
# coverage chart shows real years).  Chinese treatment patients are many
# at most hospitals and under 10 in a year at four; Mongolian and Korean
# patients are rare everywhere, so disclosure control must hide them.
months=()
for m in 6 5 4 3 2 1; do months+=("$(date -u -d "$(date -u +%Y-%m-15) -$m month" +%Y-%m)"); done
months+=(2024-06 2023-06 2022-06 2021-06 2020-06 2019-06)
cell() { # nationality purpose age sex channel org remote_first patients
	printf '{"nationality":"%s","purpose":"%s","icd10":"2","age_band":"%s","sex":"%s","referral_channel":"%s","referral_org":"%s","remote_second_opinion_first":"%s","medical_stay_visa":"yes","patients":%d,"episodes":%d,"inpatient_episodes":0,"outpatient_visits":%d,"inpatient_days":0,"charge_jpy":%d}' \
		"$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$8" "$((2 * $8))" "$(($8 * 850000))"
}
for i in $(seq 0 11); do
	code=${codes[$((i * 2 + 1))]}
	[ "$i" -eq 6 ] && code=$H
	for p in "${months[@]}"; do
		cn=$((i < 4 ? 1 : 3 + i))
		cells=("$(cell CN treatment 50-59 male coordinator 9010000001 no "$cn")"
			"$(cell CN health_checkup 40-49 female direct "" no $((5 + i)))"
			"$(cell VN treatment 30-39 female doctor "" no $((2 + i % 3)))"
			"$(cell RU second_opinion 60-69 male hospital "" yes 3)"
			"$(cell US health_checkup 50-59 male direct "" no 2)")
		if [ "$p" = "${months[0]}" ] && [ "$i" -lt 2 ]; then cells+=("$(cell MN treatment 20-29 female direct "" no 1)"); fi
		if [ "$p" = "${months[1]}" ] && [ "$i" -eq 5 ]; then cells+=("$(cell KR health_checkup 30-39 male direct "" no 4)"); fi
		(IFS=,; printf '{"organisation_code":"%s","period":"%s","cells":[%s]}' "$code" "$p" "${cells[*]}") >"$WORK/st.json"
		forge "$WORK/st.env" "$code" --stats "$WORK/st.json" --seq $(($(date +%s%N) / 1000)) >/dev/null
		out=$(send "$WORK/st.env")
		# Duplicate: nng's REQ resent it after 1 s on a loaded machine
		# and the first copy was stored (once, as CI saw).
		case "$out" in *status=accepted* | *"status=duplicate"*"already accepted"*) ;;
		*) fail "statistics $code $p: $out" ;; esac
	done
done
pass "statistics from 12 hospitals, ${#months[@]} months each"
# A nil report: a hospital that had no foreign patients last month.
nil=${codes[0]}
printf '{"organisation_code":"%s","period":"%s","nil_report":true,"cells":[]}' "$nil" "${months[5]}" >"$WORK/nil.json"
forge "$WORK/nil.env" "$nil" --stats "$WORK/nil.json" --seq $(($(date +%s%N) / 1000)) >/dev/null
send "$WORK/nil.env" >/dev/null || true

# The protected release of every closed month (docs/disclosure-control.md):
# the dashboard reads only it.
"$CTL_BIN" release --db "$DSN" --until "${months[5]}" >/dev/null || fail "release"

"$CTL_BIN" series import --db "$DSN" --name medical_stay_visas \
	--file "$IBX_SOURCE/deploy/data/medical_stay_visa_issuance_2011-2024_transcribed.csv" \
	--period-column year --nationality-column nationality_iso3166_alpha2 --value-column visas_issued >/dev/null ||
	fail "visa series import"

# Coordinator listings, when the spoke and the hub know them.
COORDINATORS=
n=0
if "$DATAGEN_BIN" coordinators --out "$WORK/coordinators" --seed 7 --count 6 >/dev/null 2>&1; then
	for f in "$WORK/coordinators"/*.json; do
		c=$(basename "$f" .json)
		identity "$c" coordinator >/dev/null 2>&1 || continue
		publish "$f" >/dev/null 2>&1 && n=$((n + 1))
	done
	# Search leaves out firms whose certification has expired.
	valid=$(jq -r --arg t "$(date -u +%F)" 'select(.certification_expires >= $t) | .organisation_code' \
		"$WORK/coordinators"/*.json | wc -l)
	[ "$n" -gt 0 ] && COORDINATORS=$valid
fi
echo "coordinator listings published: $n, with a valid certification: ${COORDINATORS:-none}"

# The search the browser makes: the language (other than Japanese) and
# treatment that most of the 30 current listings share, and how many share
# them, counted from the files.
cp "$WORK/v2.json" "$WORK/listings/$H.json"
read -r LANG_ TREAT COUNT < <(jq -rs '[.[] | . as $l | ($l.languages // [])[] | select(. != "ja") as $g
	| ($l.treatments // [])[] | "\($g) \(.)"] | group_by(.) | map([.[0], length])
	| sort_by(-.[1], .[0]) | .[0] | "\(.[0]) \(.[1])"' "$WORK/listings"/*.json)
[ -n "$COUNT" ] || fail "no language and treatment shared by the listings"
pass "browser search: language=$LANG_ treatment=$TREAT, $COUNT hospitals expected"

export IBX_URL=$API IBX_SHOTS=$SHOTS IBX_WORK=$WORK
export IBX_TOKEN_MINISTRY=$TOKEN
IBX_TOKEN_COORDINATOR=$(token coordinator) IBX_TOKEN_HOSPITAL=$(token hospital --org "$H")
export IBX_TOKEN_COORDINATOR IBX_TOKEN_HOSPITAL
export IBX_HOSPITAL_CODE=$H IBX_HOSPITAL_NAME=$H_NAME IBX_STALE_CODE=$stale
export IBX_SEARCH_LANGUAGE=$LANG_ IBX_SEARCH_TREATMENT=$TREAT IBX_SEARCH_TOTAL=$COUNT
export IBX_COORDINATORS=$COORDINATORS
node "$IBX_SOURCE/tests/browser/browser.test.mjs" || fail "browser test (screenshots in $SHOTS)"
hub_alive || fail "the hub died during the browser test"
