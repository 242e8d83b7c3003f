#!/usr/bin/env bash
# The hospital's own page, inbound-spoke serve (issue 17), with curl
# against a real spoke and a real hub: accounts made with inbound-spoke
# user (password from stdin, never argv; the file 0600); the page binds to
# loopback and refuses another address without --allow-remote; sign-in
# with a password and a TOTP code (oathtool), a replayed code refused;
# every POST without the CSRF token, or from another Origin, refused;
# a listing with a bad field refused with the field named, then published
# and found in the hub's search; an export with two bad rows refused with
# line and column, fixed and sent, and the hub holds the submission; a
# Shift_JIS export converted only when asked; a value map for 男/女/中国;
# a nil report; the status lists every acknowledgement; five wrong
# passwords lock the account; sign-out ends the session.
. "$(dirname "$0")/lib.sh"

CODE=3910118128
db_create
identity $CODE >/dev/null 2>&1
hub_start
S=$WORK/state
PW='hinoki-sugi-2026 autumn'

# Accounts: the password never on the command line.
out=$("$SPOKE_BIN" user create --state "$S" --login kokusai --password "$PW" 2>&1) && fail "a password on argv was taken"
out=$(printf '%s\n' "$PW" | "$SPOKE_BIN" user create --state "$S" --login kokusai) || fail "user create: $out"
SECRET=$(echo "$out" | sed -n 's/^totp secret.*: \([A-Z2-7]*\)$/\1/p')
[ -n "$SECRET" ] || fail "no TOTP secret printed: $out"
assert_eq "$(stat -c %a "$S/accounts.json")" 600 "accounts file mode"
printf 'short\n' | "$SPOKE_BIN" user create --state "$S" --login other >/dev/null 2>&1 && fail "a short password was taken"
printf '%s\n' "$PW" >"$WORK/pw" && chmod 644 "$WORK/pw"
"$SPOKE_BIN" user create --state "$S" --login other --password-file "$WORK/pw" >/dev/null 2>&1 && fail "a readable password file was taken"
chmod 600 "$WORK/pw"
"$SPOKE_BIN" user create --state "$S" --login locked --password-file "$WORK/pw" >/dev/null || fail "user create --password-file"
"$SPOKE_BIN" user create --state "$S" --login gone --password-file "$WORK/pw" >/dev/null || fail "user create gone"
"$SPOKE_BIN" user disable --state "$S" --login gone >/dev/null || fail "user disable"
assert_eq "$("$SPOKE_BIN" user list --state "$S" | cut -f1,2 | tr '\t\n' ': ')" "kokusai:enabled locked:enabled gone:disabled " "user list"

SPOKE_ARGS=(--state "$S" --hub "$NNG_URL" --insecure-tcp --cert "$PKI/issued/$CODE.pem"
	--key "$PKI/issued/$CODE.key" --interval 3600 --timeout 3000 --signin-lock 30)
out=$("$SPOKE_BIN" serve --http "0.0.0.0:$(ibx_free_port)" "${SPOKE_ARGS[@]}" 2>&1) && fail "a non-loopback address was served"
assert_contains "$out" "not a loopback address" "non-loopback refused with the reason"

# serve_page LOG ARGS...: inbound-spoke serve on a free loopback port with
# ARGS, its log to LOG; a port taken in the meantime by another test is
# tried again on another (three times).  Sets SERVED_PORT and SPOKE_PID.
serve_page() {
	local log=$1 attempt i
	shift
	for attempt in 1 2 3; do
		SERVED_PORT=$(ibx_free_port)
		"$SPOKE_BIN" serve --http "127.0.0.1:$SERVED_PORT" "$@" 2>>"$log" &
		SPOKE_PID=$!
		HUB_PIDS+=("$SPOKE_PID")
		for i in $(seq 1 100); do
			curl -fsS -o /dev/null "http://127.0.0.1:$SERVED_PORT/" 2>/dev/null && return 0
			kill -0 "$SPOKE_PID" 2>/dev/null || break
			sleep 0.1
		done
	done
	fail "the page did not start: $(tail -3 "$log")"
}

