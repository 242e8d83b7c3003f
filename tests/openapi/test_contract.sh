#!/usr/bin/env bash
# The API contract (hub/web/openapi.json) against a real hub: the hub serves
# the document it is built with, and every operation is called with every
# role and with refused parameters, so that each of its answers (2xx, 400,
# 401, 403, 404) is validated against the document when the test ends
# (lib.sh's openapi_check), and every operation answered at least once.
# Run by ctest like the integration tests (it sources their lib.sh).
# shellcheck source=../integration/lib.sh
. "$IBX_SOURCE/tests/integration/lib.sh"
db_create
Y1=$(($(date -u +%Y) - 2))
Y2=$(($(date -u +%Y) - 1))

# Hospitals: the full example listing four times, and a minimal one.
codes=()
for i in 40 41 42 43; do
	code=39101100$i
	codes+=("$code")
	identity "$code"
done
H=${codes[0]}
MIN=3910110050
identity $MIN
hub_start --web "$IBX_SOURCE/hub/web"
for code in "${codes[@]}"; do
	edit_json "$EXAMPLE" "$WORK/l$code.json" ".organisation_code = \"$code\" | .name.ja = \"病院$code\""
	publish "$WORK/l$code.json" >/dev/null || fail "listing $code"
done
jq -n --arg c $MIN '{organisation_code: $c, name: {ja: "最小病院"}, prefecture: "39"}' >"$WORK/min.json"
publish "$WORK/min.json" >/dev/null || fail "minimal listing"
edit_json "$WORK/l$H.json" "$WORK/l$H.v2.json" '.beds = 640'
publish "$WORK/l$H.v2.json" >/dev/null || fail "second version"

# Statistics: two years, large and small cells, and a nil report.
cell() { # nationality purpose icd10 age sex channel patients
	jq -n --arg n "$1" --arg p "$2" --arg i "$3" --arg a "$4" --arg s "$5" --arg r "$6" --argjson pa "$7" \
		'{nationality: $n, purpose: $p, icd10: $i, age_band: $a, sex: $s, referral_channel: $r,
		  referral_org: (if $r == "coordinator" then "9010000001" else "" end), remote_second_opinion_first: (if $p == "treatment" then "yes" else "no" end),
		  medical_stay_visa: "yes", patients: $pa, episodes: $pa, inpatient_episodes: 0,
		  outpatient_visits: $pa, inpatient_days: 0, charge_jpy: ($pa * 1200000)}'
}
submit() { # CODE PERIOD FILE
	forge "$WORK/s.env" "$1" --stats "$3" --seq $(($(date +%s%N) / 1000))
	assert_contains "$(send "$WORK/s.env")" "status=accepted" "statistics $1 $2"
}
for code in "${codes[@]}"; do
	for p in "$Y1-03" "$Y2-03" "$Y2-04"; do
		{
			cell CN treatment 2 50-59 male direct 25
			cell CN health_checkup 21 40-49 female coordinator 14
			cell VN second_opinion 9 60-69 female hospital 12
			cell MN follow_up 2 30-39 unknown doctor 2
		} | jq -s --arg c "$code" --arg p "$p" '{organisation_code: $c, period: $p, cells: .}' >"$WORK/s.json"
		submit "$code" "$p" "$WORK/s.json"
	done
done >/dev/null
jq -n --arg c $MIN --arg p "$Y2-03" '{organisation_code: $c, period: $p, nil_report: true, cells: []}' >"$WORK/nil.json"
submit $MIN "$Y2-03" "$WORK/nil.json" >/dev/null
"$CTL_BIN" series import --db "$DSN" --name medical_stay_visas \
	--file "$IBX_SOURCE/deploy/data/medical_stay_visa_issuance_2011-2024_transcribed.csv" \
	--period-column year --nationality-column nationality_iso3166_alpha2 --value-column visas_issued >/dev/null

