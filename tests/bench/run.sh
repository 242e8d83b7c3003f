#!/usr/bin/env bash
# The hub against the raw limits it stands on (issue 8), in one command:
# builds in release mode into build-bench/, starts its own PostgreSQL
# cluster (deploy/pg.sh, loopback, a free port) and hub (loopback), and for
# each figure prints the median of RUNS runs of the project and of its
# baseline measured in the same run, and their ratio; then writes the table
# with the machine and the versions to docs/PERFORMANCE.md.  It asserts
# nothing about time; every load loop has a fixed count and a timeout.
#
#   tests/bench/run.sh [--runs 3] [--no-build] [--out docs/PERFORMANCE.md]
#                      [--keep] [--figures "6 3 1 2 4"]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build-bench
runs=3 do_build=1 out=$root/docs/PERFORMANCE.md keep=0 figures="6 3 1 2 4"
burst_spokes=32 burst_n=50 http_conc=16 http_n=100 hospitals=10000
qpath="/api/v1/hospitals?treatment=chemotherapy&language=en"
rtt_n=2000 stat_subs=200 stat_cells=1000
while [ $# -gt 0 ]; do
	case "$1" in
	--runs) runs=$2; shift 2 ;;
	--no-build) do_build=0; shift ;;
	--out) out=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	--figures) figures=$2; shift 2 ;;
	-h | --help) sed -n '2,12p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
done

if [ "$do_build" -eq 1 ]; then
	cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$build" -j"$(nproc)" --target inbound-hub inboundctl \
		inbound-datagen bench_cases bench_hub >/dev/null
fi
HUB=$build/hub/inbound-hub
CTL=$build/hub/inboundctl
DATAGEN=$build/deploy/datagen/inbound-datagen
BENCH=$build/tests/bench/bench_hub

