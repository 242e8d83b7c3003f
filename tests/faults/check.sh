#!/usr/bin/env bash
# The fault-injection checker (tests/faults/run.sh): compares what every
# spoke was told the hub stored with what the hub's database holds.
#
#   check.sh --work DIR --port PGPORT --build DIR [--rounds N] [--seed N]
#            [--kills TEXT] [--report FILE] CODE...
#
# For each hospital CODE, DIR/spoke/CODE holds the agent's outbox (with
# acknowledged.log, spoke/delivery/journal.h), its listing.json and its cases/
# folder as they were last written.  PGPASSWORD must be set; the database
# is "inbound" on 127.0.0.1:PGPORT.  It prints a report (also to FILE) and
# exits 1 unless:
#   lost 0         every acknowledged envelope is in the message log as
#                  accepted, with the same SHA-256, and its data is there
#                  (the listing version the Ack named; a statistics
#                  submission, or the log's "unchanged" note);
#   duplicated 0   no (sender, sequence) and no envelope stored twice, no
#                  message behind two submissions;
#   unacknowledged 0  nothing stored that its spoke was not told of;
#   statistics     every (hospital, period)'s current cells equal both the
#                  spoke's last acknowledged submission for the period
#                  (cells, patients, JPY) and what the spoke makes of the
#                  period's last export (inbound-spoke stats --dry-run);
#   listings       every current listing is the version the spoke was last
#                  told of and carries the last file's bed count;
#   outboxes       nothing left pending, nothing rejected.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=? seed=? kills=? report= work= port= build=
while [ $# -gt 0 ]; do
	case "$1" in
	--work) work=$2; shift 2 ;;
	--port) port=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	--kills) kills=$2; shift 2 ;;
	--report) report=$2; shift 2 ;;
	--) shift; break ;;
	-*) echo "check: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ -n "$work" ] && [ -n "$port" ] && [ -n "$build" ] && [ $# -gt 0 ] ||
	{ sed -n '4,6p' "$0" >&2; exit 2; }
SPOKE=$build/spoke/inbound-spoke
t=$(mktemp -d /tmp/ibx-check.XXXXXX)
trap 'rm -rf "$t"' EXIT

