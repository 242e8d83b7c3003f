#!/usr/bin/env bash
# Every reason code the listing rules and the case-record rows can put on
# the spoke's page has a Japanese text in spoke/web/page/i18n.js (PROBLEMS),
# and every problem of those files carries a code (docs/spoke-page.md,
# "Errors in your language").  Fails naming each code or call missing.
set -euo pipefail
src=${IBX_SOURCE:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$src"

listing_files=(proto/domain/check.c proto/domain/listing_check.c
	proto/domain/listing_names.c proto/domain/coordinator.c
	proto/wire/listing_json.c spoke/web/web_listing.c)
row_files=(spoke/anonymise/cases_row.c spoke/anonymise/cases_anonymise.c)
i18n=spoke/web/page/i18n.js
fail=0

# A problem without a code would reach the page in English only.
if grep -n 'ibx_problems_add(' "${listing_files[@]}"; then
	echo "problem_codes: the calls above add a problem without a code (use ibx_problems_addc)" >&2
	fail=1
fi

# The codes: ibx_problems_addc's third argument; every "row_..." literal
# of the row files (refuse and spoke_case_row_problem take them).
codes=$(
	{
		cat "${listing_files[@]}" | tr '\n' ' ' |
			grep -oE 'ibx_problems_addc\([^,]+,[^,]+,[[:space:]]*"[a-z0-9_]+"' |
			grep -oE '"[a-z0-9_]+"$'
		grep -ohE '"row_[a-z0-9_]+"' "${row_files[@]}"
	} | tr -d '"' | sort -u
)
n=$(printf '%s\n' "$codes" | grep -c . || true)
if [ "$n" -lt 40 ]; then
	echo "problem_codes: only $n codes found; the extraction is broken" >&2
	exit 1
fi

# The keys of PROBLEMS in i18n.js.
table=$(sed -n '/^export const PROBLEMS = {/,/^};/p' "$i18n" |
	grep -oE "^  [a-z0-9_]+: '" | grep -oE '[a-z0-9_]+' | sort -u)
missing=$(comm -23 <(printf '%s\n' "$codes") <(printf '%s\n' "$table"))
if [ -n "$missing" ]; then
	echo "problem_codes: no Japanese text in $i18n PROBLEMS for:" >&2
	printf '  %s\n' $missing >&2
	fail=1
fi
unused=$(comm -13 <(printf '%s\n' "$codes") <(printf '%s\n' "$table"))
[ -z "$unused" ] || echo "problem_codes: note: codes in PROBLEMS no C code emits: $unused"
[ "$fail" = 0 ] && echo "problem_codes: $n codes, each with a Japanese text"
exit $fail