serve_page "$WORK/spoke.log" "${SPOKE_ARGS[@]}"
PORT=$SERVED_PORT
PAGE=http://127.0.0.1:$PORT
curl -fsS -o /dev/null "$PAGE/" || fail "the page did not start: $(tail -5 "$WORK/spoke.log")"
assert_eq "$(ss -ltnH "sport = :$PORT" | awk '{print $4}')" "127.0.0.1:$PORT" "bound to loopback only"
codes=$(curl -fsS "$PAGE/ui/codes.js")
case "$codes" in *'export const TREATMENTS'*) ;; *) fail "codes.js is not served from the web folder" ;; esac
pass "the page serves codes.js from the installed web folder"

# call METHOD PATH [curl args]: sets STATUS and BODY.
call() {
	local m=$1 p=$2 out
	shift 2
	out=$(curl -sS -X "$m" -w '\n%{http_code}' "$@" "$PAGE$p")
	STATUS=${out##*$'\n'}
	BODY=${out%$'\n'*}
}
signin() { # LOGIN PASSWORD CODE
	call POST /api/session -H 'Content-Type: application/json' -c "$WORK/jar" \
		--data "$(jq -cn --arg l "$1" --arg p "$2" --arg t "$3" '{login: $l, password: $p, totp: $t}')"
}
totp() { oathtool --totp -b "$SECRET" "$@"; }

call GET /api/listing
assert_eq "$STATUS" 401 "not signed in: 401"
signin kokusai "$PW" ""
assert_eq "$STATUS/$(echo "$BODY" | jq -r .next)" "401/totp" "password alone asks for the code"
signin kokusai "$PW" "$(totp)"
assert_eq "$STATUS" 200 "signed in with password and TOTP"
CSRF=$(echo "$BODY" | jq -r .csrf_token)
grep -q 'ibx_session' "$WORK/jar" || fail "no session cookie"
cp "$WORK/jar" "$WORK/session"
sc=$(curl -sS -D - -o /dev/null -H 'Content-Type: application/json' \
	--data "$(jq -cn --arg p "$PW" --arg t "$(totp -N '+30 seconds')" '{login: "kokusai", password: $p, totp: $t}')" "$PAGE/api/session" | grep -i '^set-cookie: ibx_session')
assert_contains "$sc" "HttpOnly; Secure; SameSite=Strict" "the session cookie is HttpOnly, Secure, SameSite=Strict"
signin kokusai "$PW" "$(totp)"
assert_eq "$STATUS" 401 "a used code is refused"
signin gone "$PW" "$(totp)"
assert_eq "$STATUS" 401 "a disabled account is refused"

J=(-b "$WORK/session")
C=(-b "$WORK/session" -H "X-CSRF-Token: $CSRF")
call POST /api/listing/check "${J[@]}" --data-binary @"$EXAMPLE"
assert_eq "$STATUS" 403 "POST without the CSRF token"
assert_contains "$BODY" "X-CSRF-Token" "the refusal names the header"
call POST /api/listing/check "${C[@]}" -H "Origin: http://evil.example" --data-binary @"$EXAMPLE"
assert_eq "$STATUS" 403 "POST from another Origin"
call POST /api/listing/check "${C[@]}" --data-binary @"$EXAMPLE"
assert_eq "$STATUS/$(echo "$BODY" | jq -r .ok)" "200/true" "the example listing passes"

# A listing with a field error: refused with the field; fixed: published.
jq '.languages = ["ja", "en", "xx"] | .price_bands[0].max_jpy = 100' "$EXAMPLE" >"$WORK/bad.json"
call POST /api/listing/publish "${C[@]}" --data-binary @"$WORK/bad.json"
assert_eq "$STATUS" 422 "a bad listing is refused"
assert_eq "$(echo "$BODY" | jq -r '[.problems[].field] | sort | join(",")')" "languages[2],price_bands[0]" "each problem names its field"
"$SPOKE_BIN" check --listing "$WORK/bad.json" >/dev/null 2>&1 && fail "check passed what the page refused"
pass "the command line refuses it too (one source of rules)"
jq '.languages = ["ja", "en", "ko"] | .price_bands[0].max_jpy = 950000' "$EXAMPLE" >"$WORK/good.json"
call POST /api/listing/publish "${C[@]}" --data-binary @"$WORK/good.json"
assert_eq "$STATUS/$(echo "$BODY" | jq -r .status)" "200/queued" "the fixed listing is queued"
start=$(date +%s%N)
for i in $(seq 1 100); do
	get "/api/v1/hospitals?language=ko"
	[ "$(echo "$BODY" | jq -r .total)" = 1 ] && break
	sleep 0.1
done
assert_eq "$(echo "$BODY" | jq -r '.hospitals[0].organisation_code')" $CODE "the hub's search finds the new version"
echo "published to searchable in $((($(date +%s%N) - start) / 1000000)) ms"
call GET /api/listing "${J[@]}"
assert_eq "$(echo "$BODY" | jq -r '.listing.languages | join(",")')" "ja,en,ko" "the page reads the published listing"
assert_eq "$(echo "$BODY" | jq -r .listing.confirmed_at)" "$(date -u +%F)" "publishing confirms it today"
for i in $(seq 1 50); do
	call GET /api/listing "${J[@]}"
	[ "$(echo "$BODY" | jq -r .acknowledged.version)" = 1 ] && break
	sleep 0.1
done
assert_eq "$(echo "$BODY" | jq -r .acknowledged.version)" 1 "the page shows the acknowledged version"

# The version the page compares with is the hub's: the bytes of the
# listing it acknowledged, which the agent keeps beside its outbox.
for i in $(seq 1 50); do
	call GET /api/listing "${J[@]}"
	[ "$(echo "$BODY" | jq -r .publication.state)" = acknowledged ] && break
	sleep 0.1
done
assert_eq "$(echo "$BODY" | jq -r .publication.state)" acknowledged "the newest version is the one the hub acknowledged"
cmp -s "$S/listing.json" "$S/outbox/listing.acknowledged.json" || fail "the acknowledged copy is not the listing sealed"
assert_eq "$(echo "$BODY" | jq -r '(.published.languages | join(",")), .published.price_bands[0].max_jpy' | tr '\n' ' ')" "ja,en,ko 950000 " "the preview compares with the acknowledged version"

# A listing confirmed 320 days ago warns ahead of staleness.
jq --arg d "$(date -u -d '-320 days' +%F)" '.confirmed_at = $d' "$WORK/good.json" >"$S/listing.json"
call GET /api/listing "${J[@]}"
assert_eq "$(echo "$BODY" | jq -r '[.warnings[] | select(.kind == "stale_soon") | .days_left] | join(",")')" 45 "warned 45 days before it goes stale"
call POST /api/listing/confirm "${C[@]}"
assert_eq "$STATUS" 200 "confirm unchanged"
call GET /api/listing "${J[@]}"
assert_eq "$(echo "$BODY" | jq -r '.listing.confirmed_at')" "$(date -u +%F)" "confirmed_at refreshed"

# The monthly report: two bad rows, then fixed.
P=$(date -u -d "$(date -u +%Y-%m-15) -1 month" +%Y-%m)
H='patient_ref,nationality,birth_date,sex,purpose,icd10,first_visit,discharge,outpatient_visits,inpatient_days,charge_jpy,referral_channel,referral_org,remote_second_opinion_first,medical_stay_visa'
{
	echo "$H"
	echo "K-1,CN,1961-07-23,male,treatment,C16.9,$P-04,$P-20,3,16,4512000,coordinator,9010000003,yes,yes"
	echo "K-2,VN,1975-11-30,female,health_checkup,Z00.00,$P-12,,2,0,1480000,direct,,no,no"
	echo "K-3,XX,1980-01-01,female,treatment,C50.9,$P-13,,1,0,300000,direct,,no,no"
	echo "K-4,US,1970-05-05,x,treatment,C61,$P-14,,1,0,200000,direct,,no,no"
} >"$WORK/bad.csv"
call POST "/api/report/check?period=$P" "${C[@]}" -H 'Content-Type: text/csv' --data-binary @"$WORK/bad.csv"
assert_eq "$STATUS/$(echo "$BODY" | jq -r '.bad_rows, .ok' | tr '\n' ' ')" "200/2 false " "two bad rows found"
assert_eq "$(echo "$BODY" | jq -r '[.errors[] | "\(.line):\(.column)"] | join(" ")')" "4:nationality 5:sex" "each error has its line and column"
call POST "/api/report/send?period=$P" "${C[@]}" --data-binary @"$WORK/bad.csv"
assert_eq "$STATUS" 422 "a file with bad rows is not sent"
sed -e 's/,XX,/,GB,/' -e 's/,x,treatment/,male,treatment/' "$WORK/bad.csv" >"$WORK/good.csv"
call POST "/api/report/check?period=$P" "${C[@]}" --data-binary @"$WORK/good.csv"
assert_eq "$(echo "$BODY" | jq -r '.ok, .in_period, (.submission.cells | length)' | tr '\n' ' ')" "true 4 4 " "the dry run shows the cells that would leave"
call POST "/api/report/send?period=$P" "${C[@]}" --data-binary @"$WORK/good.csv"
assert_eq "$STATUS/$(echo "$BODY" | jq -r .status)" "200/queued" "the report is queued"
for i in $(seq 1 100); do
	[ "$(sql "SELECT count(*) FROM statistics_submissions WHERE org_code = '$CODE' AND period = '$P-01'")" -ge 1 ] 2>/dev/null && break
	sleep 0.1
done
HT=$(token hospital --org $CODE)
get "/api/v1/submissions?hospital=$CODE" "$HT"
assert_eq "$STATUS" 200 "the hospital's submissions"
assert_eq "$(echo "$BODY" | jq -r --arg p "$P" '[.submissions[] | select(.period == $p and .superseded_at == null) | .cells] | join(",")')" 4 "the hub shows the submission for $P (4 cells)"

# Shift_JIS with Japanese words: converted when asked, read through the
# value map the page writes.
sed -e 's/,male,/,男,/' -e 's/,female,/,女,/' -e 's/,CN,/,中国,/' "$WORK/good.csv" | iconv -f UTF-8 -t CP932 >"$WORK/sjis.csv"
call POST "/api/report/check?period=$P" "${C[@]}" --data-binary @"$WORK/sjis.csv"
assert_eq "$(echo "$BODY" | jq -r '.encoding, .needs_conversion' | tr '\n' ' ')" "shift_jis true " "Shift_JIS recognised, conversion offered"
call POST "/api/report/check?period=$P&convert=shift_jis" "${C[@]}" --data-binary @"$WORK/sjis.csv"
assert_eq "$(echo "$BODY" | jq -r '.bad_rows, (.values.sex | sort | join(","))' | tr '\n' ' ')" "4 女,男 " "unmapped words listed for the map"
call POST /api/map "${C[@]}" --data '{"values":[{"column":"sex","theirs":"男","ours":"male"},{"column":"sex","theirs":"女","ours":"female"},{"column":"nationality","theirs":"中国","ours":"CN"}]}'
assert_eq "$STATUS" 200 "value lines saved"
call POST /api/map "${C[@]}" --data '{"values":[{"column":"sex","theirs":"男","ours":"female"}]}'
assert_eq "$STATUS" 422 "a value mapped twice is refused"
call POST "/api/report/check?period=$P&convert=shift_jis" "${C[@]}" --data-binary @"$WORK/sjis.csv"
assert_eq "$(echo "$BODY" | jq -r '.bad_rows, .ok' | tr '\n' ' ')" "0 true " "the words read through the map"
printf '\xef\xbb\xbf' | cat - "$WORK/good.csv" >"$WORK/bom.csv"
call POST "/api/report/check?period=$P" "${C[@]}" --data-binary @"$WORK/bom.csv"
assert_eq "$(echo "$BODY" | jq -r '.encoding, .ok' | tr '\n' ' ')" "utf-8-bom true " "Excel's BOM recognised"

# Japanese column names: the missing columns and the file's header are
# answered, and the header lines the page sends make it readable.
sed -e '1s/,sex,/,性別,/' -e '1s/,purpose,/,目的,/' "$WORK/good.csv" >"$WORK/jhdr.csv"
call POST "/api/report/check?period=$P" "${C[@]}" --data-binary @"$WORK/jhdr.csv"
assert_eq "$(echo "$BODY" | jq -r '[.file_problems[] | capture("missing column \"(?<c>[a-z_]+)\"").c] | join(",")')" "sex,purpose" "the missing columns are named"
assert_contains "$(echo "$BODY" | jq -r '.header | join(",")')" "性別,目的" "the file's header is answered"
call POST /api/map "${C[@]}" --data '{"headers":[{"column":"sex","theirs":"性別"},{"column":"purpose","theirs":"目的"}]}'
assert_eq "$STATUS" 200 "header lines saved"
call POST "/api/report/check?period=$P" "${C[@]}" --data-binary @"$WORK/jhdr.csv"
assert_eq "$(echo "$BODY" | jq -r '.ok, .in_period' | tr '\n' ' ')" "true 4 " "the Japanese column names read through the map"
grep -q '^sex=性別$' "$S/cases-map.txt" || fail "the header line is not in the map"
call GET /api/map "${J[@]}"
assert_eq "$(echo "$BODY" | jq -r '.headers.sex, (.values | length)' | tr '\n' ' ')" "性別 3 " "the map as the page reads it"

