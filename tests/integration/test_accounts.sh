#!/usr/bin/env bash
# People's accounts at the hub (issue 17): inboundctl user create, reset,
# disable and list (the password from stdin or a 0600 file, never argv);
# sign-in with an Argon2id password and a TOTP code computed here with
# Debian's oathtool; the enrolment that shows the TOTP key once; the
# session cookie's attributes; idle and absolute time-outs (short ones by
# flag); sign-out; CSRF refusals; methods per route; shortlists; failed
# sign-ins throttled per account and per address and audited without the
# password; bearer tokens still working.
. "$(dirname "$0")/lib.sh"
command -v oathtool >/dev/null || fail "oathtool is missing (deploy/install-deps.sh)"
db_create
H=3910118128
C=9010000001
identity $H >/dev/null
identity $C coordinator >/dev/null
# Time-outs long enough for a loaded machine here; a second hub below
# has short ones for the time-out tests.
hub_start --session-idle 120 --session-max 600 --signin-lock 3
publish "$EXAMPLE" >/dev/null
PW='correct horse battery staple'

# post_session JSON [extra curl args]: POST /api/v1/session; sets STATUS,
# BODY and HEADERS (the response's header block).
post_session() {
	local json=$1
	shift
	curl -sS -D "$WORK/h" -o "$WORK/b" -w '%{http_code}' -X POST "$@" \
		-H 'Content-Type: application/json' --data-binary "$json" \
		"$API/api/v1/session" >"$WORK/s"
	STATUS=$(cat "$WORK/s")
	BODY=$(cat "$WORK/b")
	HEADERS=$(tr -d '\r' <"$WORK/h")
}
# call METHOD PATH [curl args]: sets STATUS and BODY.
call() {
	local m=$1 p=$2
	shift 2
	STATUS=$(curl -sS -o "$WORK/b" -w '%{http_code}' -X "$m" "$@" "$API$p")
	BODY=$(cat "$WORK/b")
}
cookie_of() { # NAME: the value set by the last response
	echo "$HEADERS" | sed -n "s/^Set-Cookie: $1=\([^;]*\).*/\1/p" | head -1
}
signin_json() { # LOGIN PASSWORD [TOTP] [ENROLMENT]
	jq -cn --arg l "$1" --arg p "$2" --arg t "${3:-}" --arg e "${4:-}" \
		'{login: $l, password: $p} + (if $t != "" then {totp: $t} else {} end)
		 + (if $e != "" then {enrolment_code: $e} else {} end)'
}
# enrol LOGIN CODE: the first sign-in with the enrolment code; prints the
# TOTP key (base32) the hub shows once.
enrol() {
	post_session "$(signin_json "$1" "$PW" "" "$2")"
	[ "$STATUS" = 200 ] || fail "enrolment of $1: $STATUS $BODY"
	echo "$BODY" | jq -r .secret
}
# signin LOGIN SECRET [OFFSET]: sign in with the code of now (+OFFSET
# seconds); sets SID and CSRF.
signin() {
	post_session "$(signin_json "$1" "$PW" "$(oathtool --totp -b "$2" -N "now + ${3:-0} seconds")")"
	[ "$STATUS" = 200 ] || fail "sign-in of $1: $STATUS $BODY"
	SID=$(cookie_of ibx_session)
	CSRF=$(cookie_of ibx_csrf)
}

