#!/usr/bin/env bash
# Issue 15: a case record carries the referral's id, and a visit that
# followed a referral is counted once even when both the coordinator and
# the hospital report it (docs/case-records.md, "Referral ids").
#
# Real hub and spokes over mutual TLS: a coordinator refers a case to
# hospital A; A fetches it and answers acknowledged, visit_scheduled and
# visited (signed statuses).  Each spoke's `inbox` notes the referral in
# its ledger (STATE/referrals.tsv).  Both export a case record of the
# visit with the referral id:
#   - the coordinator's spoke leaves its row out and says so with a count
#     (the hospital's report is authoritative for visits); its other row,
#     a visit no referral links, stays; a coordinator cannot send
#     statistics to the hub anyway (its certificate's role);
#   - the hospital's spoke counts the visit and sends its cells: the hub
#     holds the visit once (episodes and patients of the national cells);
#   - an id the spoke never sent or received (hospital B's export naming
#     A's referral, or an unknown id), or a malformed one, refuses the file
#     naming line and column, and nothing is sent.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/referral_lib.sh"

ref_setup
spoke "$HOSP_A" keys rotate >/dev/null 2>&1 || fail "A keys rotate"
P=$(date -u -d "$(date -u +%Y-%m-15) -1 month" +%Y-%m)
VISIT=$P-10

# 1. The referral, delivered, answered up to visited.
make_package "$WORK/case" "case records" 1
out=$(spoke "$COORD" refer --to "$HOSP_A" --package "$WORK/case" --purpose treatment \
	--nationality VN --age-band 60-69 2>&1) || fail "refer: $out"
ID=$(referral_id "$out")
[ -n "$ID" ] || fail "no referral id in: $out"
assert_eq "$(grep -c "^$ID	sent	sending$" "$WORK/$COORD/state/referrals.tsv")" 1 "refer notes the referral in the coordinator's ledger"
out=$(spoke "$HOSP_A" inbox --fetch "$ID" --out "$WORK/recv" 2>&1) || fail "fetch: $out"
for st in acknowledged "visit_scheduled --visit-date $VISIT" visited; do
	# shellcheck disable=SC2086
	out=$(spoke "$HOSP_A" answer "$ID" --status $st 2>&1) || fail "answer $st: $out"
done
assert_eq "$(sql "SELECT state FROM referrals WHERE referral_id = '$ID'")" visited "the hospital reported the visit"
spoke "$HOSP_A" inbox >/dev/null 2>&1 || fail "A inbox"
spoke "$COORD" inbox >/dev/null 2>&1 || fail "coordinator inbox"
assert_eq "$(grep "^$ID" "$WORK/$HOSP_A/state/referrals.tsv")" "$ID	received	visited" "the hospital's ledger: received, visited"
assert_eq "$(grep "^$ID" "$WORK/$COORD/state/referrals.tsv")" "$ID	sent	visited" "the coordinator's ledger: sent, visited"

HEADER=patient_ref,nationality,age,sex,purpose,icd10,first_visit,outpatient_visits,inpatient_days,charge_jpy,referral_channel,referral_org,remote_second_opinion_first,referral_id
# row REF NATIONALITY ID: one visit of P (ID may be empty).
row() { echo "$1,$2,64,male,treatment,C22.0,$VISIT,2,0,900000,coordinator,$COORD,yes,$3"; }

# 2. The coordinator's export: the referred visit, and a visit to a
# hospital off the channel.
{
	echo "$HEADER"
	row C-0017 VN "$ID"
	row C-0018 TH ""
} >"$WORK/coord.csv"
out=$("$SPOKE_BIN" stats --cases "$WORK/coord.csv" --period "$P" --dry-run \
	--state "$WORK/$COORD/state" 2>"$WORK/coord.err") || fail "coordinator dry run: $(cat "$WORK/coord.err")"
err=$(cat "$WORK/coord.err")
assert_contains "$err" "referrals: 1 episode of $P left out: its referral this organisation sent, which the receiving hospital reported visited; that hospital's statistics count the visit" \
	"the coordinator's dry run leaves the referred visit out, in words, with a count"
assert_contains "$err" "1 in $P (1 cell)" "the coordinator's other visit is counted"
case "$out" in *VN*) fail "the referred visit is in the coordinator's cells: $out" ;; esac
assert_contains "$out" "TH " "the coordinator's cells hold the visit no referral links"
rc=0
out=$(spoke "$COORD" stats --cases "$WORK/coord.csv" --period "$P" 2>&1) || rc=$?
[ "$rc" -ne 0 ] || fail "the hub took a coordinator's statistics: $out"
assert_contains "$out" "case statistics come from hospitals" "a coordinator's spoke sends no statistics: the hospital's report is the national one"
assert_eq "$(sql "SELECT count(*) FROM statistics_submissions")" 0 "a coordinator's statistics never reach the national cells"