# A nil report for the month before.
P2=$(date -u -d "$(date -u +%Y-%m-15) -2 month" +%Y-%m)
call POST "/api/report/nil?period=$P2" "${C[@]}"
assert_eq "$STATUS" 200 "nil report queued"
for i in $(seq 1 100); do
	[ "$(sql "SELECT count(*) FROM statistics_submissions WHERE org_code = '$CODE' AND period = '$P2-01' AND nil_report")" = 1 ] 2>/dev/null && break
	sleep 0.1
done
assert_eq "$(sql "SELECT count(*) FROM statistics_submissions WHERE org_code = '$CODE' AND period = '$P2-01' AND nil_report")" 1 "the hub holds the nil report"

# A refusal the outbox kept (the format of spoke/delivery/outbox.c).
mkdir -p "$S/outbox/rejected"
printf 'sequence: 42\nstatus: invalid\ncode: 2\ntime: 2026-12-01T00:00:00Z\nerror: statistics refused: field "period": after the current month\n' \
	>"$S/outbox/rejected/00000000000000000042.reason"
call GET /api/status "${J[@]}"
assert_eq "$(echo "$BODY" | jq -r '.rejected[] | select(.sequence == 42) | .reason | split("\n")[-1]')" 'error: statistics refused: field "period": after the current month' "the status shows a refusal with its reason"
assert_eq "$(echo "$BODY" | jq -r '[.acknowledged[].payload] | sort | unique | join(",")')" "case_statistics,hospital_listing" "the status lists every acknowledgement"
assert_eq "$(echo "$BODY" | jq -r '.pending, .next_report.period' | tr '\n' ' ')" "0 $(date -u +%Y-%m) " "outbox empty; the next report due is this month's"

