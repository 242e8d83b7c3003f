#!/usr/bin/env bash
# An update makes a new listing version and keeps the old one; publishing an
# identical listing again changes nothing.
. "$(dirname "$0")/lib.sh"
db_create
identity 3910118128
hub_start
code=3910118128

assert_contains "$(publish "$EXAMPLE")" "version 1" "first publish"
assert_contains "$(publish "$EXAMPLE")" "version 1" "identical republish keeps version 1"
edit_json "$EXAMPLE" "$WORK/v2.json" '.beds = 700 | .languages += ["ko"]'
assert_contains "$(publish "$WORK/v2.json")" "version 2" "changed listing"

get "/api/v1/hospitals/$code"
assert_eq "$(echo "$BODY" | jq -r .version)" 2 "current version"
assert_eq "$(echo "$BODY" | jq -r .listing.beds)" 700 "current beds"
assert_eq "$(echo "$BODY" | jq -r '.history | map(.version) | join(",")')" "2,1" "history, newest first"
assert_eq "$(echo "$BODY" | jq -r '.history[1].listing.beds')" 620 "old version kept"
assert_eq "$(echo "$BODY" | jq -r '.history[0].valid_to')" null "current version open"
assert_eq "$(echo "$BODY" | jq -r '.history[1].valid_to != null')" true "old version closed"
get "/api/v1/hospitals?language=ko"
assert_eq "$(echo "$BODY" | jq -r .total)" 1 "search sees the new version"
assert_eq "$(sql "SELECT count(*) FROM listing_versions")" 2 "stored versions"
assert_eq "$(sql "SELECT count(*) FROM listing_versions v JOIN message_log m ON m.id = v.message_id WHERE m.envelope IS NOT NULL")" 2 "each version traces to its envelope"

# Per-field freshness: a field that changed in version 2 dates from it; one
# that did not still dates from version 1.
get "/api/v1/hospitals/$code"
v1=$(echo "$BODY" | jq -r '.history[1].valid_from')
v2=$(echo "$BODY" | jq -r '.history[0].valid_from')
assert_eq "$(echo "$BODY" | jq -r '.field_freshness.beds.changed_at')" "$v2" "beds changed in version 2"
assert_eq "$(echo "$BODY" | jq -r '.field_freshness.treatments.changed_at')" "$v1" "treatments unchanged since version 1"
assert_eq "$(echo "$BODY" | jq -r '.field_freshness.beds.confirmed_at')" "2026-11-01" "confirmed as the hospital says"

# The search row (issue 18, migration 105): arrays and search text as the
# SQL functions compute them from the current document; a version that
# changes no searchable field updates the row in place (HOT), touching no
# index, and the search still finds it.
row_ok="SELECT count(*) FROM hospital_listings WHERE search_text = ibx_listing_search_text(doc)
	AND languages = ibx_text_array(doc->'languages') AND treatments = ibx_text_array(doc->'treatments')
	AND departments = ibx_text_array(doc->'departments')
	AND accepts_countries = ibx_text_array(doc->'accepts_countries')"
assert_eq "$(sql "$row_ok")" 1 "search row matches version 2"
hot0=$(sql "SELECT n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'hospital_listings'")
edit_json "$WORK/v2.json" "$WORK/v3.json" '.beds = 701'
assert_contains "$(publish "$WORK/v3.json")" "version 3" "beds only"
assert_eq "$(sql "SELECT beds FROM hospital_listings") $(sql "$row_ok")" "701 1" "search row at version 3"
# the hub's backend reports its statistics when idle (within about 10 s)
hot1=$hot0
for _ in $(seq 1 60); do
	hot1=$(sql "SELECT n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'hospital_listings'")
	[ "$hot1" -gt "$hot0" ] && break
	sleep 0.5
done
assert_eq "$([ "$hot1" -gt "$hot0" ] && echo hot || echo "not hot ($hot0 -> $hot1)")" hot "beds-only version is a heap-only update"
get "/api/v1/hospitals?language=ko"
assert_eq "$(echo "$BODY" | jq -r '.total') $(echo "$BODY" | jq -r '[.. | objects | .beds? // empty] | index(701) != null')" "1 true" "search sees version 3"
edit_json "$WORK/v3.json" "$WORK/v4.json" '.name.en = "Renamed Example Hospital"'
assert_contains "$(publish "$WORK/v4.json")" "version 4" "renamed"
assert_eq "$(sql "SELECT search_text LIKE '%renamed example hospital%' FROM hospital_listings") $(sql "$row_ok")" "t 1" "search text follows the name"