# --- inboundctl user: the password from stdin or a 0600 file only.
code_min=$(printf '%s\n' "$PW" | "$CTL_BIN" user create --db "$DSN" --login min.tanaka --role ministry --label "Tanaka" 2>/dev/null)
[[ "$code_min" =~ ^[0-9a-f]{32}$ ]] || fail "user create prints a one-time enrolment code: $code_min"
pass "user create: password from stdin, enrolment code printed once"
printf '%s\n' "$PW" >"$WORK/pw"
chmod 644 "$WORK/pw"
set +e
out=$("$CTL_BIN" user create --db "$DSN" --login coord.sato --role coordinator --org $C --password-file "$WORK/pw" 2>&1)
rc=$?
set -e
assert_eq "$rc" 1 "a password file others can read is refused"
assert_contains "$out" "mode 0600" "the refusal says why"
chmod 600 "$WORK/pw"
code_coord=$("$CTL_BIN" user create --db "$DSN" --login coord.sato --role coordinator --org $C --password-file "$WORK/pw" 2>/dev/null)
set +e
printf 'short\n' | "$CTL_BIN" user create --db "$DSN" --login short.pw --role ministry >/dev/null 2>&1
assert_eq "$?" 1 "a password under 12 bytes is refused"
printf '%s\n' "$PW" | "$CTL_BIN" user create --db "$DSN" --login hosp.x --role hospital >/dev/null 2>&1
assert_eq "$?" 2 "a hospital account needs --org"
printf '%s\n' "$PW" | "$CTL_BIN" user create --db "$DSN" --login min.tanaka --role ministry >/dev/null 2>&1
assert_eq "$?" 1 "a login is unique"
set -e
for u in idle.user max.user lock.user gone.user; do
	eval "code_${u%%.*}=\$(printf '%s\n' \"\$PW\" | \"\$CTL_BIN\" user create --db \"\$DSN\" --login $u --role ministry 2>/dev/null)"
done
code_hosp=$(printf '%s\n' "$PW" | "$CTL_BIN" user create --db "$DSN" --login hosp.suzuki --role hospital --org $H 2>/dev/null)
assert_eq "$(sql "SELECT count(*) FROM accounts WHERE password_hash LIKE '\$argon2id\$v=19\$%'")" 7 "passwords stored as Argon2id hashes"
assert_eq "$(sql "SELECT count(*) FROM accounts WHERE password_hash LIKE '%horse%'")" 0 "no password in the clear"
list=$("$CTL_BIN" user list --db "$DSN")
assert_contains "$list" "coord.sato" "user list shows the accounts"
assert_contains "$(echo "$list" | grep min.tanaka)" "to enrol" "user list: second factor to enrol"

# --- Sign-in refusals before any factor.
post_session "$(signin_json min.tanaka "$PW")" -H 'Content-Type: text/plain'
assert_eq "$STATUS" 400 "sign-in takes application/json only"
post_session "$(signin_json min.tanaka "$PW")" -H 'Origin: http://evil.example'
assert_eq "$STATUS" 403 "sign-in from another site's Origin (login CSRF)"
post_session "$(signin_json min.tanaka "$PW")"
assert_eq "$STATUS" 401 "password without a second factor"
assert_eq "$(echo "$BODY" | jq -r .next)" enrolment_code "the hub asks for the enrolment code"
post_session "$(signin_json min.tanaka "$PW" "" 00000000000000000000000000000000)"
assert_eq "$STATUS" 401 "a wrong enrolment code"

# --- Enrolment: the key shown once, as a URI, base32 and a QR code.
post_session "$(signin_json min.tanaka "$PW" "" "$code_min")"
assert_eq "$STATUS" 200 "enrolment with the one-time code"
KEY_MIN=$(echo "$BODY" | jq -r .secret)
[[ "$KEY_MIN" =~ ^[A-Z2-7]{32}$ ]] || fail "a 160-bit base32 key: $KEY_MIN"
assert_contains "$(echo "$BODY" | jq -r .otpauth_uri)" "otpauth://totp/Inbound%20Exchange%3Amin.tanaka?secret=$KEY_MIN" "an otpauth:// URI"
assert_contains "$(echo "$BODY" | jq -r .qr_svg)" "<svg xmlns" "the QR code as SVG"
post_session "$(signin_json min.tanaka "$PW" "" "$code_min")"
assert_eq "$STATUS" 401 "the enrolment code works once"
post_session "$(signin_json min.tanaka "$PW" 000000)"
[ "$STATUS" = 401 ] || fail "a wrong TOTP code: $STATUS"
pass "a wrong TOTP code is refused"