# Coordinators publish generated listings through their spokes.
"$DATAGEN_BIN" coordinators --out "$WORK/coord" --count 3 2>/dev/null
for f in "$WORK"/coord/*.json; do
	identity "$(basename "$f" .json)" coordinator
	publish "$f" >/dev/null || fail "coordinator listing $f"
done

# The protected release of the closed months: statistics answer from it.
"$CTL_BIN" release --db "$DSN" --until "$Y2-04" >/dev/null || fail "release"

coord=$(token coordinator)
hosp=$(token hospital --org "$H")
expect() { # STATUS PATH [TOKEN]
	get "$2" "${3:-$TOKEN}"
	assert_eq "$STATUS" "$1" "GET $2${3:+ (${3:0:8}…)}"
}

# No token.
expect 200 /healthz none
expect 200 /api/v1/openapi.json none
cmp -s <(printf '%s' "$BODY") "$IBX_SOURCE/hub/web/openapi.json" ||
	fail "the hub serves hub/web/openapi.json as it is"
pass "the hub serves hub/web/openapi.json"
for p in /api/v1/me /api/v1/hospitals "/api/v1/hospitals/$H" /api/v1/coordinators /api/v1/statistics \
	"/api/v1/statistics/growth?from=$Y1&to=$Y2" "/api/v1/completeness?period=$Y2-03" /api/v1/submissions \
	/api/v1/portfolio /api/v1/portfolio/series/medical_stay_visas /api/v1/airports /api/v1/nope; do
	expect 401 "$p" none
done
expect 401 /api/v1/hospitals "ibx_$(printf '0%.0s' $(seq 1 64))"
expect 404 /api/v1/nope

# Who the caller is.
for t in "$TOKEN" "$coord" "$hosp"; do
	expect 200 /api/v1/me "$t"
done
expect 400 "/api/v1/me?$(seq -f 'p%g=1' -s '&' 1 40)"

# Hospitals.
all="treatment=pet_ct&department=01001&language=zh&prefecture=39&accreditation=JMIP&accepts=VN"
all="$all&second_opinion=remote&q=%E7%97%85%E9%99%A2&nationality=CN&purpose=treatment&near=33.546,133.669"
for t in "$TOKEN" "$coord" "$hosp"; do
	expect 200 "/api/v1/hospitals?$all&limit=2&offset=1" "$t"
done
expect 200 "/api/v1/hospitals"
# Point in time: only hospital listings (listing_versions holds the
# coordinators' versions too).
expect 200 "/api/v1/hospitals?as_of=$(date -u +%F)&nationality=MN"
expect 200 "/api/v1/hospitals?as_of=2000-01-01"
expect 200 "/api/v1/hospitals?q=kochi&purpose=follow_up"
# From an airport, prices and orders; CSV.
expect 200 "/api/v1/hospitals?near=KCZ&within_km=80&service=second_opinion&max_price_jpy=900000&sort=price"
expect 200 "/api/v1/hospitals?near=KCZ&sort=distance&limit=5"
expect 200 "/api/v1/hospitals?sort=experience&nationality=CN&format=json"
expect 200 "/api/v1/hospitals?near=33.546,133.669&within_km=50&format=csv&limit=3"
expect 200 /api/v1/airports "$coord"
expect 400 "/api/v1/airports?x=1"
for q in near=XXX within_km=5 "near=KCZ&within_km=0" sort=distance sort=cheap service=massage max_price_jpy=-1 \
	format=xml; do
	expect 400 "/api/v1/hospitals?$q"
done
for q in language=xx limit=0 offset=100001 near=10,10 as_of=2025-02-30 colour=red "q=" "purpose=tourism" \
	"prefecture=39&prefecture=40"; do
	expect 400 "/api/v1/hospitals?$q"
done
expect 200 "/api/v1/hospitals/$H" "$coord"
expect 200 "/api/v1/hospitals/$MIN" "$hosp"
expect 404 /api/v1/hospitals/0110000000
expect 400 /api/v1/hospitals/12ab
expect 400 "/api/v1/hospitals/$H?x=1"

# Coordinators.
for t in "$TOKEN" "$coord" "$hosp"; do
	expect 200 "/api/v1/coordinators" "$t"
done
expect 200 "/api/v1/coordinators?language=en&country=CN&service=interpreting&q=Co&limit=1&offset=0"
expect 200 "/api/v1/coordinators?language=ja&limit=200&offset=1"
for q in language=xx service=massage limit=0 colour=red "q=" "country=CN&country=VN"; do
	expect 400 "/api/v1/coordinators?$q"
done

# Statistics.
expect 200 "/api/v1/statistics"
expect 200 "/api/v1/statistics?measure=patients&by=period,nationality,purpose&period=quarter" "$coord"
expect 200 "/api/v1/statistics?measure=patients&by=period,nationality,medical_stay_visa&period=fiscal_year&year=$Y2"
expect 200 "/api/v1/statistics?measure=episodes&by=purpose,period&period=year"
expect 200 "/api/v1/statistics?measure=charge_jpy&by=nationality,period&period=month&year=$Y2"
expect 200 "/api/v1/statistics?measure=patients&by=hospital,purpose&period=month&month=$Y2-03"
expect 200 "/api/v1/statistics?measure=patients&by=referral_org"
expect 200 "/api/v1/statistics?measure=patients&by=nationality&exclude_purpose=other"
expect 200 "/api/v1/statistics?measure=visits&by=nationality&nationality=CN"
expect 200 "/api/v1/statistics?measure=patients&by=purpose&hospital=$H&icd10_chapter=2&age_band=50-59&sex=male&referral_channel=direct&prefecture=39" "$hosp"
expect 200 "/api/v1/statistics?measure=inpatient_days&by=period&format=json" "$hosp"
expect 200 "/api/v1/statistics?by=purpose&format=csv"
expect 200 "/api/v1/statistics?by=period,purpose&format=csv" "$hosp"
for q in measure=heads by=colour by=nationality,nationality by=period,nationality,purpose,sex \
	from=2024-13 "from=$Y2-01&to=$Y2-05" to=$Y2-01 period=week format=xml icd10_chapter=23 hospital=12 colour=red \
	by=age_band,sex "measure=visits&by=nationality&purpose=treatment" year=20 "period=quarter&month=$Y2-01"; do
	expect 400 "/api/v1/statistics?$q"
done
expect 403 "/api/v1/statistics?by=hospital" "$coord"
expect 403 "/api/v1/statistics?hospital=$H" "$coord"
expect 403 "/api/v1/statistics?hospital=${codes[1]}" "$hosp"
expect 200 "/api/v1/statistics/growth?measure=patients&from=$Y1&to=$Y2"
expect 200 "/api/v1/statistics/growth?from=$((Y1 - 1))&to=$Y2&nationality=CN" "$coord"
expect 200 "/api/v1/statistics/growth?measure=charge_jpy&from=$Y1&to=$Y2" "$hosp"
for q in "from=$Y2&to=$Y1" "from=1999&to=$Y2" "to=$Y2" "from=$Y1&to=$Y2&by=nationality" \
	"from=$Y1&to=$Y2&period=year" "from=$Y1&to=$Y2&measure=heads"; do
	expect 400 "/api/v1/statistics/growth?$q"
done
expect 403 "/api/v1/statistics/growth?from=$Y1&to=$Y2&hospital=$H" "$coord"

# Completeness and submissions.
expect 200 "/api/v1/completeness?period=$Y2-03"
expect 200 "/api/v1/completeness?period=2001-01"
for q in "" "period=2026-13" "period=$Y2-03&x=1"; do
	expect 400 "/api/v1/completeness?$q"
done
expect 403 "/api/v1/completeness?period=$Y2-03" "$coord"
expect 403 "/api/v1/completeness?period=$Y2-03" "$hosp"
expect 200 "/api/v1/submissions"
expect 200 "/api/v1/submissions?hospital=$H&period=$Y2-03"
expect 200 "/api/v1/submissions" "$hosp"
expect 200 "/api/v1/submissions?period=$Y2-04&hospital=$H" "$hosp"
for q in "hospital=12" "period=2026-1" "x=1"; do
	expect 400 "/api/v1/submissions?$q"
done
expect 403 "/api/v1/submissions?hospital=${codes[1]}" "$hosp"
expect 403 "/api/v1/submissions" "$coord"

# Portfolio and series.
expect 200 /api/v1/portfolio
expect 400 "/api/v1/portfolio?x=1"
expect 403 /api/v1/portfolio "$coord"
expect 403 /api/v1/portfolio "$hosp"
expect 200 /api/v1/portfolio/series/medical_stay_visas
expect 200 "/api/v1/portfolio/series/medical_stay_visas?nationality=CN&from=2015&to=2019"
expect 404 /api/v1/portfolio/series/no_such_series
expect 404 "/api/v1/portfolio/series/medical_stay_visas?from=1990&to=1995"
for q in "x=1" "nationality=XX" "from=15"; do
	expect 400 "/api/v1/portfolio/series/medical_stay_visas?$q"
done
expect 403 /api/v1/portfolio/series/medical_stay_visas "$coord"

# Referrals (issue 15): metadata for their parties; the ministry is
# refused (its referral figures are the portfolio's, disclosure control).
expect 403 /api/v1/referrals
expect 200 /api/v1/referrals "$hosp"
expect 200 /api/v1/referrals "$(token coordinator --org "$H")"
expect 403 /api/v1/referrals "$coord"
expect 400 "/api/v1/referrals?x=1" "$hosp"
expect 401 /api/v1/referrals none
expect 200 "/api/v1/referrals?limit=1&offset=0" "$hosp"
expect 400 "/api/v1/referrals?limit=0" "$hosp"
# One referral from H to the second hospital, with a quote, stored as the
# intake would (the channel itself: it_referral_roundtrip).
R=0123456789abcdef0123456789abcdef
sql "INSERT INTO referrals (referral_id, referrer, receiver, key_id, purpose, nationality,
	age_band, package_bytes, chunk_count, chunks_stored, state, envelope, digest, sent_at,
	first_answer_at) VALUES ('$R', '$H', '${codes[1]}', '00', 'second_opinion', 'CN', '50-59',
	2048, 1, 1, 'quote', '\x00', '\x01', now() - interval '3 hours', now())" >/dev/null
sql "INSERT INTO referral_events (referral_id, kind, state, sender, price_min_jpy, price_max_jpy,
	earliest_date, envelope, digest) VALUES ('$R', 'referral', 'sent', '$H', NULL, NULL, NULL,
	'\x00', '\x02'), ('$R', 'status', 'quote', '${codes[1]}', 1200000, 1800000, '2027-03-01',
	'\x00', '\x03')" >/dev/null
expect 200 "/api/v1/referrals/$R" "$(token coordinator --org "$H")"
expect 200 "/api/v1/referrals/$R" "$(token hospital --org "${codes[1]}")"
expect 404 "/api/v1/referrals/$R" "$(token hospital --org "${codes[2]}")"
expect 403 "/api/v1/referrals/$R"
expect 400 "/api/v1/referrals/XYZ" "$hosp"
expect 400 "/api/v1/referrals/$R?x=1" "$hosp"
expect 401 "/api/v1/referrals/$R" none

# Accounts (issue 17): sign-in refusals and success, the shortlist and
# sign-out, each answer checked against the document.
call() { # STATUS METHOD PATH [curl args]: a call with cookies or a body
	local want=$1 m=$2 p=$3 out
	shift 3
	out=$(curl -sS -X "$m" -w '\n%{content_type}\n%{http_code}' "$@" "$API$p")
	STATUS=${out##*$'\n'}
	out=${out%$'\n'*}
	CONTENT_TYPE=${out##*$'\n'}
	BODY=${out%$'\n'*}
	openapi_log "$m" "$p" "$STATUS" "$CONTENT_TYPE" "$BODY"
	assert_eq "$STATUS" "$want" "$m $p"
}
APW='contract test password'
enrol=$(printf '%s\n' "$APW" | "$CTL_BIN" user create --db "$DSN" --login contract.min --role ministry 2>/dev/null)
signin() { # STATUS JSON
	call "$1" POST /api/v1/session -H 'Content-Type: application/json' --data-binary "$2" -D "$WORK/sh"
}
signin 400 '{"login": "contract.min"}'
signin 401 "{\"login\": \"contract.min\", \"password\": \"$APW\"}"
signin 200 "{\"login\": \"contract.min\", \"password\": \"$APW\", \"enrolment_code\": \"$enrol\"}"
key=$(echo "$BODY" | jq -r .secret)
signin 401 "{\"login\": \"contract.min\", \"password\": \"$APW\"}"
signin 200 "{\"login\": \"contract.min\", \"password\": \"$APW\", \"totp\": \"$(oathtool --totp -b "$key")\"}"
sid=$(tr -d '\r' <"$WORK/sh" | sed -n 's/^Set-Cookie: ibx_session=\([^;]*\).*/\1/p')
csrf=$(echo "$BODY" | jq -r .csrf_token)
for i in 1 2 3 4 5; do signin 401 '{"login": "contract.locked", "password": "wrong password"}'; done
signin 429 '{"login": "contract.locked", "password": "wrong password"}'
call 200 GET /api/v1/shortlist -H "Cookie: ibx_session=$sid"
call 403 GET /api/v1/shortlist -H "Authorization: Bearer $TOKEN"
call 200 PUT "/api/v1/shortlist/$H" -H "Cookie: ibx_session=$sid" -H "X-CSRF-Token: $csrf"
call 403 PUT "/api/v1/shortlist/$H" -H "Cookie: ibx_session=$sid"
call 404 PUT /api/v1/shortlist/3910119999 -H "Cookie: ibx_session=$sid" -H "X-CSRF-Token: $csrf"
call 400 PUT /api/v1/shortlist/12 -H "Cookie: ibx_session=$sid" -H "X-CSRF-Token: $csrf"
call 200 DELETE "/api/v1/shortlist/$H" -H "Cookie: ibx_session=$sid" -H "X-CSRF-Token: $csrf"
# Saved searches and paging (issue 17).
call 200 GET /api/v1/searches -H "Cookie: ibx_session=$sid"
call 403 GET /api/v1/searches -H "Authorization: Bearer $TOKEN"
call 201 POST /api/v1/searches -H "Cookie: ibx_session=$sid" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
	--data-binary '{"name": "高知 PET", "page": "search", "query": "prefecture=39&treatment=pet_ct&sort=rank"}'
