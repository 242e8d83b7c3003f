#!/usr/bin/env bash
# Issue 14, finding 5 (listings): an e-mail address with a query part
# ("?bcc=...") became a clickable mailto: link with hidden recipients on the
# hospital's page.  The rule is in proto/domain (ibx_check_contact): the
# spoke refuses to send such a listing and the hub refuses to store one,
# naming the field.
. "$(dirname "$0")/../integration/lib.sh"
db_create
H=3910118128
identity $H
hub_start
for email in 'intl@hospital.example?bcc=spy@evil.example' 'intl@hospital.example,spy@evil.example' \
	'intl@hospital.example%3Fbcc=spy@evil.example' 'intl@hospital.example#x'; do
	edit_json "$EXAMPLE" "$WORK/m.json" ".international_contact.email = \"$email\""
	set +e
	out=$(publish "$WORK/m.json")
	rc=$?
	set -e
	[ "$rc" -ne 0 ] || fail "the spoke sent a listing with email $email"
	assert_contains "$out" "international_contact.email" "spoke: $email refused, the field named"
	forge "$WORK/m.env" $H --listing "$WORK/m.json" --seq $(($(date +%s%N) / 1000))
	out=$(send "$WORK/m.env")
	assert_contains "$out" "status=invalid" "hub: $email refused"
	assert_contains "$out" 'field "international_contact.email"' "hub: the field is named"
done
assert_eq "$(sql "SELECT count(*) FROM hospital_listings")" 0 "nothing stored"
# A plain address is still fine.
edit_json "$EXAMPLE" "$WORK/ok.json" '.international_contact.email = "intl+jp@hospital.example"'
assert_contains "$(publish "$WORK/ok.json")" "accepted" "a plain address (with +) is accepted"