# --- Sign-in with password and TOTP: the cookies.
code=$(oathtool --totp -b "$KEY_MIN")
post_session "$(signin_json min.tanaka "$PW" "$code")"
assert_eq "$STATUS" 200 "password + TOTP sign in"
assert_eq "$(echo "$BODY" | jq -r .role)" ministry "the account's role"
SID=$(cookie_of ibx_session)
CSRF=$(cookie_of ibx_csrf)
[[ "$SID" =~ ^[0-9a-f]{64}$ ]] || fail "a 256-bit session id: $SID"
line=$(echo "$HEADERS" | grep '^Set-Cookie: ibx_session=')
for attr in HttpOnly Secure SameSite=Strict Path=/; do
	assert_contains "$line" "; $attr" "session cookie: $attr"
done
case "$line" in *Max-Age* | *Expires*) fail "the session cookie ends with the browser: $line" ;; esac
line=$(echo "$HEADERS" | grep '^Set-Cookie: ibx_csrf=')
case "$line" in *HttpOnly*) fail "the CSRF cookie must be readable by the page" ;; esac
assert_contains "$line" "SameSite=Strict" "CSRF cookie: SameSite=Strict"
assert_eq "$(echo "$BODY" | jq -r .csrf_token)" "$CSRF" "the CSRF token in the answer and the cookie"
assert_eq "$(sql "SELECT count(*) FROM account_sessions WHERE session_hash = sha256('$SID'::bytea)")" 1 "only the session id's SHA-256 is stored"
assert_eq "$(sql "SELECT count(*) FROM account_sessions WHERE encode(session_hash, 'hex') = '$SID'")" 0 "the id itself is not stored"
post_session "$(signin_json min.tanaka "$PW" "$code")"
assert_eq "$STATUS" 401 "a TOTP code works once (replay refused)"

# The cookie opens the API in any tab: /me, searches, statistics.
call GET /api/v1/me -H "Cookie: ibx_session=$SID"
assert_eq "$STATUS" 200 "the session cookie authenticates"
assert_eq "$(echo "$BODY" | jq -r .login)" min.tanaka "/me names the account"
call GET /api/v1/portfolio -H "Cookie: ibx_session=$SID; ibx_csrf=$CSRF"
assert_eq "$STATUS" 200 "a ministry session reads the portfolio"
forged=${SID%?}$([ "${SID: -1}" = 0 ] && echo 1 || echo 0)
call GET /api/v1/me -H "Cookie: ibx_session=$forged"
assert_eq "$STATUS" 401 "a forged session id"
call GET /api/v1/me -H "Authorization: Bearer $TOKEN"
assert_eq "$STATUS" 200 "bearer tokens still work"
assert_eq "$(echo "$BODY" | jq -r '.login // "none"')" none "a token has no login"

# Methods: every route but the session's and the shortlist's is GET only.
call POST /api/v1/hospitals -H "Authorization: Bearer $TOKEN"
assert_eq "$STATUS" 405 "POST on a GET route"
assert_contains "$(curl -sS -D - -o /dev/null -X DELETE -H "Authorization: Bearer $TOKEN" "$API/api/v1/statistics" | tr -d '\r')" "Allow: GET, HEAD" "405 says what is allowed"
call GET /api/v1/session -H "Authorization: Bearer $TOKEN"
assert_eq "$STATUS" 405 "GET on the sign-in route"
call POST "/" 
assert_eq "$STATUS" 405 "POST on a page"

