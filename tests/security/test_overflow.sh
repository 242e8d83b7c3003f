#!/usr/bin/env bash
# Issue 14, finding 3: one hospital must not block the statistics of its
# roll-up shard.  The attack: a submission with charge_jpy near the int64
# maximum overflowed the shard's bigint roll-up, and the hub answered
# "retry later" to every hospital of the shard, for ever.  Now the hub
# refuses values above the bounds of proto/domain/statistics.h (per cell
# and summed over the submission) as final, the roll-ups are numeric, and
# a deterministic database error is a final refusal with its reason while
# a neighbour in the same shard is accepted.
. "$(dirname "$0")/../integration/lib.sh"
db_create
A=3910118128
# A neighbour in A's roll-up shard (ibx_statistics_shard).
B=$(sql "SELECT c FROM (SELECT (3910110000 + g)::text AS c FROM generate_series(0, 9999) g) x
	WHERE ibx_statistics_shard(c) = ibx_statistics_shard('$A') AND c <> '$A' LIMIT 1")
[ -n "$B" ] || fail "no neighbour code in A's shard"
identity $A
identity $B
hub_start
P=$(date -u +%Y-%m)
stats_file() { # OUT CODE CHARGE [CHARGE2]: one cell (two with CHARGE2)
	jq -n --arg code "$2" --arg p "$P" --argjson c "$3" --argjson c2 "${4:-null}" '
	  def cell($n; $ch): {nationality:$n, purpose:"treatment", icd10:"2", age_band:"50-59",
	    sex:"female", referral_channel:"direct", referral_org:"",
	    remote_second_opinion_first:"no", medical_stay_visa:"yes", patients:1, episodes:1,
	    inpatient_episodes:1, outpatient_visits:1, inpatient_days:3, charge_jpy:$ch};
	  {organisation_code:$code, period:$p,
	   cells:([cell("CN"; $c)] + (if $c2 == null then [] else [cell("VN"; $c2)] end))}' >"$1"
}
submit() { # CODE FILE: forge with CODE's key, send; prints the Ack
	forge "$WORK/s.env" "$1" --stats "$2" --seq $(($(date +%s%N) / 1000))
	send "$WORK/s.env"
}
stored() { sql "SELECT count(*) FROM statistics_cells WHERE org_code = '$1'"; }

# 1. The attack itself: charge_jpy = 2^63 - 1 in one cell.
# (jq holds numbers as doubles: the exact value is put in by sed.)
stats_file "$WORK/huge.json" $A 7777777
sed -i 's/7777777/9223372036854775807/' "$WORK/huge.json"
out=$(submit $A "$WORK/huge.json")
assert_contains "$out" "status=invalid" "int64-maximum charge refused as final (not retry_later)"
assert_contains "$out" 'cells[0].charge_jpy' "the refusal names the field"
assert_contains "$out" "above the bound 10000000000000" "and the bound"
assert_eq "$(stored $A)" 0 "nothing stored for the refused submission"

# 2. Every cell within its bound, their sum above it.
stats_file "$WORK/sum.json" $A 10000000000000 10000000000000
out=$(submit $A "$WORK/sum.json")
assert_contains "$out" "status=invalid" "a submission whose sum is above the bound is refused"
assert_contains "$out" "sum of charge_jpy over the submission 20000000000000" "the sum is named"

# 3. The neighbour, in the same shard, is accepted.
stats_file "$WORK/b.json" $B 18000000
assert_contains "$(submit $B "$WORK/b.json")" "status=accepted" "neighbour in the same shard accepted"

# 4. Roll-ups cannot overflow: the shard's sum already near 2^63 (as the
# attack left it before), and the next submissions still add up.
sql "UPDATE statistics_rollup SET charge_jpy = 9223372036854775000
	WHERE shard = ibx_statistics_shard('$B')" >/dev/null
stats_file "$WORK/a.json" $A 10000000000000
assert_contains "$(submit $A "$WORK/a.json")" "status=accepted" "a submission at the bound is accepted"
total=$(sql "SELECT charge_jpy FROM statistics_rollup r JOIN statistics_rollup_sets s ON s.id = r.set_id
	WHERE s.grain = 'all' AND s.dims = 0 AND r.shard = ibx_statistics_shard('$B')")
assert_eq "$total" 9223382036854775000 "the shard's roll-up holds more than 2^63 (numeric)"

# 5. A deterministic database error is final, with its SQLSTATE, and does
# not block the shard: a constraint that refuses A's next submission.
sql "ALTER TABLE statistics_submissions ADD CONSTRAINT test_refuse_a
	CHECK (org_code <> '$A' OR period <> '$P-01'::date OR n_cells <> 2)" >/dev/null
stats_file "$WORK/a2.json" $A 100 200
out=$(submit $A "$WORK/a2.json")
assert_contains "$out" "status=invalid" "a constraint violation is a final refusal"
assert_contains "$out" "SQLSTATE 23514" "with its SQLSTATE"
stats_file "$WORK/b2.json" $B 19000000
assert_contains "$(submit $B "$WORK/b2.json")" "status=accepted" "the neighbour is still accepted"
assert_eq "$(sql "SELECT outcome FROM message_log WHERE sender_id = '$A' ORDER BY id DESC LIMIT 1")" invalid \
	"the refusal is in the message log"

# 6. The hub is still serving.
hub_alive || fail "hub died"
