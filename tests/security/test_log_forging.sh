#!/usr/bin/env bash
# Issue 14, finding 5 (message log): the hub recorded the sender named in
# the unverified header and logged it raw.  The attacks, as reproduced:
# a newline in sender_id forged a log line; a non-UTF-8 sender_id made the
# refusal's log write fail, so it was not logged at all.  Now the message
# log names the VERIFIED certificate's organisation (an unverified claim
# is kept, escaped, as a claim), every log line is escaped, and every
# refusal is logged.
. "$(dirname "$0")/../integration/lib.sh"
db_create
A=3910118128
B=3910110438
identity $A
identity $B
hub_start
refusals() { sql "SELECT count(*) FROM message_log WHERE status <> 1"; }

# 1. A newline in the header's sender forges no log line.
forged=$'X\n2026 info FORGED'
forge "$WORK/nl.env" $A --listing "$EXAMPLE" --sender "$forged" --seq 1
out=$(send "$WORK/nl.env")
assert_contains "$out" "status=sender does not match" "a forged sender is refused"
sleep 0.2
if grep -q '^2026 info FORGED' "$WORK/hub.log"; then
	fail "a newline in sender_id forged a log line: $(grep -n FORGED "$WORK/hub.log")"
fi
assert_contains "$(grep 'FORGED' "$WORK/hub.log")" 'X\x0a2026 info FORGED' \
	"the newline is logged escaped, on the refusal's own line"
assert_eq "$(sql "SELECT coalesce(sender_id, 'NULL') FROM message_log ORDER BY id DESC LIMIT 1")" NULL \
	"the message log names no organisation for an unverified sender"
assert_contains "$(sql "SELECT reason FROM message_log ORDER BY id DESC LIMIT 1")" \
	'(claimed sender "X\x0a2026 info FORGED", not verified)' "the claim is kept, escaped"

# 2. A non-UTF-8 sender: the refusal is logged (it was lost before).
n=$(refusals)
forge "$WORK/bin.env" $A --listing "$EXAMPLE" --sender $'\xff\xfe39' --seq 2
assert_contains "$(send "$WORK/bin.env")" "status=sender does not match" "a non-UTF-8 sender is refused"
assert_eq "$(refusals)" $((n + 1)) "and the refusal is in the message log"
assert_contains "$(sql "SELECT reason FROM message_log ORDER BY id DESC LIMIT 1")" '\xff\xfe39' "its claim escaped"
assert_contains "$(grep -a 'claimed' "$WORK/hub.log" | tail -1)" '\xff\xfe39' "and in the hub's log, escaped"

# 3. Signed by B, claiming to be A: the log names neither as the sender.
forge "$WORK/ab.env" $B --listing "$EXAMPLE" --sender $A --seq 3
assert_contains "$(send "$WORK/ab.env")" "status=sender does not match" "B's certificate claiming A is refused"
assert_eq "$(sql "SELECT coalesce(sender_id, 'NULL') FROM message_log ORDER BY id DESC LIMIT 1")" NULL \
	"A is not recorded as the sender of B's envelope"

# 4. A verified sender's refusal is recorded under its organisation.
edit_json "$EXAMPLE" "$WORK/bad.json" '.languages += ["xx"]'
forge "$WORK/bad.env" $A --listing "$WORK/bad.json" --seq 4
assert_contains "$(send "$WORK/bad.env")" "status=invalid" "an invalid listing from A"
assert_eq "$(sql "SELECT sender_id FROM message_log ORDER BY id DESC LIMIT 1")" $A "recorded under A, verified"
assert_contains "$(grep "intake: invalid from $A" "$WORK/hub.log")" "seq 4" "logged under the verified organisation"

# 5. Every refusal above is logged, one line each.
assert_eq "$(grep -c 'intake: ' "$WORK/hub.log")" "$(refusals)" "one log line per refusal"