# --- A coordinator's shortlist, and CSRF.
KEY_C=$(enrol coord.sato "$code_coord")
signin coord.sato "$KEY_C"
CS=$SID CC=$CSRF
call PUT /api/v1/shortlist/$H -H "Cookie: ibx_session=$CS"
assert_eq "$STATUS" 403 "CSRF: a change without X-CSRF-Token"
assert_contains "$BODY" "csrf" "the refusal names CSRF"
call PUT /api/v1/shortlist/$H -H "Cookie: ibx_session=$CS" -H "X-CSRF-Token: $(printf '%064d' 0)"
assert_eq "$STATUS" 403 "CSRF: a wrong token"
call PUT /api/v1/shortlist/$H -H "Cookie: ibx_session=$CS" -H "X-CSRF-Token: $CC" -H 'Origin: http://evil.example'
assert_eq "$STATUS" 403 "CSRF: another site's Origin"
call PUT /api/v1/shortlist/$H -H "Cookie: ibx_session=$CS" -H "X-CSRF-Token: $CSRF" -H "Origin: $API"
assert_eq "$STATUS" 200 "shortlist: add with the CSRF token and own Origin"
assert_eq "$(echo "$BODY" | jq -r '.hospitals[0].organisation_code')" $H "the shortlist holds the hospital"
assert_eq "$(sql "SELECT count(*) FROM shortlists")" 1 "kept at the hub"
call PUT /api/v1/shortlist/3910119999 -H "Cookie: ibx_session=$CS" -H "X-CSRF-Token: $CC"
assert_eq "$STATUS" 404 "shortlist: an unlisted hospital"
call GET /api/v1/shortlist -H "Authorization: Bearer $TOKEN"
assert_eq "$STATUS" 403 "shortlist: not for bearer tokens"
call DELETE /api/v1/shortlist/$H -H "Cookie: ibx_session=$CS" -H "X-CSRF-Token: $CC"
assert_eq "$(echo "$BODY" | jq -r .total)" 0 "shortlist: remove"
call GET /api/v1/completeness?period=2026-01 -H "Cookie: ibx_session=$CS"
assert_eq "$STATUS" 403 "a coordinator's session keeps the coordinator's rights"

# A hospital's session reads its own figures only.
KEY_H=$(enrol hosp.suzuki "$code_hosp")
signin hosp.suzuki "$KEY_H"
call GET /api/v1/statistics -H "Cookie: ibx_session=$SID"
assert_eq "$(echo "$BODY" | jq -r .disclosure_control.applied)" "none: your own figures" "a hospital session: its own figures"

# --- Sign-out.
call DELETE /api/v1/session -H "Cookie: ibx_session=$CS"
assert_eq "$STATUS" 403 "sign-out needs the CSRF token too"
out=$(curl -sS -D - -o /dev/null -X DELETE -H "Cookie: ibx_session=$CS" -H "X-CSRF-Token: $CC" "$API/api/v1/session" | tr -d '\r')
assert_contains "$out" "Set-Cookie: ibx_session=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0" "sign-out clears the cookie"
call GET /api/v1/me -H "Cookie: ibx_session=$CS"
assert_eq "$STATUS" 401 "a signed-out session is refused"

# --- Idle time-out (4 s) and absolute time-out (8 s): a second hub on the
# same database with short time-outs (by flag).
hub_start --session-idle 4 --session-max 8 --signin-lock 3
KEY_I=$(enrol idle.user "$code_idle")
signin idle.user "$KEY_I"
call GET /api/v1/me -H "Cookie: ibx_session=$SID"
assert_eq "$STATUS" 200 "a fresh session"
sleep 5
call GET /api/v1/me -H "Cookie: ibx_session=$SID"
assert_eq "$STATUS" 401 "idle for longer than --session-idle: ended"
assert_eq "$(sql "SELECT end_reason FROM account_sessions WHERE session_hash = sha256('$SID'::bytea)")" idle "ended as idle"
KEY_X=$(enrol max.user "$code_max")
signin max.user "$KEY_X"
start=$(date +%s)
ended=
# Used every second (never idle): refused only once 8 s have passed.
for i in $(seq 1 14); do
	call GET /api/v1/me -H "Cookie: ibx_session=$SID"
	if [ "$STATUS" != 200 ]; then
		ended=$(($(date +%s) - start))
		break
	fi
	sleep 1
done
[ -n "$ended" ] && [ "$ended" -ge 7 ] && [ "$ended" -le 12 ] ||
	fail "a session in use ends at --session-max (8 s): ended after ${ended:-never} s"
pass "a session in use ends after $ended s (--session-max 8)"
assert_eq "$(sql "SELECT end_reason FROM account_sessions WHERE session_hash = sha256('$SID'::bytea)")" absolute "ended at the absolute time-out"

