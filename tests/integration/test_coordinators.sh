#!/usr/bin/env bash
# Certified coordinators publish their own listings through their spokes
# (the certificate's role says which kind of listing it is), and every role
# can search them; an expired certification drops out of search; a
# hospital cannot publish a coordinator listing nor the reverse.
. "$(dirname "$0")/lib.sh"
db_create
hub_start
"$DATAGEN_BIN" coordinators --out "$WORK/coord" --count 6 --seed 3 2>/dev/null
for f in "$WORK"/coord/*.json; do
	code=$(basename "$f" .json)
	identity "$code" coordinator
	assert_contains "$(publish "$f")" "accepted as version 1" "coordinator $code publishes its listing"
done
identity 3910118128
edit_json "$WORK/coord/9010000001.json" "$WORK/old.json" '.certification_expires = "2020-01-01" | .confirmed_at = "2026-01-01"'
assert_contains "$(publish "$WORK/old.json")" "accepted as version 2" "an update makes version 2"

for role in coordinator hospital ministry; do
	t=$(token "$role" $([ "$role" = hospital ] && echo --org 3910118128))
	get "/api/v1/coordinators" "$t"
	assert_eq "$STATUS" 200 "$role searches coordinators"
done
today=$(date -u +%F)
valid() { jq -r --arg t "$today" "select(.certification_expires >= \$t and .organisation_code != \"9010000001\") | select($1) | .organisation_code" "$WORK"/coord/*.json | sort | tr '\n' ' '; }
get "/api/v1/coordinators"
assert_eq "$(echo "$BODY" | jq -r '[.coordinators[].organisation_code] | join(" ")') " "$(valid true)" "expired certifications are left out"
want=$(valid '.languages | index("zh")')
get "/api/v1/coordinators?language=zh"
assert_eq "$(echo "$BODY" | jq -r '[.coordinators[].organisation_code] | join(" ")') " "$want" "language filter"
want=$(valid '(.countries_served | index("CN")) and (.services | index("interpreting"))')
get "/api/v1/coordinators?country=CN&service=interpreting"
assert_eq "$(echo "$BODY" | jq -r '[.coordinators[].organisation_code] | join(" ")') " "$want" "country and service filters"
get "/api/v1/coordinators?service=limousine"
assert_eq "$STATUS" 400 "unknown service refused"

# Crossed kinds are refused by the spoke before sending.
set +e
out=$(publish "$WORK/coord/9010000002.json" --cert "$PKI/issued/3910118128.pem" --key "$PKI/issued/3910118128.key")
rc1=$?
edit_json "$EXAMPLE" "$WORK/h.json" '.organisation_code = "9010000002"'
out2=$(publish "$WORK/h.json")
rc2=$?
set -e
assert_eq "$rc1 $rc2" "1 1" "a hospital cannot send a coordinator listing, nor a coordinator a hospital listing"
assert_contains "$out2" 'unknown field' "the coordinator's spoke names the fields it does not know"
assert_eq "$(sql "SELECT count(*) FROM coordinator_listings") $(sql "SELECT count(*) FROM hospital_listings")" "6 0" "nothing crossed was stored"
