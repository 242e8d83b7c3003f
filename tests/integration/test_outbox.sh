#!/usr/bin/env bash
# The spoke's durable outbox (docs/spoke-agent.md): with no hub, publish
# --outbox and stats --outbox exit 3 and keep the envelope; run --once (or
# the next publish/stats --outbox) delivers what waits,
# in sequence order, exactly once; a refusal moves the envelope to
# rejected/ with its reason; status shows all of it; the agent seals only
# what changed, sends a case-record export as one submission per period,
# keeps the outbox to itself, stops cleanly on SIGTERM, and with --nil-from
# reports each closed month without a row nil, once.
. "$(dirname "$0")/lib.sh"
db_create
H=3910118128
identity $H >/dev/null
OB=$WORK/outbox
AGENT=
# Stop the daemon this test may have left running, then lib.sh's cleanup.
trap '[ -z "$AGENT" ] || kill -KILL "$AGENT" 2>/dev/null || true; ibx_cleanup' EXIT
NET=(--insecure-tcp --cert "$PKI/issued/$H.pem" --key "$PKI/issued/$H.key" --timeout 2000 --attempts 1)

# spoke ARGS: run inbound-spoke; sets OUT (stdout and stderr) and RC.
spoke() {
	set +e
	OUT=$("$SPOKE_BIN" "$@" 2>&1)
	RC=$?
	set -e
}
pending() { find "$1/pending" -name '*.env' | wc -l; }
rejected() { find "$1/rejected" -name '*.env' | wc -l; }
seqs() { find "$1/pending" -name '*.env' -printf '%f\n' | sort | sed 's/\.env$//; s/^0*//'; }
accepted() { sql "SELECT count(*) FROM message_log WHERE sender_id = '$H' AND sequence = $1 AND outcome = 'accepted'"; }

# No hub answers: the listing waits in the outbox, twice, in order.
DOWN=tcp://127.0.0.1:$(ibx_free_port)
spoke publish --hub "$DOWN" --listing "$EXAMPLE" --outbox "$OB" "${NET[@]}"
assert_eq "$RC" 3 "publish with no hub exits 3"
assert_contains "$OUT" "the listing waits in the outbox" "publish says the listing waits"
edit_json "$EXAMPLE" "$WORK/v2.json" '.name.en = "Kochi Health Sciences Center (v2)"'
spoke publish --hub "$DOWN" --listing "$WORK/v2.json" --outbox "$OB" "${NET[@]}"
assert_eq "$RC" 3 "second publish with no hub exits 3"
assert_eq "$(pending "$OB")" 2 "two envelopes pending"
mapfile -t S < <(seqs "$OB")
[ "${S[0]}" -lt "${S[1]}" ] || fail "sequences not increasing: ${S[*]}"
pass "sequences increase: ${S[*]}"
spoke status --outbox "$OB"
assert_eq "$RC" 0 "status exits 0"
assert_contains "$OUT" "pending: 2" "status shows the depth"
assert_contains "$OUT" "no answer from any hub" "status shows the last error"
assert_contains "$OUT" "$(printf '%020d' "${S[0]}").env" "status lists the pending envelopes"
assert_eq "$(jq -r '.pending, .last_error.message != null' "$OB/status.json" | tr '\n' ' ')" "2 true " "status.json: depth and error"

# A hub comes up: run --once (no sources: it only drains) delivers both in
# order, each accepted once, and the outbox ends empty.
hub_start
spoke run --once --outbox "$OB" --hub "$NNG_URL" "${NET[@]}"
assert_eq "$RC" 0 "run --once exits 0 once the outbox is empty"
assert_eq "$(pending "$OB")" 0 "outbox empty"
assert_eq "$(accepted "${S[0]}") $(accepted "${S[1]}")" "1 1" "each stored exactly once"
assert_eq "$(sql "SELECT version, doc->'name'->>'en' FROM listing_versions WHERE org_code = '$H' AND valid_to IS NULL")" \
	"2|Kochi Health Sciences Center (v2)" "the later listing is current (sent in order)"
