#!/usr/bin/env bash
# The referral channel's measurement on the hub's pages (issue 15), in
# real Chromium, in Japanese and in English (tests/browser/measure.test.mjs):
# a hospital's page shows its response times to referrals (median hours to
# the first answer and to the second opinion, with the count), another's
# says it has too few referrals for a median; a search result's score
# breakdown has the response-time factor and its reason; the ministry's
# dashboard has the referral panel from the protected release.  Screenshots
# at 1280 and 390 px go to $IBX_BUILD/tests/browser/measure/.
#
# The referrals are written into the hub's table by SQL (metadata only,
# answered 18 hours after they were sent), and the precomputed rows
# refreshed: the pages are what is tested here; the channel that stores
# referrals and keeps the rows is tested by it_referral_response.
. "$IBX_SOURCE/tests/integration/lib.sh"

"$IBX_SOURCE/deploy/install-web.sh" --tests || fail "deploy/install-web.sh --tests"
SHOTS=$IBX_BUILD/tests/browser/measure
rm -rf "$SHOTS"
mkdir -p "$SHOTS"

db_create
hub_start --web "$IBX_SOURCE/hub/web"
A=1310000001 B=1310000002 COORD=2000000001
M=$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m)
identity "$COORD" coordinator >/dev/null 2>&1
for code in "$A" "$B"; do
	identity "$code" >/dev/null 2>&1
	edit_json "$EXAMPLE" "$WORK/$code.json" ".organisation_code = \"$code\" | .prefecture = \"13\" |
		.name.ja = \"病院$code\" | .name.en = \"Hospital $code\" | .confirmed_at = \"$(date -u +%F)\""
	publish "$WORK/$code.json" >/dev/null || fail "listing $code"
done

# Six referrals to A answered after 18 h (five second opinions returned
# after 40 h), two to B; then last month's statistics and referrals for
# the release (withdrawn before an answer, so they leave A's response
# times alone).
sql "INSERT INTO referrals (referral_id, referrer, receiver, key_id, purpose, nationality, age_band,
	package_bytes, chunk_count, chunks_stored, state, envelope, digest, created_at, sent_at,
	first_answer_at, opinion_at)
	SELECT md5('r' || i), '$COORD', CASE WHEN i <= 6 THEN '$A' ELSE '$B' END, '0000000000000000',
	'second_opinion', 'CN', CASE WHEN i <= 6 THEN '50-59' ELSE '40-49' END, 1000, 1, 1,
	CASE WHEN i <= 5 THEN 'opinion_returned' ELSE 'acknowledged' END, '\\x00', sha256(('r' || i)::bytea),
	now() - interval '50 hours', now() - interval '50 hours', now() - interval '32 hours',
	CASE WHEN i <= 5 THEN now() - interval '10 hours' END
	FROM generate_series(1, 8) i" >/dev/null
sql "INSERT INTO referrals (referral_id, referrer, receiver, key_id, purpose, nationality, age_band,
	package_bytes, chunk_count, chunks_stored, state, envelope, digest, created_at, sent_at)
	SELECT md5('m' || i), '$COORD', '$A', '0000000000000000', 'treatment', 'VN', (10 + i % 7 * 10) || '-' || (19 + i % 7 * 10),
	1000, 1, 1, 'withdrawn', '\\x00', sha256(('m' || i)::bytea), '$M-10'::timestamptz + make_interval(hours => i),
	'$M-10'::timestamptz + make_interval(hours => i) FROM generate_series(1, 20) i" >/dev/null
sql "SELECT ibx_referral_response_refresh(NULL)" >/dev/null
jq -n --arg c "$A" --arg p "$M" '{organisation_code:$c, period:$p, cells:[
  {nationality:"CN", purpose:"treatment", icd10:"2", age_band:"50-59", sex:"male", referral_channel:"direct",
   referral_org:"", remote_second_opinion_first:"no", medical_stay_visa:"yes", patients:12, episodes:12,
   inpatient_episodes:0, outpatient_visits:12, inpatient_days:0, charge_jpy:48000000}]}' >"$WORK/s.json"
forge "$WORK/s.env" "$A" --stats "$WORK/s.json" --seq $(($(date +%s%N) / 1000))
send "$WORK/s.env" | grep -q status=accepted || fail "statistics of $M"
"$CTL_BIN" release --db "$DSN" --until "$M" >/dev/null || fail "release"

export IBX_URL=$API IBX_SHOTS=$SHOTS IBX_HOSPITAL_A=$A IBX_HOSPITAL_B=$B IBX_MONTH=$M
export IBX_TOKEN_MINISTRY=$TOKEN
IBX_TOKEN_COORDINATOR=$(token coordinator --org "$COORD")
export IBX_TOKEN_COORDINATOR
node "$IBX_SOURCE/tests/browser/measure.test.mjs" || fail "measure browser test (screenshots in $SHOTS)"
hub_alive || fail "the hub died during the browser test"