. "$root/deploy/pg.sh"
. "$root/tests/integration/ports.sh"
work=$(mktemp -d /tmp/ibx-bench-run.XXXXXX)
chmod 755 "$work"
hub_pid=
cleanup() {
	[ -z "$hub_pid" ] || { kill "$hub_pid" 2>/dev/null || true; wait "$hub_pid" 2>/dev/null || true; }
	ibx_pg_stop "$work/pg/data" || true
	if [ "$keep" -eq 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
kv() { sed -n "s/^$1=//p" "$2"; }
now_s() { date +%s.%N; }
want() { case " $figures " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

rows=() # Markdown rows of the table
skips=()
add_row() { rows+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); }
say() { printf '%s\n' "$*"; }

# ---- (a) figure 6: spoke anonymiser against libcsv ------------------------
if want 6; then
say "== figure 6: spoke anonymiser vs libcsv bare parse, 1,000,000 rows ($runs runs)"
bash "$root/tests/bench/cases_bench.sh" --build "$build" --runs "$runs" | tee "$work/fig6.out"
f6_csv=$(awk '/^libcsv parse only/ { print $(NF-3) }' "$work/fig6.out")
f6_spk=$(awk '/^spoke anonymiser/ { print $(NF-3) }' "$work/fig6.out")
f6_csv_cpu=$(awk '/^libcsv parse only/ { print $(NF-2) }' "$work/fig6.out")
f6_spk_cpu=$(awk '/^spoke anonymiser/ { print $(NF-2) }' "$work/fig6.out")
f6_ratio=$(ratio "$f6_spk" "$f6_csv")
say "figure 6: spoke ${f6_spk} s, libcsv ${f6_csv} s, ratio ${f6_ratio} (CPU $(ratio "$f6_spk_cpu" "$f6_csv_cpu"))"
add_row "6. Spoke anonymiser, 1,000,000 case rows (wall s; CPU s)" \
	"${f6_spk} s; ${f6_spk_cpu} s CPU" "libcsv bare parse: ${f6_csv} s; ${f6_csv_cpu} s CPU" \
	"${f6_ratio} (CPU $(ratio "$f6_spk_cpu" "$f6_csv_cpu"))" "≤ 2" \
	"$(awk -v r="$f6_ratio" 'BEGIN { print (r <= 2 ? "met" : "not met") }')"
fi

# ---- PostgreSQL, PKI, hub --------------------------------------------------
say "== starting PostgreSQL and the hub on loopback"
ibx_pg_init "$work/pg/data"
pg_port=$(ibx_free_port)
ibx_pg_start "$work/pg/data" "$pg_port"
export PGPASSWORD
PGPASSWORD=$(cat "$work/pg/superuser.pass")
psql -h 127.0.0.1 -p "$pg_port" -U inbound -d postgres -qc "CREATE DATABASE bench" >/dev/null
dsn=$(ibx_pg_dsn "$work/pg/data" "$pg_port" bench)
psqlb() { psql -h 127.0.0.1 -p "$pg_port" -U inbound -d bench -XqtA "$@"; }
"$HUB" migrate --db "$dsn" >/dev/null 2>&1
pki=$work/pki
"$root/deploy/pki/ca-init.sh" "$pki" >/dev/null
listing=$root/tests/data/listing_example.json
lcode=$(jq -r .organisation_code "$listing")
# hospitals for the statistics runs: real codes from the generated listings
"$DATAGEN" listings --data "$root/deploy/data" --out "$work/listings" --seed 42 >/dev/null 2>&1
mapfile -t scodes < <(ls "$work/listings" | sed -n 's/\.json$//p' | grep -v "^$lcode$" | awk -v n="$runs" 'NR <= n')
for code in "$lcode" "${scodes[@]}"; do
	"$root/deploy/pki/issue.sh" "$pki" "$code" hospital >/dev/null 2>&1
	"$CTL" enrol --db "$dsn" --ca "$pki/ca.pem" --cert "$pki/issued/$code.pem" >/dev/null
done
nng_port=$(ibx_free_port)
http_port=$(ibx_free_port)
NNG_URL=tcp://127.0.0.1:$nng_port
"$HUB" serve --db "$dsn" --listen "$NNG_URL" --insecure-tcp --http "127.0.0.1:$http_port" \
	--ca "$pki/ca.pem" --crl "$pki/crl.pem" 2>"$work/hub.log" &
hub_pid=$!
for _ in $(seq 1 100); do
	curl -fsS "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
kill -0 "$hub_pid"
seq_base=$(($(date +%s) * 1000000))

# ---- (b) figure 3: round trip ---------------------------------------------
med() { for r in $(seq 1 "$runs"); do kv "$1" "$work/$2.$r"; done | median; }
if want 3; then
say "== figure 3: listing update round trip, $rtt_n requests per run ($runs runs)"
cert=$pki/issued/$lcode.pem key=$pki/issued/$lcode.key
for r in $(seq 1 "$runs"); do
	"$BENCH" rtt --hub "$NNG_URL" --listing "$listing" --cert "$cert" --key "$key" \
		--n "$rtt_n" --seq0 $((seq_base + r * 100000)) >"$work/rtt.$r" || {
		say "rtt run $r: not every update was accepted (see above)"; }
	"$BENCH" base --port "$(ibx_free_port)" --listing "$listing" --cert "$cert" --key "$key" \
		--n "$rtt_n" --seq0 1 >"$work/base.$r"
	say "run $r: hub p50 $(kv p50_us "$work/rtt.$r") us p99 $(kv p99_us "$work/rtt.$r") us ($(kv accepted "$work/rtt.$r") accepted);" \
		"baseline p50 $(kv p50_us "$work/base.$r") us p99 $(kv p99_us "$work/base.$r") us" \
		"(echo $(kv echo_p50_us "$work/base.$r"), verify+decode $(kv verify_decode_p50_us "$work/base.$r"))"
done
h50=$(med p50_us rtt) h99=$(med p99_us rtt) b50=$(med p50_us base) b99=$(med p99_us base)
e50=$(med echo_p50_us base) v50=$(med verify_decode_p50_us base)
bytes=$(kv bytes "$work/base.1")
say "figure 3: hub p50 $h50 us / baseline $b50 us = $(ratio "$h50" "$b50"); p99 $h99 / $b99 = $(ratio "$h99" "$b99")"
add_row "3. Round trip, listing update (${bytes}-byte envelope), p50 µs" "$h50" \
	"$b50 (nng echo $e50 + verify+decode $v50)" "$(ratio "$h50" "$b50")" "≤ 1.25" \
	"$(awk -v r="$(ratio "$h50" "$b50")" 'BEGIN { print (r <= 1.25 ? "met" : "not met: the hub stores every update in PostgreSQL (one commit per message); no way to leave the database out without changing the hub") }')"
add_row "3. Round trip, same, p99 µs" "$h99" "$b99" "$(ratio "$h99" "$b99")" "(none)" "-"
fi

# ---- (c) figure 1: statistics ingest --------------------------------------
if want 1; then
say "== figure 1: statistics ingest, $stat_subs submissions of $stat_cells cells per run ($runs runs)"
"$DATAGEN" cases --hospital "$lcode" --year 2024 --month 3 --rows 20000 --seed 42 \
	--data "$root/deploy/data" --out "$work/cases" >/dev/null 2>&1
cases=$work/cases/synthetic_cases_${lcode}_2024-03.csv
chmod 755 "$work/cases" 2>/dev/null || true
for r in $(seq 1 "$runs"); do
	code=${scodes[$((r - 1))]}
	"$BENCH" stats --hub "$NNG_URL" --cases "$cases" --org "$code" \
		--cert "$pki/issued/$code.pem" --key "$pki/issued/$code.key" \
		--subs "$stat_subs" --cells "$stat_cells" --seq0 $((seq_base + 900000 + r * 1000)) \
		>"$work/stats.$r" || say "stats run $r: not every submission was accepted"
	n=$(psqlb -c "SELECT count(*) FROM statistics_cells WHERE org_code = '$code'")
	# the same rows, out and back in with COPY (FORMAT binary)
	psqlb -c "\\copy (SELECT * FROM statistics_cells WHERE org_code = '$code') TO '$work/cells.$r.bin' (FORMAT binary)"
	psqlb -c "DELETE FROM statistics_cells WHERE org_code = '$code'"
	psqlb -c "VACUUM statistics_cells" 2>/dev/null || true
	t0=$(now_s)
	psqlb -c "\\copy statistics_cells FROM '$work/cells.$r.bin' (FORMAT binary)"
	t1=$(now_s)
	n2=$(psqlb -c "SELECT count(*) FROM statistics_cells WHERE org_code = '$code'")
	awk -v n="$n2" -v a="$t0" -v b="$t1" 'BEGIN { printf "cells=%d\nseconds=%.3f\ncells_per_s=%.0f\n", n, b - a, n / (b - a) }' >"$work/copy.$r"
	say "run $r: hub $(kv cells_per_s "$work/stats.$r") cells/s ($(kv cells "$work/stats.$r") cells acked, $n rows committed, $(kv seconds "$work/stats.$r") s);" \
		"COPY binary $(kv cells_per_s "$work/copy.$r") cells/s ($n2 rows, $(kv seconds "$work/copy.$r") s)"
done
s_hub=$(med cells_per_s stats) s_copy=$(med cells_per_s copy)
say "figure 1: hub $s_hub cells/s / COPY $s_copy cells/s = $(ratio "$s_hub" "$s_copy")"
add_row "1. Statistics ingest, $stat_subs signed submissions × $stat_cells cells, cells/s" "$s_hub" \
	"COPY FROM STDIN (FORMAT binary) of the same rows, same table and indexes: $s_copy" \
	"$(ratio "$s_hub" "$s_copy")" "≥ 0.5" \
	"$(awk -v r="$(ratio "$s_hub" "$s_copy")" 'BEGIN { print (r >= 0.5 ? "met" : "not met (one spoke sending one submission at a time; see notes)") }')"
fi

# ---- (e) figure 2: 32 concurrent spokes against fdatasync ------------------
if want 2; then
say "== figure 2: $burst_spokes concurrent spokes x $burst_n listing updates per run ($runs runs)"
ls "$work/listings" | sed -n 's/\.json$//p' | grep -v -x -F -e "$lcode" $(printf -- '-e %s ' "${scodes[@]}") |
	awk -v n="$burst_spokes" 'NR <= n' >"$work/burst.codes"
ipids=()
while read -r code; do
	"$root/deploy/pki/issue.sh" "$pki" "$code" hospital >/dev/null 2>&1 &
	ipids+=($!)
	if [ "${#ipids[@]}" -ge "$(nproc)" ]; then wait "${ipids[@]}" || true; ipids=(); fi
done <"$work/burst.codes"
[ "${#ipids[@]}" -eq 0 ] || wait "${ipids[@]}" || true
while read -r code; do
	"$CTL" enrol --db "$dsn" --ca "$pki/ca.pem" --cert "$pki/issued/$code.pem" >/dev/null
done <"$work/burst.codes"
pgtf=$IBX_PG_BIN/pg_test_fsync
for r in $(seq 1 "$runs"); do
	timeout 300 "$BENCH" burst --hub "$NNG_URL" --dir "$work/listings" --pki "$pki" \
		--codes "$work/burst.codes" --n "$burst_n" --seq0 $((seq_base + 2000000 + r * 1000)) \
		>"$work/burst.$r" || say "burst run $r: not every update was accepted"
	# the disk under the cluster: one 8 kB write + fdatasync, ops/s
	timeout 300 "$pgtf" -s 1 -f "$work/fsync.tmp" >"$work/fsync.out.$r" 2>&1 || true
	awk '/^[[:space:]]+fdatasync/ { print "ops_per_s=" $2; exit }' "$work/fsync.out.$r" >"$work/fsync.$r"
	say "run $r: hub $(kv msgs_per_s "$work/burst.$r") msg/s ($(kv accepted "$work/burst.$r") accepted in $(kv seconds "$work/burst.$r") s);" \
		"pg_test_fsync fdatasync $(kv ops_per_s "$work/fsync.$r") ops/s"
done
g_hub=$(med msgs_per_s burst) g_fs=$(med ops_per_s fsync)
sc=$(psqlb -c "SHOW synchronous_commit")
say "figure 2: hub $g_hub msg/s / fdatasync $g_fs ops/s = $(ratio "$g_hub" "$g_fs") (synchronous_commit=$sc)"
add_row "2. Listing updates from $burst_spokes concurrent spokes ($burst_n each), accepted msg/s" "$g_hub" \
	"pg_test_fsync, one 8 kB write + fdatasync: $g_fs ops/s" "$(ratio "$g_hub" "$g_fs")" "≥ 5" \
	"$(awk -v r="$(ratio "$g_hub" "$g_fs")" 'BEGIN { print (r >= 5 ? "met" : "not met") }') (synchronous_commit=$sc)"
fi

# ---- (d) figure 4: hospital search at 16 clients vs pgbench ----------------
if want 4; then
say "== figure 4: hospital search, $http_conc clients x $http_n requests per run, $hospitals hospitals ($runs runs)"
for f in "$work/listings"/*.json; do jq -c . "$f"; done >"$work/listings.jsonl"
# every generated listing once under its own code, then synthetic copies
# under codes 99xxxxxxxx until there are $hospitals current listings;
# stored through the hub's own function ibx_store_hospital_listing (no
# envelope; organisations created directly, not enrolled)
psqlb >/dev/null <<SQL
CREATE TEMP TABLE gen (n serial, doc jsonb);
\\copy gen (doc) FROM '$work/listings.jsonl' (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')
CREATE TEMP TABLE want AS
WITH base AS (SELECT doc->>'organisation_code' AS code, doc FROM gen
	UNION ALL
	SELECT '99' || lpad((k * 1000 + n)::text, 8, '0'), doc
	FROM gen, generate_series(1, 20) k)
SELECT code, doc || jsonb_build_object('organisation_code', code) AS doc FROM base
WHERE code NOT IN (SELECT org_code FROM hospital_listings)
	AND code NOT IN (SELECT code FROM organisations WHERE last_sequence > 0)
LIMIT greatest(0, $hospitals - (SELECT count(*) FROM hospital_listings));
INSERT INTO organisations (code, role) SELECT code, 'hospital' FROM want
ON CONFLICT DO NOTHING;
SELECT count(ibx_store_hospital_listing(code, doc, 1, 1, '\\x'::bytea, 0, 'bench'))
FROM want WHERE code IN (SELECT code FROM organisations WHERE last_sequence = 0);
ANALYZE;
SQL
nh=$(psqlb -c "SELECT count(*) FROM hospital_listings")
say "hospital_listings: $nh rows"
token=$("$CTL" token create --db "$dsn" --role ministry --label bench 2>/dev/null)
# SQL_MATCH_CURRENT, extracted from hub/api_hospitals.c, with the same
# parameters as the HTTP query (treatment, language; the rest NULL)
{ echo '#include <stdio.h>'
  awk '/^#define SQL_MATCH_COMMON/,/[^\\]$/' "$root/hub/api_hospitals.c"
  awk '/^static const char SQL_MATCH_CURRENT/,/;$/' "$root/hub/api_hospitals.c"
  echo 'int main(void) { fputs(SQL_MATCH_CURRENT, stdout); return 0; }'; } >"$work/sqlx.c"
cc -o "$work/sqlx" "$work/sqlx.c"
"$work/sqlx" | sed -e 's/\$13\b/NULL::date/g; s/\$12\b/NULL::text/g; s/\$11\b/NULL::text/g' \
	-e 's/\$10\b/NULL::float8/g; s/\$9\b/NULL::float8/g; s/\$8\b/NULL::text/g' \
	-e 's/\$7\b/NULL::boolean/g; s/\$6\b/NULL::text/g; s/\$5\b/NULL::text/g' \
	-e 's/\$4\b/NULL::text/g; s/\$3\b/'"'en'"'::text/g; s/\$2\b/NULL::text/g' \
	-e 's/\$1\b/'"'chemotherapy'"'::text/g' >"$work/match.sql"
echo ";" >>"$work/match.sql"
matched=$(psqlb -f "$work/match.sql" | wc -l)
say "the search matches $matched hospitals"
for r in $(seq 1 "$runs"); do
	timeout 300 "$BENCH" http --port "$http_port" --path "$qpath" --token "$token" \
		--conc "$http_conc" --n "$http_n" >"$work/http.$r" || say "http run $r: some requests failed"
	rm -f "$work/pgb.$r".*
	(cd "$work" && timeout 300 pgbench -h 127.0.0.1 -p "$pg_port" -U inbound -n -M simple \
		-c "$http_conc" -j "$(nproc)" -t "$http_n" -f "$work/match.sql" -l \
		--log-prefix="pgb.$r" bench >"$work/pgbench.out.$r" 2>&1) || say "pgbench run $r failed"
	cat "$work/pgb.$r".* | awk '{ print $3 }' | sort -g |
		awk '{ v[NR] = $1 } END { i = int(0.99 * (NR - 1) + 0.5) + 1; j = int(0.5 * (NR - 1) + 0.5) + 1;
			printf "requests=%d\np50_us=%s\np99_us=%s\n", NR, v[j], v[i] }' >"$work/pgb.$r"
	say "run $r: API p50 $(kv p50_us "$work/http.$r") us p99 $(kv p99_us "$work/http.$r") us ($(kv ok "$work/http.$r") ok);" \
		"pgbench p50 $(kv p50_us "$work/pgb.$r") us p99 $(kv p99_us "$work/pgb.$r") us ($(kv requests "$work/pgb.$r") transactions)"
done
a99=$(med p99_us http) p99=$(med p99_us pgb) a50=$(med p50_us http) p50=$(med p50_us pgb)
say "figure 4: API p99 $a99 us / pgbench p99 $p99 us = $(ratio "$a99" "$p99")"
add_row "4. Hospital search, $nh hospitals ($matched match), $http_conc clients, p99 µs (p50)" "$a99 ($a50)" \
	"pgbench, the same SQL_MATCH_CURRENT, same concurrency: $p99 ($p50)" "$(ratio "$a99" "$p99")" "≤ 2" \
	"$(awk -v r="$(ratio "$a99" "$p99")" 'BEGIN { print (r <= 2 ? "met" : "not met") }')"
fi

# ---- skipped ---------------------------------------------------------------
for f in 6 3 1 2 4; do
	want "$f" || skips+=("| $f | not selected (--figures \"$figures\") |")
done
skips+=("| 5. National statistics over 10 million cells | skipped: roll-ups / materialised views are not implemented, so there is nothing to compare against a plain GROUP BY yet |")
skips+=("| 7. Hub RSS with 10,000 spokes, idle CPU with TLS | not run here: tests/bench/hub_idle_tls.sh --spokes N measures it separately (10,000 sockets need ulimit -n) |")

# ---- the table -------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
nngv=$(dpkg-query -W -f '${Version}' libnng1 2>/dev/null || echo unknown)
pgv=$("$IBX_PG_BIN/postgres" --version 2>/dev/null || echo unknown)
sslv=$(openssl version 2>/dev/null || echo unknown)
{
	echo "# Performance"
	echo
	echo "Measured by \`tests/bench/run.sh\` (tests/bench/README.md) on $(date -u +%Y-%m-%d): release build,"
	echo "its own PostgreSQL cluster and hub on loopback (nng over plain tcp:// on"
	echo "127.0.0.1), median of $runs runs of each side, interleaved. Nothing is"
	echo "asserted about time; the figures move with the machine and its load."
	echo
	echo "Machine: $(nproc) CPU ($cpu), $mem memory."
	echo "Versions: nng $nngv (libnng1), $pgv, $sslv."
	echo
	echo "| figure | project | baseline | ratio | target | verdict |"
	echo "| --- | --- | --- | --- | --- | --- |"
	printf '%s\n' "${rows[@]}"
	echo
	echo "## Not measured"
	echo
	echo "| figure | reason |"
	echo "| --- | --- |"
	printf '%s\n' "${skips[@]}"
	echo
	echo "## How each figure is measured"
	echo
	echo "- **6**: \`tests/bench/cases_bench.sh\` (1,000,000 generated case rows, the file warm"
	echo "  in the page cache): the spoke's full anonymiser against libcsv parsing the same"
	echo "  file with no-op callbacks."
	echo "- **3**: \`bench_hub rtt\` sends $rtt_n listing updates (the example listing, its"
	echo "  bed count changed each time so each is stored), signed beforehand, one at a time"
	echo "  over one REQ socket to the hub, and takes p50/p99 of the per-request latency."
	echo "  The hub verifies, decodes, checks and commits each one to PostgreSQL: the"
	echo "  database cannot be left out without changing the hub, so this figure includes"
	echo "  one commit per update. \`bench_hub base\` measures, in the same run, a plain nng"
	echo "  REQ/REP echo (rep0 socket on a thread of the same process, tcp loopback) of a"
	echo "  message of the same size, then \`ibx_verify\` + \`ibx_listing_decode\` of the same"
	echo "  envelopes alone; the baseline is the per-iteration sum."
	echo "- **1**: \`bench_hub stats\` anonymises a 20,000-row generated case file with the"
	echo "  spoke's code, keeps $stat_cells cells, and sends $stat_subs signed CaseStatistics"
	echo "  submissions (periods 2000-01 onwards, one hospital per run) one after another;"
	echo "  cells/s = cells acknowledged / wall time. The baseline exports exactly the rows"
	echo "  the hub committed (\`\\copy (SELECT ...) TO ... (FORMAT binary)\`), deletes them"
	echo "  and times \`psql -c '\\copy statistics_cells FROM ... (FORMAT binary)'\` into the same"
	echo "  partitioned table with the same indexes (psql's start-up included)."
	echo "- **2**: \`bench_hub burst\`: $burst_spokes spokes (generated listings, each its own"
	echo "  certificate, enrolled), one thread and REQ socket each, started together, each"
	echo "  sending $burst_n listing updates one after the other (every one stored and committed,"
	echo "  synchronous_commit as shown); accepted messages / wall time of the burst. The"
	echo "  baseline is the \"one 8kB write, fdatasync\" line of \`pg_test_fsync -s 1\` on the"
	echo "  same file system as the cluster, run right after each burst."
	echo "- **4**: the $hospitals current listings are the $(wc -l <"$work/listings.jsonl" 2>/dev/null || echo 782) generated ones (\`inbound-datagen"
	echo "  listings\`) plus synthetic copies of them under codes 99xxxxxxxx, stored directly"
	echo "  with the hub's SQL function \`ibx_store_hospital_listing\` (no envelopes). \`bench_hub"
	echo "  http\` runs $http_conc threads, each a keep-alive connection sending $http_n"
	echo "  \`GET $qpath\` with a ministry token (the hub's default 4 HTTP threads); latency per"
	echo "  request. pgbench runs SQL_MATCH_CURRENT, extracted from hub/api_hospitals.c at run"
	echo "  time, with the same parameters as literals (\`-M simple -c $http_conc -t $http_n -l\`),"
	echo "  p99 over its per-transaction log. The API adds ranking, the second query (the page"
	echo "  of listings) and JSON."
} >"$out"
say "== wrote $out"
cat "$out"
