#!/usr/bin/env bash
# The hub's pages for each role (issue 17), in real Chromium, in Japanese
# and in English (tests/browser/hubweb.test.mjs): a coordinator's saved
# search (filters, sort and page) saved, run and deleted, Back to the same
# place in the results, a new tab still signed in; the ministry's period
# picker (calendar grains only), drill-down from region to prefecture to
# the hospitals behind a number, the late and missing hospitals with their
# contacts, a table downloaded as CSV (its UTF-8 BOM checked), the page
# printed to A4 with its "data as of" stamp (print media emulated, a PDF
# made); a hospital's own months with every month shown, zeros included,
# its submissions in plain words and the sending the hub refused with its
# reason; every page at 390 px without sideways scrolling.  Screenshots of
# every step at desktop and phone sizes go to
# $IBX_BUILD/tests/browser/hubweb/.
. "$IBX_SOURCE/tests/integration/lib.sh"

"$IBX_SOURCE/deploy/install-web.sh" --tests || fail "deploy/install-web.sh --tests"
command -v oathtool >/dev/null || fail "oathtool is missing (deploy/install-deps.sh)"
SHOTS=$IBX_BUILD/tests/browser/hubweb
rm -rf "$SHOTS"
mkdir -p "$SHOTS"

db_create
hub_start --web "$IBX_SOURCE/hub/web"

# Twenty-four real hospitals of Kochi (39) and Kumamoto (43).
"$DATAGEN_BIN" listings --data "$IBX_SOURCE/deploy/data" --out "$WORK/all" --seed 7 2>/dev/null
mkdir -p "$WORK/listings"
for pref in 39 43; do
	files=("$WORK/all/$pref"*.json)
	step=$((${#files[@]} / 12))
	for i in $(seq 0 11); do cp "${files[$((i * step))]}" "$WORK/listings/"; done
done
"$IBX_SOURCE/deploy/spokes.sh" issue --pki "$PKI" --listings "$WORK/listings" >/dev/null 2>&1
"$CTL_BIN" enrol --db "$DSN" --ca "$PKI/ca.pem" --cert-dir "$PKI/issued" >/dev/null
"$IBX_SOURCE/deploy/spokes.sh" publish --pki "$PKI" --listings "$WORK/listings" \
	--bin "$IBX_BUILD/spoke" --jobs 4 -- --hub "$NNG_URL" --insecure-tcp \
	--timeout 5000 --attempts 3 >"$WORK/publish.log" ||
	fail "some listings were refused: $(grep -v accepted "$WORK/publish.log" | head -3)"
codes=($(cd "$WORK/listings" && ls | sed 's/\.json$//' | sort))
# Listed since two years ago, so that completeness counts them.
sql "UPDATE listing_versions SET valid_from = now() - interval '2 years'" >/dev/null

cell() { # nationality purpose patients
	printf '{"nationality":"%s","purpose":"%s","icd10":"2","age_band":"50-59","sex":"male","referral_channel":"direct","referral_org":"","remote_second_opinion_first":"no","medical_stay_visa":"yes","patients":%d,"episodes":%d,"inpatient_episodes":0,"outpatient_visits":%d,"inpatient_days":0,"charge_jpy":%d}' \
		"$1" "$2" "$3" "$3" "$((2 * $3))" "$(($3 * 850000))"
}
month() { date -u -d "$(date -u +%Y-%m-15) -$1 month" +%Y-%m; }
sendst() { # CODE JSON-FILE EXPECTED
	forge "$WORK/st.env" "$1" --stats "$2" --seq $(($(date +%s%N) / 1000)) >/dev/null
	case "$(send "$WORK/st.env")" in *status=$3*) ;; *) fail "statistics $1 $(jq -r .period "$2"): not $3" ;; esac
}
# Eight hospitals report the last three months with many patients (their
# released figures pass the NDB rule); the last closed month is missing
# for two of them.
for i in 0 1 2 3 4 5 6 7; do
	code=${codes[$((i * 3))]}
	for m in 3 2 1; do
		[ "$m" = 1 ] && [ "$i" -ge 6 ] && continue
		printf '{"organisation_code":"%s","period":"%s","cells":[%s,%s]}' "$code" "$(month $m)" \
			"$(cell CN treatment $((40 + 5 * i)))" "$(cell VN health_checkup $((30 + m)))" >"$WORK/st.json"
		sendst "$code" "$WORK/st.json" accepted
	done
done
# The hospital whose staff sign in: figures five months ago, none four
# months ago, figures three months ago, a nil report two months ago,
# nothing last month; and one sending refused (an unknown nationality).
HOSP=${codes[1]}
printf '{"organisation_code":"%s","period":"%s","cells":[%s]}' $HOSP "$(month 5)" "$(cell CN treatment 17)" >"$WORK/st.json"
sendst $HOSP "$WORK/st.json" accepted
printf '{"organisation_code":"%s","period":"%s","cells":[%s,%s]}' $HOSP "$(month 3)" "$(cell CN treatment 12)" "$(cell KR second_opinion 3)" >"$WORK/st.json"
sendst $HOSP "$WORK/st.json" accepted
printf '{"organisation_code":"%s","period":"%s","nil_report":true,"cells":[]}' $HOSP "$(month 2)" >"$WORK/st.json"
sendst $HOSP "$WORK/st.json" accepted
printf '{"organisation_code":"%s","period":"%s","cells":[%s]}' $HOSP "$(month 1)" "$(cell XX treatment 4)" >"$WORK/st.json"
sendst $HOSP "$WORK/st.json" invalid
"$CTL_BIN" release --db "$DSN" >/dev/null || fail "inboundctl release"
pass "${#codes[@]} listings, statistics from 9 hospitals, released"

C=9010000001
identity $C coordinator >/dev/null 2>&1
PW='sakura-momiji-2026 autumn'
declare -A ENROL
for lang in ja en; do
	for kind in min coord hosp; do
		role=ministry org=()
		[ $kind = coord ] && role=coordinator org=(--org $C)
		[ $kind = hosp ] && role=hospital org=(--org $HOSP)
		ENROL[$kind-$lang]=$(printf '%s\n' "$PW" | "$CTL_BIN" user create --db "$DSN" \
			--login "$kind-$lang" --role $role "${org[@]}" 2>/dev/null) || fail "user create $kind-$lang"
	done
done

export IBX_URL=$API IBX_SHOTS=$SHOTS IBX_PASSWORD=$PW IBX_HOSPITAL=$HOSP
export IBX_MONTHS="$(month 5),$(month 4),$(month 3),$(month 2),$(month 1)"
for k in min coord hosp; do
	for lang in ja en; do
		export "IBX_ENROL_${k^^}_${lang^^}=${ENROL[$k-$lang]}"
	done
done
node "$IBX_SOURCE/tests/browser/hubweb.test.mjs" || fail "hub pages browser test (screenshots in $SHOTS)"
hub_alive || fail "the hub died during the browser test"
assert_eq "$(sql "SELECT count(*) FROM saved_searches")" 0 "the saved searches the test made were deleted through the page"
pass "screenshots in $SHOTS: $(ls "$SHOTS" | wc -l)"
