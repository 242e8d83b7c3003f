#!/usr/bin/env bash
# The referral channel's API on the spoke's page (issue 15,
# spoke/web/web_referral.c) with curl, against a real hub over mutual TLS
# and a hospital's real inbound-spoke serve: a partner abroad refers a case
# with its command; the hospital's page lists it, fetches and opens it,
# serves only the verified files (no path out of the folder), refuses
# answers that miss a field (each named, with its code), returns a second
# opinion as an uploaded report file that the partner reads back
# byte-identical, and refuses uploads without a session or CSRF token
# (nothing is written) and a referral from a hospital's page.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/referral_lib.sh"

ref_setup
S=$WORK/serve
mkdir -p "$S"
PW='page referral test password'
out=$(printf '%s\n' "$PW" | "$SPOKE_BIN" user create --state "$S" --login intl) || fail "user create: $out"
SECRET=$(echo "$out" | sed -n 's/^totp secret.*: \([A-Z2-7]*\)$/\1/p')
NET=(--hub "$NNG_URL" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem" --cert "$PKI/issued/$HOSP_A.pem"
	--key "$PKI/issued/$HOSP_A.key")
out=$("$SPOKE_BIN" keys rotate "${NET[@]}" --state "$S/referrals" --outbox "$S/outbox" 2>&1) ||
	fail "keys rotate: $out"
for attempt in 1 2 3; do
	PORT=$(ibx_free_port)
	"$SPOKE_BIN" serve --http "127.0.0.1:$PORT" --state "$S" "${NET[@]}" --interval 3600 \
		--timeout 10000 2>>"$WORK/serve.log" &
	SERVE_PID=$!
	HUB_PIDS+=("$SERVE_PID")
	for i in $(seq 1 100); do
		curl -fsS -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null && break 2
		kill -0 "$SERVE_PID" 2>/dev/null || break
		sleep 0.1
	done
done
PAGE=http://127.0.0.1:$PORT
curl -fsS -o /dev/null "$PAGE/" || fail "the page did not start: $(tail -5 "$WORK/serve.log")"

# A partner abroad refers a case to the hospital (its command line).
spoke "$PARTNER" keys rotate >/dev/null 2>&1 || fail "partner keys rotate"
make_package "$WORK/case" "page-test" 1
out=$(spoke "$PARTNER" refer --to "$HOSP_A" --package "$WORK/case" --purpose second_opinion \
	--nationality RU --age-band 60-69 --languages ru 2>&1) || fail "refer: $out"
ID=$(referral_id "$out")

