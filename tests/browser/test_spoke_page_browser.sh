#!/usr/bin/env bash
# The hospital's own page in real Chromium (issue 17, "What it must show"
# 1 to 4), in Japanese and in English: a real inbound-spoke serve (with
# its agent) and a real hub and PostgreSQL.  Two accounts made with
# inbound-spoke user (one per language: a TOTP code works once); the
# listing the spoke published before is the "published version"; an
# export with two bad rows and its fixed copy for each language's month.
# Screenshots of every step, at desktop and 390 px phone sizes, go to
# $IBX_BUILD/tests/browser/spoke/.
. "$IBX_SOURCE/tests/integration/lib.sh"

"$IBX_SOURCE/deploy/install-web.sh" --tests || fail "deploy/install-web.sh --tests"
command -v oathtool >/dev/null || fail "oathtool is missing (deploy/install-deps.sh)"
SHOTS=$IBX_BUILD/tests/browser/spoke
rm -rf "$SHOTS"
mkdir -p "$SHOTS"

CODE=3910118128
db_create
identity $CODE >/dev/null 2>&1
hub_start
S=$WORK/state
mkdir -p "$S"
cp "$EXAMPLE" "$S/listing.json"
cp "$EXAMPLE" "$S/listing.published.json"
PW='yuzu-kochi-2026 winter'
declare -A SECRET
for lang in ja en; do
	out=$(printf '%s\n' "$PW" | "$SPOKE_BIN" user create --state "$S" --login "kokusai-$lang") || fail "user create: $out"
	SECRET[$lang]=$(echo "$out" | sed -n 's/^totp secret.*: \([A-Z2-7]*\)$/\1/p')
done

for attempt in 1 2 3; do
	PORT=$(ibx_free_port)
	"$SPOKE_BIN" serve --http "127.0.0.1:$PORT" --state "$S" --hub "$NNG_URL" --insecure-tcp \
		--cert "$PKI/issued/$CODE.pem" --key "$PKI/issued/$CODE.key" --interval 3600 \
		--timeout 3000 2>>"$WORK/spoke.log" &
	SPOKE_PID=$!
	HUB_PIDS+=("$SPOKE_PID")
	for i in $(seq 1 100); do
		curl -fsS -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null && break 2
		kill -0 "$SPOKE_PID" 2>/dev/null || break
		sleep 0.1
	done
done
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/" || fail "the page did not start: $(tail -5 "$WORK/spoke.log")"
# The listing the spoke holds is the hub's version 1 before the test.
for i in $(seq 1 100); do
	[ "$(sql "SELECT count(*) FROM message_log WHERE outcome = 'accepted'")" -ge 1 ] && break
	sleep 0.1
done

H='patient_ref,nationality,birth_date,sex,purpose,icd10,first_visit,discharge,outpatient_visits,inpatient_days,charge_jpy,referral_channel,referral_org,remote_second_opinion_first,medical_stay_visa'
export_for() { # PERIOD BAD GOOD
	{
		echo "$H"
		echo "K-1,CN,1961-07-23,male,treatment,C16.9,$1-04,$1-20,3,16,4512000,coordinator,9010000003,yes,yes"
		echo "K-2,VN,1975-11-30,female,health_checkup,Z00.00,$1-12,,2,0,1480000,direct,,no,no"
		echo "K-3,XX,1980-01-01,female,treatment,C50.9,$1-13,,1,0,300000,direct,,no,no"
		echo "K-4,US,1970-05-05,x,treatment,C61,$1-14,,1,0,200000,direct,,no,no"
	} >"$2"
	sed -e 's/,XX,/,GB,/' -e 's/,x,treatment/,male,treatment/' "$2" >"$3"
}
P_JA=$(date -u -d "$(date -u +%Y-%m-15) -1 month" +%Y-%m)
P_EN=$(date -u -d "$(date -u +%Y-%m-15) -2 month" +%Y-%m)
export_for "$P_JA" "$WORK/bad-ja.csv" "$WORK/good-ja.csv"
export_for "$P_EN" "$WORK/bad-en.csv" "$WORK/good-en.csv"
# The same month as the hospital system writes it: Shift_JIS, its words.
sed -e 's/,male,/,男,/' -e 's/,female,/,女,/' -e 's/,CN,/,中国,/' "$WORK/good-ja.csv" |
	iconv -f UTF-8 -t CP932 >"$WORK/sjis-ja.csv"

# The same hospital's staff at the hub (step 4: the hub's submissions page).
HUB_ENROL=$(printf '%s\n' "$PW" | "$CTL_BIN" user create --db "$DSN" \
	--login kokusai-hub --role hospital --org $CODE 2>/dev/null) || fail "inboundctl user create"
export IBX_HUB_LOGIN=kokusai-hub IBX_HUB_ENROL=$HUB_ENROL
export IBX_PAGE=http://127.0.0.1:$PORT IBX_HUB=$API IBX_TOKEN=$TOKEN IBX_CODE=$CODE
export IBX_HOSPITAL_TOKEN=$(token hospital --org $CODE)
export IBX_SHOTS=$SHOTS IBX_PASSWORD=$PW IBX_SECRET_JA=${SECRET[ja]} IBX_SECRET_EN=${SECRET[en]}
export IBX_PERIOD_JA=$P_JA IBX_PERIOD_EN=$P_EN
export IBX_SJIS_JA=$WORK/sjis-ja.csv
export IBX_BAD_JA=$WORK/bad-ja.csv IBX_GOOD_JA=$WORK/good-ja.csv IBX_BAD_EN=$WORK/bad-en.csv IBX_GOOD_EN=$WORK/good-en.csv
node "$IBX_SOURCE/tests/browser/spoke_page.test.mjs" ||
	fail "spoke page browser test (screenshots in $SHOTS; spoke log: $(tail -3 "$WORK/spoke.log"))"
kill -0 "$SPOKE_PID" || fail "the spoke died during the browser test"
assert_eq "$(sql "SELECT count(*) FROM statistics_submissions WHERE org_code = '$CODE' AND superseded_at IS NULL AND period IN ('$P_JA-01', '$P_EN-01')")" 2 "the hub holds both months"
assert_eq "$(sql "SELECT count(*) FROM listing_versions WHERE org_code = '$CODE'")" 3 "three listing versions (before, ja, en)"
pass "screenshots in $SHOTS: $(ls "$SHOTS" | wc -l)"
