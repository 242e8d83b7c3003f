#!/usr/bin/env bash
# The audit trail's group commit (hub/api/audit.c): calls arriving together
# share a transaction, yet every call answered is in the chain, in one
# order that verifies, and a call is answered only once its entry is
# committed.
. "$(dirname "$0")/lib.sh"
db_create
hub_start --http-per-ip 256 # the clients below, each call its own connection
coord=$(token coordinator)
before=$(sql "SELECT count(*) FROM audit_log")

# 24 clients at once, 10 calls each, on their own connections
clients=24 calls=10
seq 1 $((clients * calls)) | xargs -P "$clients" -I{} curl -sS -o /dev/null -w '%{http_code}\n' \
	-H "Authorization: Bearer $coord" "$API/api/v1/hospitals?language=en&offset={}" >"$WORK/codes"
assert_eq "$(sort -u "$WORK/codes" | tr '\n' ' ')" "200 " "every call answered"
after=$(sql "SELECT count(*) FROM audit_log")
assert_eq "$((after - before))" "$((clients * calls))" "every answered call audited"
# one limit per call: none lost, none twice
assert_eq "$(sql "SELECT count(DISTINCT params) FROM audit_log WHERE path = '/api/v1/hospitals'")" \
	"$((clients * calls))" "each call's own entry"
# entries of one transaction share its xmin: some calls were committed together
groups=$(sql "SELECT count(DISTINCT xmin::text) FROM audit_log WHERE path = '/api/v1/hospitals'")
[ "$groups" -lt $((clients * calls)) ] || fail "no two entries shared a commit ($groups transactions)"
pass "$((clients * calls)) entries in $groups transactions"
assert_contains "$("$CTL_BIN" audit verify --db "$DSN")" "audit chain intact: $after entries" "the chain verifies"

# Answered only once committed: each call's entry is there when it returns.
for i in 1 2 3 4 5; do
	get "/api/v1/hospitals?offset=$((1000 + i))" "$coord"
	assert_eq "$(sql "SELECT count(*) FROM audit_log WHERE params = 'offset=$((1000 + i))'")" 1 "call $i committed before its answer"
done