# Signed in, with the CSRF token.
JAR=$WORK/jar
body=$(jq -cn --arg p "$PW" --arg t "$(oathtool --totp -b "$SECRET")" '{login: "intl", password: $p, totp: $t}')
code=$(curl -sS -c "$JAR" -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" "$PAGE/api/session")
assert_eq "$code" 200 "signed in"
CSRF=$(awk '$6 == "ibx_csrf" {print $7}' "$JAR")
page() { # METHOD PATH [curl args]: sets CODE and BODY
	local m=$1 p=$2
	shift 2
	BODY=$(curl -sS -b "$JAR" -H "X-CSRF-Token: $CSRF" -H "Origin: $PAGE" -X "$m" -o - -w '\n%{http_code}' "$@" "$PAGE$p")
	CODE=${BODY##*$'\n'}
	BODY=${BODY%$'\n'*}
}

page GET /api/referrals
assert_eq "$CODE" 200 "GET /api/referrals"
assert_eq "$(echo "$BODY" | jq -r --arg id "$ID" '.received[] | select(.referral_id == $id) | "\(.from) \(.state) \(.files)"')" \
	"$PARTNER sent null" "the inbox lists the partner's referral, not opened yet"

# Fetch and open; the files as verified; only they are served.
page POST /api/referrals/fetch -H 'Content-Type: application/json' -d '{"id": "nothex"}'
assert_eq "$CODE $(echo "$BODY" | jq -r '.problems[0] | "\(.field) \(.code)"')" "400 id referral_id" "a malformed id is refused, naming the field"
page POST /api/referrals/fetch -H 'Content-Type: application/json' -d "{\"id\": \"$ID\"}"
assert_eq "$CODE" 200 "fetch and open"
assert_eq "$(echo "$BODY" | jq -r '[.files[] | "\(.sha256)  ./\(.name)"] | join("\n")')" "$(sums "$WORK/case")" \
	"every file with its SHA-256, equal to the original's"
assert_eq "$(sums "$S/received/$ID")" "$(sums "$WORK/case")" "the received folder holds the package, byte-identical"
assert_eq "$(sql "SELECT state || ' ' || chunks_deleted_reason FROM referrals WHERE referral_id = '$ID'")" \
	"delivered delivered" "the hub: delivered, its ciphertext deleted"
hdr=$(curl -sS -b "$JAR" -D - -o "$WORK/dl.dcm" "$PAGE/api/referrals/file?id=$ID&name=imaging/ct/CT_small.dcm")
assert_contains "$hdr" 'Content-Disposition: attachment; filename="CT_small.dcm"' "a download is an attachment"
assert_eq "$(sha256sum <"$WORK/dl.dcm")" "$(sha256sum <"$DICOM")" "and byte-identical"
for name in ../../accounts.json /etc/passwd imaging/../summary.txt imaging/ct summary.txt%00 \
	"$S/accounts.json"; do
	code=$(curl -sS -b "$JAR" -o /dev/null -w '%{http_code}' -G "$PAGE/api/referrals/file" \
		--data-urlencode "id=$ID" --data-urlencode "name=$name")
	[ "$code" = 404 ] || [ "$code" = 400 ] || fail "name $name answered $code"
done
pass "no name outside the verified list is served (6 tried)"

# Answers: each missing field named, with its code; then the second
# opinion as an uploaded report, which the partner reads back.
page POST /api/referrals/answer -F "id=$ID" -F status=acknowledged
assert_eq "$CODE" 200 "acknowledged"
page POST /api/referrals/answer -F "id=$ID" -F status=declined
assert_eq "$CODE $(echo "$BODY" | jq -r '.problems[0] | "\(.field) \(.code)"')" "400 reason required" "declined without a reason"
page POST /api/referrals/answer -F "id=$ID" -F status=declined -F reason=bored
assert_eq "$(echo "$BODY" | jq -r '.problems[0] | "\(.field) \(.code)"')" "reason unknown_code" "an unknown reason code"
page POST /api/referrals/answer -F "id=$ID" -F status=quote -F price_min=x -F price_max=5 -F earliest=2027-02-30
assert_eq "$(echo "$BODY" | jq -r '[.problems[] | "\(.field):\(.code)"] | join(" ")')" \
	"price_min:price_negative earliest:not_date" "a quote's bad fields, each named"
page POST /api/referrals/answer -F "id=$ID" -F status=opinion_returned
assert_eq "$(echo "$BODY" | jq -r '.problems[0] | "\(.field) \(.code)"')" "report required" "a second opinion needs its report"
printf 'Second opinion: resection advised.\n' >"$WORK/opinion.txt"
page POST /api/referrals/answer -F "id=$ID" -F status=opinion_returned -F "report=@$WORK/opinion.txt"
assert_eq "$CODE" 200 "the second opinion returned with its report file"
REPORT=$(sql "SELECT referral_id FROM referrals WHERE answers_referral_id = '$ID'")
[ -n "$REPORT" ] || fail "no report referral at the hub"
out=$(spoke "$PARTNER" inbox --fetch "$REPORT" --out "$WORK/report" 2>&1) || fail "partner fetch: $out"
assert_eq "$(sha256sum <"$WORK/report/opinion.txt")" "$(sha256sum <"$WORK/opinion.txt")" \
	"the partner reads the uploaded report, byte-identical"
page GET /api/referrals
assert_eq "$(echo "$BODY" | jq -r --arg id "$ID" '.received[] | select(.referral_id == $id) | .current')" \
	opinion_returned "the inbox shows the answer"
[ -z "$(ls -A "$S/uploads")" ] || fail "uploads left: $(ls "$S/uploads")"
pass "nothing is left in the upload folder"

# Refusals: no CSRF token, no session (nothing written), a hospital refers.
code=$(curl -sS -b "$JAR" -o /dev/null -w '%{http_code}' -F "id=$ID" -F status=visited "$PAGE/api/referrals/answer")
assert_eq "$code" 403 "an answer without the CSRF token is refused"
head -c $((8 * 1024 * 1024)) /dev/urandom >"$WORK/blob"
code=$(curl -sS -o /dev/null -w '%{http_code}' -F to=1310000002 -F "files=@$WORK/blob" "$PAGE/api/referrals/send")
assert_eq "$code" 401 "an upload without a session is refused"
[ -z "$(ls -A "$S/uploads")" ] || fail "an upload without a session was written: $(ls "$S/uploads")"
pass "and nothing of it was written"
page POST /api/referrals/send -F to=1310000002 -F purpose=treatment -F "files=@$WORK/blob"
assert_eq "$CODE" 403 "a hospital's page does not refer"
kill -0 "$SERVE_PID" || fail "the page died"