# What the spokes say: their journals, their last exports and listings.
pending=0 rejected=0
: >"$t/journal.tsv" && : >"$t/stats.tsv" && : >"$t/listings.tsv"
for code in "$@"; do
	d=$work/spoke/$code
	# Whole lines only: a line cut short has fewer than 10 fields.
	[ ! -f "$d/outbox/acknowledged.log" ] ||
		awk -F'\t' -v c="$code" 'NF == 10 { print c "\t" $0 }' "$d/outbox/acknowledged.log" >>"$t/journal.tsv"
	pending=$((pending + $(find "$d/outbox/pending" -name '*.env' 2>/dev/null | wc -l)))
	rejected=$((rejected + $(find "$d/outbox/rejected" -name '*.env' 2>/dev/null | wc -l)))
	printf '%s\t%s\n' "$code" "$(jq -r .beds "$d/listing.json")" >>"$t/listings.tsv"
	for f in "$d"/cases/*.csv; do
		[ -e "$f" ] || continue
		period=$(basename "$f" .csv)
		"$SPOKE" stats --cases "$f" --period "$period" --dry-run --format json 2>/dev/null |
			jq -r --arg c "$code" --arg p "$period" \
				'[$c, $p + "-01", (.cells | length), (.cells | map(.patients) | add // 0), (.cells | map(.charge_jpy) | add // 0)] | @tsv' \
				>>"$t/stats.tsv"
	done
done

psql -h 127.0.0.1 -p "$port" -U inbound -d inbound -qtAX -v ON_ERROR_STOP=1 \
	-F $'\t' >"$t/result.tsv" <<SQL
CREATE TEMP TABLE journal (sender text, seq bigint, status text, payload text,
	period text, cells bigint, patients bigint, charge bigint, version int,
	digest text, acked_at bigint);
CREATE TEMP TABLE expected_stats (sender text, period date, cells bigint,
	patients bigint, charge bigint);
CREATE TEMP TABLE expected_listing (sender text, beds int);
\copy journal FROM '$t/journal.tsv'
\copy expected_stats FROM '$t/stats.tsv'
\copy expected_listing FROM '$t/listings.tsv'
-- one row per acknowledged envelope: its last line
CREATE TEMP VIEW acked AS
	SELECT DISTINCT ON (sender, seq) * FROM journal ORDER BY sender, seq, acked_at DESC;
CREATE TEMP VIEW stored AS
	SELECT m.* FROM message_log m
	WHERE m.outcome = 'accepted' AND m.sender_id IN (SELECT sender FROM expected_listing);
SELECT 'envelopes', count(*) FROM acked;
SELECT 'listings', count(*) FROM acked WHERE payload = 'hospital_listing';
SELECT 'statistics', count(*) FROM acked WHERE payload = 'case_statistics';
SELECT 'duplicate_acks', count(*) FROM acked WHERE status = 'duplicate';
SELECT 'lost', count(*) FROM acked a WHERE NOT EXISTS (
	SELECT 1 FROM stored m WHERE m.sender_id = a.sender AND m.sequence = a.seq
	AND encode(m.digest, 'hex') = a.digest
	AND CASE a.payload
	WHEN 'hospital_listing' THEN EXISTS (SELECT 1 FROM listing_versions v
		WHERE v.org_code = a.sender AND v.version = a.version)
	WHEN 'case_statistics' THEN EXISTS (SELECT 1 FROM statistics_submissions s
		WHERE s.message_id = m.id) OR m.reason LIKE 'unchanged%'
	ELSE false END);
SELECT 'duplicated', (SELECT count(*) FROM (SELECT 1 FROM stored
		GROUP BY sender_id, sequence HAVING count(*) > 1) d)
	+ (SELECT count(*) FROM (SELECT 1 FROM stored
		GROUP BY digest HAVING count(*) > 1) d)
	+ (SELECT count(*) FROM (SELECT 1 FROM statistics_submissions
		GROUP BY message_id HAVING count(*) > 1) d);
SELECT 'unacknowledged', count(*) FROM stored m WHERE NOT EXISTS (
	SELECT 1 FROM acked a WHERE a.sender = m.sender_id AND a.seq = m.sequence);
-- the current cells of every (hospital, period) the spokes exported
CREATE TEMP VIEW current_stats AS
	SELECT s.org_code AS sender, s.period, count(c.*) AS cells,
		coalesce(sum(c.patients), 0) AS patients,
		coalesce(sum(c.charge_jpy), 0) AS charge
	FROM statistics_submissions s
	LEFT JOIN statistics_cells c ON c.submission_id = s.id AND c.period = s.period
	WHERE s.superseded_at IS NULL AND s.org_code IN (SELECT sender FROM expected_listing)
	GROUP BY s.org_code, s.period;
CREATE TEMP VIEW last_acked_stats AS
	SELECT DISTINCT ON (sender, period) sender, (period || '-01')::date AS period,
		cells, patients, charge
	FROM acked WHERE payload = 'case_statistics' ORDER BY sender, period, seq DESC;
SELECT 'periods', count(*) FROM expected_stats;
SELECT 'stats_unlike_export', count(*) FROM expected_stats e
	FULL JOIN current_stats c USING (sender, period)
	WHERE (e.cells, e.patients, e.charge) IS DISTINCT FROM (c.cells, c.patients, c.charge);
SELECT 'stats_unlike_last_ack', count(*) FROM last_acked_stats l
	FULL JOIN current_stats c USING (sender, period)
	WHERE (l.cells, l.patients, l.charge) IS DISTINCT FROM (c.cells, c.patients, c.charge);
SELECT 'listings_unlike_last_ack', count(*) FROM expected_listing e
	LEFT JOIN listing_versions v ON v.org_code = e.sender AND v.valid_to IS NULL
	LEFT JOIN (SELECT DISTINCT ON (sender) sender, version FROM acked
		WHERE payload = 'hospital_listing' ORDER BY sender, seq DESC) l ON l.sender = e.sender
	WHERE v.version IS DISTINCT FROM l.version OR (v.doc->>'beds')::int IS DISTINCT FROM e.beds;
SQL
val() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$t/result.tsv"; }
{
	echo "fault injection: $rounds rounds, seed $seed, $# spokes"
	echo "kills: $kills"
	echo "acknowledged envelopes: $(val envelopes) ($(val listings) listings, $(val statistics) statistics submissions; $(val duplicate_acks) acknowledged as duplicate)"
	echo "lost: $(val lost)"
	echo "duplicated: $(val duplicated)"
	echo "stored but never acknowledged: $(val unacknowledged)"
	echo "statistics (hospital, period) checked: $(val periods); unlike the last export: $(val stats_unlike_export); unlike the last acknowledged submission: $(val stats_unlike_last_ack)"
	echo "listings unlike the last acknowledged version or file: $(val listings_unlike_last_ack)"
	echo "left in outboxes: pending $pending, rejected $rejected"
} | tee "$t/report"
[ -z "$report" ] || cp "$t/report" "$report"
for k in lost duplicated unacknowledged stats_unlike_export stats_unlike_last_ack listings_unlike_last_ack; do
	[ "$(val $k)" = 0 ] || { echo "FAIL: $k is $(val $k)"; exit 1; }
done
[ "$pending" -eq 0 ] && [ "$rejected" -eq 0 ] || { echo "FAIL: outboxes not empty"; exit 1; }
[ "$(val envelopes)" -gt 0 ] && [ "$(val periods)" -gt 0 ] || { echo "FAIL: nothing was acknowledged"; exit 1; }
echo "PASS"