spoke status --outbox "$OB"
assert_contains "$OUT" "pending: 0" "status: nothing pending"
assert_contains "$OUT" "last ack: sequence ${S[1]} accepted" "status: the last Ack"
assert_eq "$(jq -r '.last_ack.sequence, .last_ack.status' "$OB/status.json" | tr '\n' ' ')" "${S[1]} accepted " "status.json: last Ack"

# With a hub up, publish --outbox behaves as publish, and leaves nothing.
edit_json "$EXAMPLE" "$WORK/v3.json" '.name.en = "Kochi Health Sciences Center (v3)"'
spoke publish --hub "$NNG_URL" --listing "$WORK/v3.json" --outbox "$OB" "${NET[@]}"
assert_eq "$RC" 0 "publish --outbox exits 0"
assert_contains "$OUT" "accepted as version 3" "publish --outbox reports the version"
assert_eq "$(pending "$OB")" 0 "outbox empty after publish"
# Without --outbox nothing changes either (the old path).
spoke publish --hub "$NNG_URL" --listing "$WORK/v3.json" "${NET[@]}"
assert_contains "$OUT" "accepted as version 3" "publish without --outbox: unchanged listing, same version"

# A refusal for good: a certificate the hub never enrolled.
U=3910110438
"$IBX_SOURCE/deploy/pki/issue.sh" "$PKI" $U hospital >/dev/null
edit_json "$EXAMPLE" "$WORK/u.json" ".organisation_code = \"$U\""
OB2=$WORK/outbox-unenrolled
spoke publish --hub "$NNG_URL" --listing "$WORK/u.json" --outbox "$OB2" --insecure-tcp \
	--cert "$PKI/issued/$U.pem" --key "$PKI/issued/$U.key" --timeout 2000 --attempts 1