# Five wrong passwords lock the account; the right one is then refused.
for i in 1 2 3 4 5; do
	signin locked "wrong-password-$i" 000000
	assert_eq "$STATUS" 401 "wrong password $i"
done
assert_contains "$BODY" "locked for 30 seconds" "the fifth failure locks the account"
SECRET_L=$(jq -r '.accounts[] | select(.login == "locked") | .totp_key' "$S/accounts.json")
signin locked "$PW" "$(oathtool --totp "$SECRET_L")"
assert_eq "$STATUS" 429 "the right password is refused while locked"

call DELETE /api/session "${C[@]}"
assert_eq "$STATUS" 200 "signed out"
call GET /api/listing "${J[@]}"
assert_eq "$STATUS" 401 "the session ended"
kill -0 "$SPOKE_PID" || fail "the spoke died"

# A coordinator's spoke serves the page for its own listing (coordinator
# rules), without a monthly report.
K=9010000001
identity $K coordinator >/dev/null 2>&1
KS=$WORK/coordinator
printf '%s\n' "$PW" | "$SPOKE_BIN" user create --state "$KS" --login desk >"$WORK/desk.txt" || fail "user create desk"
KSECRET=$(sed -n 's/^totp secret.*: \([A-Z2-7]*\)$/\1/p' "$WORK/desk.txt")
serve_page "$WORK/coordinator.log" --state "$KS" --hub "$NNG_URL" --insecure-tcp \
	--cert "$PKI/issued/$K.pem" --key "$PKI/issued/$K.key" --interval 3600 --timeout 3000