# 3. The hospital's export: the referred visit and a direct one.
{
	echo "$HEADER"
	row H-1001 VN "$ID"
	echo "H-1002,US,40,female,health_checkup,Z00.00,$VISIT,1,0,300000,direct,,no,"
} >"$WORK/hosp.csv"
out=$(spoke "$HOSP_A" stats --cases "$WORK/hosp.csv" --period "$P" 2>&1) || fail "hospital stats: $out"
assert_contains "$out" "referrals: 1 episode of $P carries a referral id and is counted here" "the hospital counts the referred visit"
assert_contains "$out" "accepted" "the hub accepts the hospital's statistics"
assert_eq "$(sql "SELECT sum(episodes) || ' ' || sum(patients) FROM statistics_cells WHERE current AND period = '$P-01' AND nationality = 'VN'")" \
	"1 1" "national cells: the referred visit counted once"
assert_eq "$(sql "SELECT sum(episodes) FROM statistics_cells WHERE current AND period = '$P-01'")" 2 \
	"national cells: the hospital's two visits, nothing of the coordinator's"
cells=$(sql "SELECT count(*) FROM statistics_cells")

# The agent reads the same export: with the ledger (--state) it sends the
# same cells again; without, the rows with an id cannot be checked and the
# file is refused, nothing sent.
mkdir -p "$WORK/agent-cases"
cp "$WORK/hosp.csv" "$WORK/agent-cases/cases.csv"
agent() { # OUTBOX [--state DIR]
	local ob=$1
	shift
	"$SPOKE_BIN" run --once --outbox "$ob" --cases-dir "$WORK/agent-cases" --hub "$NNG_URL" \
		--ca "$PKI/ca.pem" --crl "$PKI/crl.pem" --cert "$PKI/issued/$HOSP_A.pem" \
		--key "$PKI/issued/$HOSP_A.key" --timeout 10000 --attempts 2 "$@" 2>&1
}
logged() { sql "SELECT count(*) FROM message_log WHERE sender_id = '$HOSP_A'"; }
before=$(logged)
out=$(agent "$WORK/agent-ob1") || true
assert_contains "$out" "cannot be checked: this run reads no referral ledger" "the agent without --state refuses rows with an id"
assert_eq "$(logged)" "$before" "the agent without --state sends nothing"
out=$(agent "$WORK/agent-ob2" --state "$WORK/$HOSP_A/state") || fail "agent with --state: $out"
[ "$(logged)" -gt "$before" ] || fail "the agent with --state sent nothing: $out"
pass "the agent with --state sends the export"
assert_eq "$(sql "SELECT sum(episodes) || ' ' || sum(patients) FROM statistics_cells WHERE current AND period = '$P-01' AND nationality = 'VN'")" \
	"1 1" "national cells after the agent's run: the referred visit still once"
cells=$(sql "SELECT count(*) FROM statistics_cells")

# 4. Refused: an id hospital B never received, an unknown id, a malformed
# one; each names its line and the column, and nothing is sent.
spoke "$HOSP_B" inbox >/dev/null 2>&1 || fail "B inbox"
{
	echo "$HEADER"
	row B-1 VN "$ID"
} >"$WORK/b.csv"
rc=0
out=$(spoke "$HOSP_B" stats --cases "$WORK/b.csv" --period "$P" 2>&1) || rc=$?
assert_eq "$rc" 1 "hospital B's export naming A's referral is refused"
assert_contains "$out" "line 2: column \"referral_id\": \"$ID\" is not a referral this organisation sent or received" \
	"B: the line, the column and the reason"
{
	echo "$HEADER"
	row H-1001 VN "$ID"
	row H-1003 VN 00000000000000000000000000000000
	row H-1004 VN "${ID^^}"
} >"$WORK/bad.csv"
rc=0
out=$(spoke "$HOSP_A" stats --cases "$WORK/bad.csv" --period "$P" 2>&1) || rc=$?
assert_eq "$rc" 1 "an export with an unknown or malformed id is refused"
assert_contains "$out" "line 3: column \"referral_id\": \"00000000000000000000000000000000\" is not a referral this organisation sent or received" \
	"an unknown id: its line and column"
assert_contains "$out" "line 4: column \"referral_id\": \"${ID^^}\" is not a referral id (32 lowercase hex digits" \
	"a malformed id: its line and column"
assert_eq "$(sql "SELECT count(*) FROM statistics_cells")" "$cells" "nothing of a refused export is stored"
# The id never leaves the spoke: not in the hub's database.
pg_dump -h 127.0.0.1 -p "$IBX_PG_PORT" -U inbound -d "$DB_NAME" --data-only -t statistics_cells \
	-t statistics_submissions >"$WORK/dump.sql"
[ -s "$WORK/dump.sql" ] || fail "no dump"
if grep -q "$ID" "$WORK/dump.sql"; then fail "the referral id reached the hub's statistics"; fi
pass "the referral id is nowhere in the hub's statistics"