call 409 POST /api/v1/searches -H "Cookie: ibx_session=$sid" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
	--data-binary '{"name": "高知 PET", "page": "search", "query": ""}'
call 400 POST /api/v1/searches -H "Cookie: ibx_session=$sid" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
	--data-binary '{"name": "x", "page": "search", "query": "a=<b>"}'
call 200 GET /api/v1/searches -H "Cookie: ibx_session=$sid"
sidq=$(echo "$BODY" | jq -r '.searches[0].id')
call 404 DELETE /api/v1/searches/999999 -H "Cookie: ibx_session=$sid" -H "X-CSRF-Token: $csrf"
call 400 DELETE /api/v1/searches/x1 -H "Cookie: ibx_session=$sid" -H "X-CSRF-Token: $csrf"
call 200 DELETE "/api/v1/searches/$sidq" -H "Cookie: ibx_session=$sid" -H "X-CSRF-Token: $csrf"
expect 200 "/api/v1/submissions?limit=1&offset=1"
expect 200 "/api/v1/submissions?limit=2" "$hosp"
expect 400 "/api/v1/submissions?limit=201"
expect 200 "/api/v1/completeness?period=$Y2-03&status=late_or_missing&limit=1&offset=0"
expect 400 "/api/v1/completeness?period=$Y2-03&status=lost"
expect 200 "/api/v1/statistics?measure=patients&by=hospital&prefecture=39&limit=2&offset=1"
expect 400 "/api/v1/statistics?limit=0"
call 200 GET /api/v1/me -H "Cookie: ibx_session=$sid"
call 400 DELETE /api/v1/session -H "Authorization: Bearer $TOKEN"
call 200 DELETE /api/v1/session -H "Cookie: ibx_session=$sid" -H "X-CSRF-Token: $csrf"
call 401 DELETE /api/v1/session -H "Cookie: ibx_session=$sid" -H "X-CSRF-Token: $csrf"

# A hub without its web directory has no contract to serve.
hub_start --web "$WORK/no-web"
expect 404 /api/v1/openapi.json none

# Every response valid and every operation of the document answered (the
# check lib.sh would make at exit, made here with --require-operations).
export IBX_OPENAPI_CHECK=0
node "$IBX_SOURCE/tests/openapi/validate.mjs" --require-operations --coverage --quiet batch "$OPENAPI_LOG" ||
	fail "responses do not match hub/web/openapi.json, or an operation was not exercised"
pass "every operation exercised"