KPORT=$SERVED_PORT
[ -d "$KS/cases" ] && fail "a coordinator's spoke made an export folder"
PAGE=http://127.0.0.1:$KPORT
call POST /api/session -H 'Content-Type: application/json' -c "$WORK/kjar" \
	--data "$(jq -cn --arg p "$PW" --arg t "$(oathtool --totp -b "$KSECRET")" '{login: "desk", password: $p, totp: $t}')"
assert_eq "$STATUS" 200 "a coordinator's staff signs in"
KC=(-b "$WORK/kjar" -H "X-CSRF-Token: $(echo "$BODY" | jq -r .csrf_token)")
call GET /api/listing -b "$WORK/kjar"
assert_eq "$(echo "$BODY" | jq -r .kind)" coordinator "the page knows it is a coordinator's"
call POST "/api/report/check?period=$P" "${KC[@]}" --data-binary @"$WORK/good.csv"
assert_eq "$STATUS" 409 "no monthly report for a coordinator"
jq -n --arg d "$(date -u -d '+1 year' +%F)" '{schema_version: 1, organisation_code: "9010000001",
	name: {ja: "メディカルツーリズム・ジャパン株式会社", en: "Medical Tourism Japan"}, prefecture: "13",
	certification: "MTJ-2024-0012", certification_expires: $d, languages: ["ja", "en", "zh", "xx"],
	countries_served: ["CN"], services: ["interpreting"]}' >"$WORK/coord.json"
