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