# --- Throttling: five wrong passwords lock the account; the right
# password and code are refused until the lock (3 s here) passes.
KEY_L=$(enrol lock.user "$code_lock")
for i in 1 2 3 4 5; do
	post_session "$(signin_json lock.user "wrong password $i")"
	assert_eq "$STATUS" 401 "wrong password $i"
done
assert_contains "$BODY" "locked for 3 seconds" "the fifth failure locks the account"
post_session "$(signin_json lock.user "$PW" "$(oathtool --totp -b "$KEY_L")")"
assert_eq "$STATUS" 429 "the sixth attempt, with the right password and code, is refused"
assert_contains "$BODY" "sign-in locked: too many failed sign-ins for this account; try again in" "with a clear message"
assert_contains "$HEADERS" "Retry-After:" "and Retry-After"
post_session "$(signin_json min.tanaka "$PW" "$(oathtool --totp -b "$KEY_MIN" -N 'now + 30 seconds')")"
assert_eq "$STATUS" 200 "another account from the same address is not locked"
sleep 4
post_session "$(signin_json lock.user "$PW" "$(oathtool --totp -b "$KEY_L")")"
assert_eq "$STATUS" 200 "after the lock, the right password and code sign in"
assert_eq "$(sql "SELECT count(*) FROM signin_throttle WHERE kind = 'account' AND key = 'lock.user'")" 0 "success forgets the failures"
# Audited: who, address, outcome, never the password.
assert_eq "$(sql "SELECT count(*) FROM audit_log WHERE path = '/api/v1/session' AND params LIKE 'login=lock.user&address=127.0.0.1&outcome=wrong password%'")" 5 "each failure audited with name, address and outcome"
assert_eq "$(sql "SELECT count(*) FROM audit_log WHERE params LIKE 'login=lock.user&%outcome=throttled'")" 1 "the throttled attempt audited"
assert_eq "$(sql "SELECT count(*) FROM audit_log WHERE params LIKE '%horse%' OR params LIKE '%wrong password 1%'")" 0 "no password in the audit"
assert_eq "$(sql "SELECT count(*) FROM audit_log WHERE params LIKE 'account=min.tanaka%' AND path = '/api/v1/portfolio'")" 1 "a session's calls are audited with the account"
"$CTL_BIN" audit verify --db "$DSN" >/dev/null || fail "the audit chain verifies"
pass "audit chain intact"

# --- disable and reset.
KEY_G=$(enrol gone.user "$code_gone")
signin gone.user "$KEY_G"
"$CTL_BIN" user disable --db "$DSN" --login gone.user >/dev/null
call GET /api/v1/me -H "Cookie: ibx_session=$SID"
assert_eq "$STATUS" 401 "disable ends the account's sessions"
post_session "$(signin_json gone.user "$PW" "$(oathtool --totp -b "$KEY_G" -N 'now + 30 seconds')")"
assert_eq "$STATUS" 401 "a disabled account cannot sign in"
code_new=$("$CTL_BIN" user reset --db "$DSN" --login gone.user 2>/dev/null)
post_session "$(signin_json gone.user "$PW" "$(oathtool --totp -b "$KEY_G" -N 'now + 30 seconds')")"
assert_eq "$(echo "$BODY" | jq -r .next)" enrolment_code "after reset the old key is forgotten"
KEY_G2=$(enrol gone.user "$code_new")
[ "$KEY_G2" != "$KEY_G" ] || fail "reset makes a new key"
signin gone.user "$KEY_G2"
pass "reset: a new one-time enrolment, a new key, signed in again"
assert_contains "$("$CTL_BIN" user list --db "$DSN" | grep gone.user)" "totp" "user list: enrolled"

# --- Per address: twenty failures from one address lock it for every name.
for i in $(seq 1 20); do
	post_session "$(signin_json "nobody$i" "wrong password")"
done
post_session "$(signin_json min.tanaka "$PW" 123456)"
assert_eq "$STATUS" 429 "twenty failures lock the address"
assert_contains "$BODY" "for this address" "the lock names the address"
