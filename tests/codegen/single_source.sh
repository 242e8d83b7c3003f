#!/usr/bin/env bash
# One source of truth for code lists: a code of the project's vocabularies
# (deploy/data/ibx_*.csv) appears as a literal in hub/, spoke/, proto/ and
# tools/ only in the two generated files, proto/domain/codes_table.c and
# hub/web/ui/codes.js.  Left out of the search: the statistics tables and
# the three API files being rewritten for disclosure control (issue 12: the
# lead checks them after the merge) and the API contract
# (hub/web/openapi.json, whose enums are compared with the lists below).
# Codes that are also other words (roles "hospital" and "coordinator",
# query parameters "treatment" and "second_opinion", "yes", "no", "other",
# "unknown", "direct", "doctor") are checked only as the words of their
# lists in the files that read case records and statistics.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

fail=0
search() { # WORD: hits of "WORD" and 'WORD' outside the allowed files
	grep -rnF -e "\"$1\"" -e "'$1'" hub spoke proto tools \
		--include='*.c' --include='*.h' --include='*.js' --include='*.py' --include='*.proto' \
		--exclude-dir=node_modules --exclude-dir=stats |
		grep -v -e '^proto/domain/codes_table.c:' -e '^hub/web/ui/codes.js:' \
			-e '^hub/api/api_statistics.c:' -e '^hub/api/api_portfolio.c:' \
			-e '^hub/api/api_submissions.c:' -e '^tools/codegen/gen-codes.py:' || true
}
ambiguous=" hospital coordinator treatment second_opinion yes no other unknown direct doctor consultation "
n=0
for f in deploy/data/ibx_purposes.csv deploy/data/ibx_age_bands.csv deploy/data/ibx_sexes.csv \
	deploy/data/ibx_referral_channels.csv deploy/data/ibx_answers.csv deploy/data/ibx_treatments.csv \
	deploy/data/ibx_price_band_services.csv deploy/data/ibx_accreditations.csv \
	deploy/data/ibx_coordinator_services.csv; do
	for w in $(tail -n +2 "$f" | cut -d, -f1); do
		n=$((n + 1))
		case "$ambiguous" in *" $w "*) continue ;; esac
		hits=$(search "$w")
		if [ -n "$hits" ]; then
			echo "FAIL: code \"$w\" ($f) written outside the generated files:" >&2
			echo "$hits" >&2
			fail=1
		fi
	done
done
# The ambiguous words as list members: no hand-written list of them left in
# the readers of case records and statistics.
hits=$(grep -rnE '"(male|female|unknown)", *"|"(yes|no)", *"(no|unknown)"|"coordinator", *"hospital"|"follow_up"|"other"\}' \
	spoke proto tools hub/api/query.c hub/intake --include='*.c' --include='*.h' |
	grep -v '^proto/domain/codes_table.c:' || true)
if [ -n "$hits" ]; then
	echo "FAIL: a hand-written vocabulary list remains:" >&2
	echo "$hits" >&2
	fail=1
fi
# The API contract's enums of the same lists hold exactly their codes, in
# their order.
for pair in Purpose:ibx_purposes Sex:ibx_sexes AgeBand:ibx_age_bands \
	ReferralChannel:ibx_referral_channels Treatment:ibx_treatments \
	AccreditationScheme:ibx_accreditations CoordinatorService:ibx_coordinator_services; do
	name=${pair%%:*} file=deploy/data/${pair#*:}.csv
	want=$(tail -n +2 "$file" | cut -d, -f1 | tr '\n' ' ')
	got=$(jq -r --arg n "$name" '.components.schemas[$n].enum // [] | join(" ")' hub/web/openapi.json)
	if [ "$got " != "$want" ]; then
		echo "FAIL: hub/web/openapi.json schema $name: enum [$got] is not $file [$want]" >&2
		fail=1
	fi
done
want=$(tail -n +2 deploy/data/ibx_price_band_services.csv | cut -d, -f1 | jq -R . | jq -sc .)
[ "$(jq --argjson w "$want" '[.. | objects | select(.enum? == $w)] | length' hub/web/openapi.json)" -gt 0 ] || {
	echo "FAIL: hub/web/openapi.json has no enum $want (deploy/data/ibx_price_band_services.csv)" >&2
	fail=1
}
[ "$fail" -eq 0 ] && echo "ok: $n codes of deploy/data/ibx_*.csv written only in the generated files"
exit "$fail"