call POST /api/listing/publish "${KC[@]}" --data-binary @"$WORK/coord.json"
assert_eq "$STATUS/$(echo "$BODY" | jq -r '.problems[0].field')" "422/languages[3]" "coordinator rules, the field named"
jq '.languages = ["ja", "en", "zh"]' "$WORK/coord.json" >"$WORK/coord-ok.json"
call POST /api/listing/publish "${KC[@]}" --data-binary @"$WORK/coord-ok.json"
assert_eq "$STATUS" 200 "the coordinator listing is queued"
for i in $(seq 1 100); do
	get "/api/v1/coordinators?language=zh"
	[ "$(echo "$BODY" | jq -r '.total')" = 1 ] && break
	sleep 0.1
done
assert_eq "$(echo "$BODY" | jq -r '.coordinators[0].organisation_code')" $K "the hub's coordinator search finds it"

# A listing the hub refuses (a certificate it never enrolled): the page
# says "refused" with the hub's reason, and has no acknowledged version.
U=3910110438
"$IBX_SOURCE/deploy/pki/issue.sh" "$PKI" $U hospital >/dev/null 2>&1
US=$WORK/unenrolled
printf '%s\n' "$PW" | "$SPOKE_BIN" user create --state "$US" --login kokusai >"$WORK/u.txt" || fail "user create (unenrolled)"
USECRET=$(sed -n 's/^totp secret.*: \([A-Z2-7]*\)$/\1/p' "$WORK/u.txt")
serve_page "$WORK/unenrolled.log" --state "$US" --hub "$NNG_URL" --insecure-tcp \
	--cert "$PKI/issued/$U.pem" --key "$PKI/issued/$U.key" --interval 3600 --timeout 3000
