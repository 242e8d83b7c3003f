#!/usr/bin/env bash
# The referral channel's pages in real Chromium (issue 15), in Japanese and
# in English (tests/browser/referral.test.mjs): a real hub over mutual TLS
# with PostgreSQL, a coordinator's and a hospital's inbound-spoke serve
# (each with its agent), and the hub's pages.  The coordinator's spoke
# page sends a referral with two files (a case summary and the DICOM test
# file of python3-pydicom); the hospital's spoke page fetches and opens it
# (every file's SHA-256 shown, equal to the original's), answers with a
# quote; the coordinator's hub page shows "quote"; a second hospital's hub
# page does not list it.  Screenshots at 1280 and 390 px go to
# $IBX_BUILD/tests/browser/referral/.
. "$IBX_SOURCE/tests/integration/lib.sh"
. "$IBX_SOURCE/tests/integration/referral_lib.sh"

"$IBX_SOURCE/deploy/install-web.sh" --tests || fail "deploy/install-web.sh --tests"
command -v oathtool >/dev/null || fail "oathtool is missing (deploy/install-deps.sh)"
[ -f "$DICOM" ] || fail "no DICOM test file at $DICOM (python3-pydicom, deploy/install-deps.sh)"
SHOTS=$IBX_BUILD/tests/browser/referral
rm -rf "$SHOTS"
mkdir -p "$SHOTS"

ref_setup
PW='sakura-referral 2026 spring'
declare -A SECRET PORT
# serve_spoke CODE: the organisation's page and agent on a free port, its
# state in $WORK/serve-CODE (accounts, keys, outbox, received files).
serve_spoke() {
	local code=$1 s=$WORK/serve-$1 attempt i pid lang out
	mkdir -p "$s"
	for lang in ja en; do
		out=$(printf '%s\n' "$PW" | "$SPOKE_BIN" user create --state "$s" --login "$code-$lang") ||
			fail "user create: $out"
		SECRET[$code-$lang]=$(echo "$out" | sed -n 's/^totp secret.*: \([A-Z2-7]*\)$/\1/p')
	done
	# The key for referrals, made and announced before the agent holds
	# the outbox (the page's keys are in STATE/referrals, as serve's).
	out=$("$SPOKE_BIN" keys rotate --hub "$NNG_URL" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem" \
		--cert "$PKI/issued/$code.pem" --key "$PKI/issued/$code.key" \
		--state "$s/referrals" --outbox "$s/outbox" --timeout 10000 2>&1) || fail "keys rotate $code: $out"
	for attempt in 1 2 3; do
		PORT[$code]=$(ibx_free_port)
		"$SPOKE_BIN" serve --http "127.0.0.1:${PORT[$code]}" --state "$s" --hub "$NNG_URL" \
			--ca "$PKI/ca.pem" --crl "$PKI/crl.pem" --cert "$PKI/issued/$code.pem" \
			--key "$PKI/issued/$code.key" --interval 3600 --timeout 10000 \
			--upload-max 64 2>>"$WORK/spoke-$code.log" &
		pid=$!
		HUB_PIDS+=("$pid")
		for i in $(seq 1 100); do
			curl -fsS -o /dev/null "http://127.0.0.1:${PORT[$code]}/" 2>/dev/null && return 0
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
	done
	fail "the page of $code did not start: $(tail -5 "$WORK/spoke-$code.log")"
}
serve_spoke "$COORD"
serve_spoke "$HOSP_A"

# The case: a summary with a marker, and the DICOM file.
MARKER="IBXMARKER-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
for lang in ja en; do
	printf 'Case summary (%s)\nPatient: 54 y, hepatocellular carcinoma, staging CT attached.\n%s\n' \
		"$lang" "$MARKER" >"$WORK/summary-$lang.txt"
done
head -c $((65 * 1024 * 1024)) /dev/zero >"$WORK/too-big.raw"

export IBX_COORD_PAGE=http://127.0.0.1:${PORT[$COORD]} IBX_HOSP_PAGE=http://127.0.0.1:${PORT[$HOSP_A]}
export IBX_HUB=$API IBX_SHOTS=$SHOTS IBX_PASSWORD=$PW IBX_DICOM=$DICOM IBX_WORK=$WORK
export IBX_COORD=$COORD IBX_HOSP_A=$HOSP_A IBX_HOSP_B=$HOSP_B
export IBX_SECRET_COORD_JA=${SECRET[$COORD-ja]} IBX_SECRET_COORD_EN=${SECRET[$COORD-en]}
export IBX_SECRET_HOSP_JA=${SECRET[$HOSP_A-ja]} IBX_SECRET_HOSP_EN=${SECRET[$HOSP_A-en]}
export IBX_TOKEN_COORD=$(token coordinator --org "$COORD")
export IBX_TOKEN_HOSP_B=$(token hospital --org "$HOSP_B")
node "$IBX_SOURCE/tests/browser/referral.test.mjs" ||
	fail "referral browser test (screenshots in $SHOTS; spoke logs: $(tail -3 "$WORK/spoke-$COORD.log"; tail -3 "$WORK/spoke-$HOSP_A.log"))"

# What the pages did, as the hub and the folders hold it.
assert_eq "$(sql "SELECT count(*) FROM referrals WHERE referrer = '$COORD' AND receiver = '$HOSP_A' AND state = 'quote'")" 2 \
	"the hub: two referrals, each answered with a quote"
assert_eq "$(sql "SELECT count(*) FROM referral_chunks")" 0 "the hub: no ciphertext left after delivery"
n=$(grep -rla "$MARKER" "$WORK/serve-$HOSP_A/received" | wc -l)
assert_eq "$n" 2 "the marker is in the hospital's received folder (both summaries)"
pg_dump -h 127.0.0.1 -p "$IBX_PG_PORT" -U inbound "$DB_NAME" >"$WORK/hub.dump"
! grep -qa "$MARKER" "$WORK/hub.dump" "$WORK/hub.log" || fail "the marker is in the hub's database or log"
pass "nor in the hub's database or log"
! grep -rqa "$MARKER" "$WORK/serve-$COORD/uploads" "$WORK/serve-$COORD/referrals" 2>/dev/null ||
	fail "an upload or a package in clear is left at the coordinator's spoke"
pass "no upload left in clear at the coordinator's spoke"
pass "screenshots in $SHOTS: $(ls "$SHOTS" | wc -l)"