assert_eq "$RC" 1 "refused publish exits 1"
assert_contains "$OUT" "hub refused the listing" "publish says why"
assert_eq "$(pending "$OB2") $(rejected "$OB2")" "0 1" "the envelope moved to rejected/"
reason=$(cat "$OB2"/rejected/*.reason)
assert_contains "$reason" "status: bad certificate" "the reason file has the Ack status"
assert_contains "$reason" "error: " "the reason file has the Ack error"
spoke status --outbox "$OB2"
assert_contains "$OUT" "rejected: 1" "status counts rejected envelopes"
assert_contains "$OUT" "bad certificate: " "status lists the rejection with its reason"

# The agent: a listing and a case-record export folder, one pass each.
P=$(date -u +%Y-%m)
P2=$(date -u -d "$(date -u +%Y-%m-15) -1 month" +%Y-%m)
CASES=$WORK/cases
mkdir -p "$CASES"
{
	echo "patient_ref,nationality,age,sex,purpose,icd10,first_visit,outpatient_visits,inpatient_days,charge_jpy,referral_channel,remote_second_opinion_first"
	echo "P1,CN,50,male,treatment,C16.9,$P-02,1,0,100000,direct,no"
	echo "P2,VN,61,female,health_checkup,Z00.00,$P-03,1,0,50000,direct,no"
	echo "P3,US,45,female,treatment,I21.9,$P2-11,2,5,900000,doctor,yes"
} >"$CASES/.export.tmp"
mv "$CASES/.export.tmp" "$CASES/export.csv"

# stats --outbox: a month of statistics waits while no hub answers, and the
# next stats --outbox sends it first, then its own.
spoke stats --cases "$CASES/export.csv" --period "$P2" --outbox "$OB" --hub "$DOWN" "${NET[@]}"
assert_eq "$RC" 3 "stats --outbox with no hub exits 3"
assert_contains "$OUT" "the statistics wait in the outbox" "stats says the statistics wait"
assert_eq "$(pending "$OB")" 1 "the statistics are pending"
waiting=$(seqs "$OB")
spoke stats --cases "$CASES/export.csv" --period "$P" --outbox "$OB" --hub "$NNG_URL" "${NET[@]}"
assert_eq "$RC" 0 "stats --outbox exits 0"
assert_contains "$OUT" "statistics for $P accepted" "stats --outbox reports its own Ack"
assert_contains "$OUT" "envelope $waiting left from before: accepted" "and the one that waited"
assert_eq "$(pending "$OB") $(accepted "$waiting")" "0 1" "outbox empty, the waiting one stored once"

cp "$WORK/v3.json" "$WORK/watched.json"
OB3=$WORK/outbox-agent
before=$(sql "SELECT count(*) FROM message_log WHERE outcome = 'accepted'")
RUN=(run --outbox "$OB3" --listing "$WORK/watched.json" --cases-dir "$CASES" --hub "$NNG_URL" "${NET[@]}")
spoke "${RUN[@]}" --once
assert_eq "$RC" 0 "agent pass exits 0"
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE outcome = 'accepted'")" $((before + 3)) "listing and two periods accepted"
assert_eq "$(sql "SELECT string_agg(to_char(period, 'YYYY-MM'), ' ' ORDER BY period) FROM statistics_submissions WHERE org_code = '$H' AND superseded_at IS NULL")" \
	"$P2 $P" "one submission per period of the export"
assert_eq "$(pending "$OB3")" 0 "agent outbox empty"
spoke "${RUN[@]}" --once
assert_eq "$RC" 0 "second pass exits 0"
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE outcome = 'accepted'")" $((before + 3)) "nothing changed: nothing sent"
touch "$WORK/watched.json"
spoke "${RUN[@]}" --once
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE outcome = 'accepted'")" $((before + 3)) "a touched listing is not sent again"

# An invalid listing is refused by the agent (exit 1), nothing sealed.
edit_json "$EXAMPLE" "$WORK/watched.json" '.languages += ["xx"]'
spoke "${RUN[@]}" --once
assert_eq "$RC" 1 "an invalid listing: exit 1"
assert_contains "$OUT" "listing refused" "the agent says why"
assert_eq "$(pending "$OB3")" 0 "nothing sealed from an invalid listing"

# An export with a bad row is refused whole (exit 1), and is not read
# again until it changes.
stats_msgs() { sql "SELECT count(*) FROM message_log WHERE sender_id = '$H' AND payload_type = 3"; }
before=$(stats_msgs)
{
	head -1 "$CASES/export.csv"
	echo "B1,CN,50,x,treatment,C16.9,$P2-04,1,0,100000,direct,no"
	echo "B2,CN,50,male,treatment,C16.9,$P-04,1,0,100000,direct,no"
} >"$CASES/bad.csv"
spoke "${RUN[@]}" --once
assert_eq "$RC" 1 "an export with a bad row: exit 1"
assert_contains "$OUT" "bad.csv: bad row: line 2: column \"sex\"" "the agent logs the bad row"
assert_eq "$(pending "$OB3") $(stats_msgs)" "0 $before" "nothing sealed from the refused export"
spoke "${RUN[@]}" --once
assert_eq "$RC" 0 "refused sources unchanged: exit 0"
rm "$CASES/bad.csv"

# The daemon: sends a change within a few seconds, keeps the outbox to
# itself, stops on SIGTERM with exit 0.
cp "$WORK/v2.json" "$WORK/watched.json"
"$SPOKE_BIN" "${RUN[@]}" --interval 1 >>"$WORK/agent.log" 2>&1 &
AGENT=$!
for i in $(seq 1 100); do
	[ "$(sql "SELECT doc->'name'->>'en' FROM listing_versions WHERE org_code = '$H' AND valid_to IS NULL")" = \
		"Kochi Health Sciences Center (v2)" ] && break
	sleep 0.1
done
assert_eq "$(sql "SELECT doc->'name'->>'en' FROM listing_versions WHERE org_code = '$H' AND valid_to IS NULL")" \
	"Kochi Health Sciences Center (v2)" "the daemon published the changed listing"
spoke publish --hub "$NNG_URL" --listing "$WORK/v3.json" --outbox "$OB3" "${NET[@]}"
assert_eq "$RC" 1 "a second process on the same outbox exits 1"
assert_contains "$OUT" "in use by another inbound-spoke process" "and says why"
# A changed export is sent again, every period of it: the hub stores the
# unchanged one as unchanged and replaces the other.
before=$(sql "SELECT count(*) FROM message_log WHERE outcome = 'accepted' AND payload_type = 3")
echo "P4,KR,30,male,treatment,C16.9,$P-05,1,0,70000,direct,no" >>"$CASES/export.csv"
for i in $(seq 1 100); do
	[ "$(sql "SELECT count(*) FROM message_log WHERE outcome = 'accepted' AND payload_type = 3")" -ge $((before + 2)) ] && break
	sleep 0.1
done
assert_eq "$(sql "SELECT count(*) FROM message_log WHERE outcome = 'accepted' AND payload_type = 3")" $((before + 2)) "a changed export is sent again (both periods)"
assert_eq "$(sql "SELECT n_cells FROM statistics_submissions WHERE org_code = '$H' AND superseded_at IS NULL AND period = '$P-01'")" 3 "the period's submission has the new row"
kill -TERM "$AGENT"
t0=$(date +%s%N)
set +e
wait "$AGENT"
rc=$?
set -e
AGENT=
assert_eq "$rc" 0 "the daemon exits 0 on SIGTERM"
[ $((($(date +%s%N) - t0) / 1000000)) -lt 3000 ] || fail "the daemon took over 3 s to stop"
pass "the daemon stopped within 3 s"
assert_eq "$(jq -r '.pending' "$OB3/status.json")" 0 "status.json after the daemon: nothing pending"

# Nil reports (--nil-from): each closed month from then on that no export
# has a row for is reported nil, once; a month with rows is not, nor the
# current month.
N1=$(date -u -d "$(date -u +%Y-%m-15) -3 month" +%Y-%m)
N2=$(date -u -d "$(date -u +%Y-%m-15) -2 month" +%Y-%m)
OB4=$WORK/outbox-nil
NIL=(run --once --outbox "$OB4" --cases-dir "$CASES" --nil-from "$N1" --hub "$NNG_URL" "${NET[@]}")
spoke "${NIL[@]}"
assert_eq "$RC" 0 "agent pass with --nil-from exits 0"
assert_eq "$(sql "SELECT string_agg(to_char(period, 'YYYY-MM'), ' ' ORDER BY period) FROM statistics_submissions WHERE org_code = '$H' AND superseded_at IS NULL AND nil_report")" \
	"$N1 $N2" "nil reports for the closed months without rows, and only those"
assert_eq "$(grep -c ' nil/' "$OB4/agent.state")" 3 "three closed months decided in agent.state"
assert_contains "$(cat "$OB4/agent.state")" "rows nil/$P2" "the month with rows is recorded as such"
before=$(stats_msgs)
spoke "${NIL[@]}"
assert_eq "$RC $(stats_msgs)" "0 $before" "a second pass sends no nil report again"
spoke run --once --outbox "$OB4" --nil-from 2024-13 --cases-dir "$CASES" --hub "$NNG_URL" "${NET[@]}"
assert_eq "$RC" 2 "--nil-from with a bad month: exit 2"
spoke run --once --outbox "$OB4" --nil-from "$N1" --hub "$NNG_URL" "${NET[@]}"
assert_eq "$RC" 2 "--nil-from without --cases-dir: exit 2"
assert_contains "$OUT" "--nil-from needs --cases-dir" "and says why"
