#!/usr/bin/env bash
# People signing in at the hub, in real Chromium (issue 17), in Japanese
# and in English: a ministry user enrols (the QR code shown once) and signs
# in with a password and a TOTP code computed with oathtool; the dashboard,
# with one API call made to fail, shows the error in that panel only and
# the rest loads, and Retry loads it; a coordinator shortlists three
# hospitals, compares them, opens one in a new tab still signed in, and
# Back returns to the same place in the results; five wrong passwords lock
# an account and the right one is refused until the lock passes.
# Screenshots of every step, at desktop and 390 px phone sizes, go to
# $IBX_BUILD/tests/browser/accounts/.
. "$IBX_SOURCE/tests/integration/lib.sh"

"$IBX_SOURCE/deploy/install-web.sh" --tests || fail "deploy/install-web.sh --tests"
command -v oathtool >/dev/null || fail "oathtool is missing (deploy/install-deps.sh)"
SHOTS=$IBX_BUILD/tests/browser/accounts
rm -rf "$SHOTS"
mkdir -p "$SHOTS"

db_create
hub_start --web "$IBX_SOURCE/hub/web" --signin-lock 4

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

# A little statistics, so that the dashboard's panels have figures.
cell() { # nationality purpose patients
	printf '{"nationality":"%s","purpose":"%s","icd10":"2","age_band":"50-59","sex":"male","referral_channel":"direct","referral_org":"","remote_second_opinion_first":"no","medical_stay_visa":"yes","patients":%d,"episodes":%d,"inpatient_episodes":0,"outpatient_visits":%d,"inpatient_days":0,"charge_jpy":%d}' \
		"$1" "$2" "$3" "$3" "$((2 * $3))" "$(($3 * 850000))"
}
for i in 0 1 2 3 4 5; do
	code=${codes[$((i * 3))]}
	for m in 3 2 1; do
		p=$(date -u -d "$(date -u +%Y-%m-15) -$m month" +%Y-%m)
		printf '{"organisation_code":"%s","period":"%s","cells":[%s,%s]}' "$code" "$p" \
			"$(cell CN treatment $((12 + i)))" "$(cell VN health_checkup $((10 + m)))" >"$WORK/st.json"
		forge "$WORK/st.env" "$code" --stats "$WORK/st.json" --seq $(($(date +%s%N) / 1000)) >/dev/null
		# Duplicate: resent by nng after 1 s on a loaded machine, stored once.
		case "$(send "$WORK/st.env")" in *status=accepted* | *"status=duplicate"*"already accepted"*) ;; *) fail "statistics $code $p" ;; esac
	done
done
# Every figure the dashboard shows comes from the protected release.
"$CTL_BIN" release --db "$DSN" >/dev/null || fail "inboundctl release"
pass "${#codes[@]} listings, statistics from 6 hospitals, released"

# Accounts: one ministry user, one coordinator and one to lock, per
# language (a TOTP code works once, so each sign-in has its own account).
C=9010000001
identity $C coordinator >/dev/null 2>&1
PW='sakura-momiji-2026 spring'
declare -A ENROL
for lang in ja en; do
	for kind in min coord lock; do
		role=ministry org=()
		[ $kind = coord ] && role=coordinator org=(--org $C)
		ENROL[$kind-$lang]=$(printf '%s\n' "$PW" | "$CTL_BIN" user create --db "$DSN" \
			--login "$kind-$lang" --role $role "${org[@]}" 2>/dev/null) || fail "user create $kind-$lang"
	done
	# The account to lock is enrolled here (its key kept for the test).
	out=$(curl -sS -X POST -H 'Content-Type: application/json' \
		--data "$(jq -cn --arg l "lock-$lang" --arg p "$PW" --arg e "${ENROL[lock-$lang]}" '{login: $l, password: $p, enrolment_code: $e}')" \
		"$API/api/v1/session")
	declare "LOCK_KEY_${lang^^}=$(echo "$out" | jq -r .secret)"
done
[ -n "$LOCK_KEY_JA" ] && [ "$LOCK_KEY_JA" != null ] || fail "enrolment of lock-ja"

export IBX_URL=$API IBX_SHOTS=$SHOTS IBX_PASSWORD=$PW
export IBX_ENROL_MIN_JA=${ENROL[min-ja]} IBX_ENROL_MIN_EN=${ENROL[min-en]}
export IBX_ENROL_COORD_JA=${ENROL[coord-ja]} IBX_ENROL_COORD_EN=${ENROL[coord-en]}
export IBX_LOCK_KEY_JA=$LOCK_KEY_JA IBX_LOCK_KEY_EN=$LOCK_KEY_EN
node "$IBX_SOURCE/tests/browser/accounts.test.mjs" || fail "accounts browser test (screenshots in $SHOTS)"
hub_alive || fail "the hub died during the browser test"
assert_eq "$(sql "SELECT count(*) FROM audit_log WHERE path = '/api/v1/session' AND params LIKE '%outcome=throttled'")" 2 "the refused attempts under the lock are audited"
assert_eq "$(sql "SELECT count(*) FROM audit_log WHERE params LIKE '%$PW%' OR params LIKE '%wrong-%'")" 0 "no password in the audit"
"$CTL_BIN" audit verify --db "$DSN" >/dev/null || fail "audit chain"
pass "screenshots in $SHOTS: $(ls "$SHOTS" | wc -l)"
