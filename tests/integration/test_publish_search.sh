#!/usr/bin/env bash
# A listing published through a real spoke is found by every search filter
# that matches it and by none that does not; the detail endpoint serves it;
# bad parameters get 400 naming the parameter.
. "$(dirname "$0")/lib.sh"
db_create
identity 3910118128
hub_start

out=$(publish "$EXAMPLE") || fail "publish: $out"
assert_contains "$out" "accepted as version 1" "spoke reports the accepted version"
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE outcome = 'accepted'")" 1 "message log rows"

code=3910118128
for q in prefecture=39 language=zh language=en treatment=pet_ct department=01001 \
	accreditation=JMIP accepts=VN second_opinion=remote q=%E9%AB%98%E7%9F%A5 q=kochi%20health; do
	get "/api/v1/hospitals?$q"
	assert_eq "$STATUS" 200 "GET ?$q status"
	assert_eq "$(echo "$BODY" | jq -r '[.total, .hospitals[0].organisation_code] | join(" ")')" "1 $code" "?$q finds the hospital"
done
for q in prefecture=01 language=ko treatment=proton_therapy department=01002 \
	accreditation=JCI accepts=KR q=Sapporo; do
	get "/api/v1/hospitals?$q"
	assert_eq "$(echo "$BODY" | jq -r '.total, (.hospitals | length)' | tr '\n' ' ')" "0 0 " "?$q finds nothing"
done

get "/api/v1/hospitals/$code"
assert_eq "$STATUS" 200 "detail status"
assert_eq "$(echo "$BODY" | jq -r '.listing.name.en')" "Kochi Health Sciences Center" "detail name"
assert_eq "$(echo "$BODY" | jq -r '.history | length')" 1 "history length"
get "/api/v1/hospitals/0110000000"
assert_eq "$STATUS" 404 "unknown hospital"
get "/api/v1/hospitals/12ab"
assert_eq "$STATUS" 400 "malformed code"

while read -r q expect; do
	get "/api/v1/hospitals?$q"
	assert_eq "$STATUS" 400 "?$q status"
	assert_contains "$(echo "$BODY" | jq -r .error)" "$expect" "?$q error names the parameter"
done <<'CASES'
language=xx parameter "language": unknown ISO 639-1 code "xx"
prefecture=48 parameter "prefecture"
treatment=magic parameter "treatment"
department=99999 parameter "department"
accreditation=ISO parameter "accreditation"
accepts=ZZ parameter "accepts"
second_opinion=yes parameter "second_opinion"
limit=0 parameter "limit"
limit=201 parameter "limit"
offset=-1 parameter "offset"
colour=red parameter "colour": unknown parameter
language=en&language=zh given more than once
CASES
get "/nope"
assert_eq "$STATUS" 404 "unknown path"