UPORT=$SERVED_PORT
PAGE=http://127.0.0.1:$UPORT
call POST /api/session -H 'Content-Type: application/json' -c "$WORK/ujar" \
	--data "$(jq -cn --arg p "$PW" --arg t "$(oathtool --totp -b "$USECRET")" '{login: "kokusai", password: $p, totp: $t}')"
assert_eq "$STATUS" 200 "signed in on the unenrolled spoke"
UC=(-b "$WORK/ujar" -H "X-CSRF-Token: $(echo "$BODY" | jq -r .csrf_token)")
jq --arg u $U '.organisation_code = $u' "$EXAMPLE" >"$WORK/u.json"
call POST /api/listing/publish "${UC[@]}" --data-binary @"$WORK/u.json"
assert_eq "$STATUS" 200 "the unenrolled spoke's listing is queued"
for i in $(seq 1 100); do
	call GET /api/listing -b "$WORK/ujar"
	[ "$(echo "$BODY" | jq -r .publication.state)" = refused ] && break
	sleep 0.1
done
assert_eq "$(echo "$BODY" | jq -r .publication.state)" refused "a refused version: refused"
assert_contains "$(echo "$BODY" | jq -r .publication.reason)" "error: " "the hub's reason is shown"
assert_eq "$(echo "$BODY" | jq -c .published)" null "nothing acknowledged: no published version"
[ -e "$US/outbox/listing.acknowledged.json" ] && fail "a refused listing was kept as acknowledged"
pass "refused: $(echo "$BODY" | jq -r .publication.reason | tail -1)"

# The hub unreachable: a new version waits for the hub, and the page keeps
# comparing with the version the hub acknowledged.
PAGE=http://127.0.0.1:$KPORT
for i in $(seq 1 50); do
	call GET /api/listing -b "$WORK/kjar"
	[ "$(echo "$BODY" | jq -r .publication.state)" = acknowledged ] && break
	sleep 0.1
done
assert_eq "$(echo "$BODY" | jq -r .publication.state)" acknowledged "the coordinator's version is acknowledged"
kill "$HUB_PID" 2>/dev/null
wait "$HUB_PID" 2>/dev/null || true
jq '.languages = ["ja", "en", "zh", "ko"]' "$WORK/coord.json" >"$WORK/coord-ko.json"
call POST /api/listing/publish "${KC[@]}" --data-binary @"$WORK/coord-ko.json"
assert_eq "$STATUS" 200 "a new coordinator version is queued while the hub is down"
for i in $(seq 1 50); do
	call GET /api/listing -b "$WORK/kjar"
	[ "$(echo "$BODY" | jq -r .publication.state)" = waiting ] && break
	sleep 0.1
done
assert_eq "$(echo "$BODY" | jq -r .publication.state)" waiting "the newest version is waiting for the hub"
assert_eq "$(echo "$BODY" | jq -r '.published.languages | join(",")')" "ja,en,zh" "the preview compares with the acknowledged version"
assert_eq "$(echo "$BODY" | jq -r '.listing.languages | join(",")')" "ja,en,zh,ko" "the page shows the new version"
