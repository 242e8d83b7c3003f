#!/usr/bin/env bash
# The hub against the raw limits it stands on (issue 8), in one command:
# builds in release mode into build-bench/, starts its own PostgreSQL
# cluster (deploy/pg.sh, loopback, a free port) and hub (loopback), and for
# each figure prints the median of RUNS runs of the project and of its
# baseline measured in the same run, and their ratio; then writes the table
# with the machine and the versions to docs/PERFORMANCE.md.  It asserts
# nothing about time; every load loop has a fixed count and a timeout.
#
# One run of the whole set stays within a time budget (--budget, 1200 s):
# before each figure the time used so far and the figure's usual length
# (its estimate below, seconds on the development VM) are checked, and a
# figure that would not fit is listed under "Not measured" with the
# reason; the time each figure took is in the document.
#
#   tests/bench/run.sh [--runs 3] [--no-build] [--out docs/PERFORMANCE.md]
#                      [--keep] [--figures "8 6 3 1 2 4 5 9 7"] [--budget 1200]
#                      [--hubs 2] [--profile]
#   --hubs N    figures 2 and 4 also with N hubs on the one PostgreSQL
#               primary (the burst's spokes dealt round-robin over them),
#               and figure 4 with the read API on a hot standby
#               (docs/replication.md, sizing)
#   --profile   figure 2 under pg_stat_statements (track = all) and perf
#               (hub and PostgreSQL, 499 Hz, call graphs) over its first
#               burst; the reports go to the work folder (with --keep)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${IBX_BENCH_BUILD:-$root/build-bench} # another build folder: IBX_BENCH_BUILD=DIR
runs=3 do_build=1 out=$root/docs/PERFORMANCE.md keep=0 figures="8 6 3 1 2 4 5 9 7" budget=1200
burst_spokes=32 burst_n=50 http_conc=16 http_n=100 hospitals=10000 f4_months=13
qpath="/api/v1/hospitals?treatment=chemotherapy&language=en"
rtt_n=2000 stat_subs=200 stat_cells=1000 stat_spokes=8
f5_hospitals=8000 f5_months=24 f5_per=10 f5_n=50 f5_base_n=10
f5_path="/api/v1/statistics?measure=patients&by=period,nationality&period=year"
f7_spokes=10000 f7_seconds=10 f7_certs=50
hubs=1 profile=0
while [ $# -gt 0 ]; do
	case "$1" in
	--runs) runs=$2; shift 2 ;;
	--no-build) do_build=0; shift ;;
	--out) out=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	--figures) figures=$2; shift 2 ;;
	--hubs) hubs=$2; shift 2 ;;
	--profile) profile=1; shift ;;
	--budget) budget=$2; shift 2 ;;
	-h | --help) sed -n '2,25p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
done

if [ "$do_build" -eq 1 ]; then
	cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$build" -j"$(nproc)" --target inbound-hub inboundctl \
		inbound-datagen bench_cases bench_hub bench_conns inbound-spoke bench_referral ibx-ca-bulk >/dev/null
fi
HUB=$build/hub/inbound-hub
CTL=$build/hub/inboundctl
DATAGEN=$build/tools/datagen/inbound-datagen
BENCH=$build/tests/bench/bench_hub

. "$root/deploy/pg.sh"
. "$root/tests/integration/ports.sh"
work=$(mktemp -d /tmp/ibx-bench-run.XXXXXX)
chmod 755 "$work"
hub_pid=
cleanup() {
	[ -z "$hub_pid" ] || { kill "$hub_pid" 2>/dev/null || true; wait "$hub_pid" 2>/dev/null || true; }
	[ -z "${nodb_pid:-}" ] || kill "$nodb_pid" 2>/dev/null || true
	for p in ${xhub_pids[@]+"${xhub_pids[@]}"} ${sbhub_pid:-}; do kill "$p" 2>/dev/null || true; done
	[ -z "${sb_data:-}" ] || ibx_pg_stop "$sb_data" || true
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
# The time budget: run_fig N ESTIMATE starts figure N when it was asked
# for and fits (time used + ESTIMATE <= budget), fig_end N records its
# seconds.
t_begin=$(now_s)
fig_t0=$t_begin
fig_times=()
used_s() { awk -v a="$t_begin" -v b="$(now_s)" 'BEGIN { printf "%.0f", b - a }'; }
run_fig() {
	want "$1" || return 1
	fits "$1" "$2"
}
# fits LABEL ESTIMATE: the budget check alone, for a part that is not a
# figure of its own (4s: the scale rows of --hubs)
fits() {
	if [ $(($(used_s) + $2)) -gt "$budget" ]; then
		skips+=("| $1 | time budget: $(used_s) s of $budget s used before it, and it takes about $2 s |")
		say "== figure $1 skipped: $(used_s) s of the $budget s budget used, it takes about $2 s"
		return 1
	fi
	fig_t0=$(now_s)
	return 0
}
fig_end() { fig_times+=("| $1 | $(awk -v a="$fig_t0" -v b="$(now_s)" 'BEGIN { printf "%.0f", b - a }') |"); }
add_row() { rows+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); }
say() { printf '%s\n' "$*"; }

# a cluster's processes: the postmaster and its children (DATA: its folder)
pg_pids() { local pm; pm=$(head -1 "${1:-$work/pg/data}/postmaster.pid"); echo "$pm" $(ps --ppid "$pm" -o pid= 2>/dev/null); }

# bench_profile NAME CAPTION SECONDS TARGET...: the bounded profile a
# figure that is not met carries into the notes of docs/PERFORMANCE.md
# (issue 18).  perf samples the whole machine at 499 Hz for SECONDS (no
# call graphs; the data stay in $work), then, for each TARGET, the 20 top
# symbols by command, library and symbol, as shares of that target's own
# samples:
#   - a process id (the hub, postmaster and backends from pg_pids ...):
#     samples of those processes; several ids in one word, comma-separated
#     ("$hub_pid" "$(pg_pids | tr ' ' ,)"), make one section;
#   - a command name (inbound-spoke): every process of that name, for the
#     short-lived ones (on a shared machine others' processes of the same
#     name are counted too; the section says so).
# It writes $work/profile-NAME.top (the text) and $work/profile-NAME.md
# (the block for the notes; the document prints every such block, in the
# order taken, under "Profiles of the figures not met").  Run it in the
# foreground after a figure's verdict, or in the background while the load
# runs (bench_profile ... & p=$!; LOAD; wait "$p").  It never fails the
# run: without perf, or when perf fails, the block says why.
bench_profile() {
	local name=$1 caption=$2 secs=$3 data t sel label n
	local -A labels=()
	shift 3
	data=$work/profile-$name.data
	: >"$work/profile-$name.top"
	# the processes' names now: a short-lived one is gone when perf ends
	for t in "$@"; do
		case "$t" in
		[0-9]*) labels[$t]="processes $t ($(for p in ${t//,/ }; do cat "/proc/$p/comm" 2>/dev/null; done | sort | uniq -c | awk '{ printf "%s%s x%d", (NR > 1 ? ", " : ""), $2, $1 }'))" ;;
		esac
	done
	if ! command -v perf >/dev/null 2>&1; then
		echo "(no profile: perf is not installed)" >"$work/profile-$name.top"
	elif ! timeout $((secs + 60)) perf record -F 499 -a -o "$data" -- sleep "$secs" >"$work/profile-$name.log" 2>&1; then
		echo "(no profile: perf record failed: $(tail -1 "$work/profile-$name.log"))" >"$work/profile-$name.top"
	else
		for t in "$@"; do
			[ -n "$t" ] || continue
			case "$t" in
			[0-9]*) sel=(--pid "$t") label=${labels[$t]} ;;
			*) sel=(--comms "$t") label="every process named $t (on this shared machine, others' too)" ;;
			esac
			# its share of all the machine's samples, then its top symbols
			n=$( (timeout 120 perf report -i "$data" "${sel[@]}" --no-children --percentage absolute \
				--sort comm --stdio 2>/dev/null || true) | awk '/^ +[0-9]/ { s += $1 } END { printf "%.1f", s }')
			{
				echo "$label: $n % of the machine's samples"
				(timeout 120 perf report -i "$data" "${sel[@]}" --no-children --percentage relative \
					--sort comm,dso,symbol --stdio 2>/dev/null || true) | grep -E '^ +[0-9]' | sed 's/[[:space:]]*-[[:space:]]*-[[:space:]]*$//' | head -20 || true
				echo
			} >>"$work/profile-$name.top"
		done
	fi
	rm -f "$data"
	{
		echo "### $caption"
		echo
		echo "perf, the whole machine at 499 Hz for $secs s (\`bench_profile $name\`); per target the top"
		echo "symbols as shares of its own samples:"
		echo
		echo '```'
		cat "$work/profile-$name.top"
		echo '```'
		echo
	} >"$work/profile-$name.md"
	say "profile $name: $work/profile-$name.top"
	head -12 "$work/profile-$name.top" || true
}

# ---- (h) figure 8: the main job, ./deploy/demo.sh --once -------------------
# As a user runs it after the build, on its own ports and its own fresh
# folder (IBX_VAR: a new PostgreSQL cluster, PKI and outboxes), with the
# generated data from the repository's var/cache when an earlier demo made
# the same (deploy/demo.sh keys it by the generator and its inputs).  Its
# own table says where the time went: wall, and CPU of its children, the
# hub and PostgreSQL from /proc.
if run_fig 8 600; then
say "== figure 8: the main job, ./deploy/demo.sh --once (fresh database under $work/demo-var)"
mkdir -p "$work/demo-var" "$root/var/cache"
t0=$(now_s)
f8_nng=$(ibx_free_port)
(cd "$root" && IBX_VAR="$work/demo-var" IBX_DEMO_CACHE="$root/var/cache" \
	IBX_HTTP_PORT="$(ibx_free_port)" IBX_PG_PORT="$(ibx_free_port)" IBX_NNG_PORT="$f8_nng" \
	timeout 3600 ./deploy/demo.sh --once) >"$work/demo.out" 2>&1 &
f8_pid=$!
# Its profile, taken while it runs (a second demo would not fit the
# budget), kept in the notes only when the figure is not met: 20 s of the
# publishing (hub, its PostgreSQL, the spokes) from 10 s into that step,
# and 10 s of the release (PostgreSQL) from 5 s into it.
f8_profile() {
	local step=$1 after=$2 name=$3 caption=$4 secs=$5 i hub
	shift 5
	for i in $(seq 1 7200); do
		grep -q "$step" "$work/demo.out" 2>/dev/null && break
		kill -0 "$f8_pid" 2>/dev/null || return 0
		sleep 0.5
	done
	sleep "$after"
	kill -0 "$f8_pid" 2>/dev/null || return 0
	hub=$(pgrep -f "inbound-hub serve .*127\.0\.0\.1:$f8_nng " | head -1)
	bench_profile "$name" "$caption" "$secs" ${hub:+"$hub"} "$(pg_pids "$work/demo-var/pg/data" | tr ' ' ,)" "$@" >/dev/null
}
(
	f8_profile '==> publishing: ' 10 8a-publishing "Figure 8, the main job: 20 s of its publishing step" 20 inbound-spoke
	f8_profile '==> the protected release' 5 8b-release "Figure 8, the main job: 10 s of its release step" 10
) &
f8_prof_pid=$!
wait "$f8_pid" || say "figure 8: the demo failed: $(tail -3 "$work/demo.out")"
f8_all=$(awk -v a="$t0" -v b="$(now_s)" 'BEGIN { printf "%.0f", b - a }')
wait "$f8_prof_pid" 2>/dev/null || true
f8_tab=$work/demo-var/timings.txt
# A demo that did not finish left the steps it finished (timings.partial).
[ -f "$f8_tab" ] || cp "$work/demo-var/timings.partial" "$f8_tab" 2>/dev/null || : >"$f8_tab"
cat "$f8_tab"
f8_wall=$(awk '$1 == "total" { print $2 }' "$f8_tab")
f8_cpu=$(awk '$1 == "total" { print $3 }' "$f8_tab") f8_hub=$(awk '$1 == "total" { print $4 }' "$f8_tab")
f8_pg=$(awk '$1 == "total" { print $5 }' "$f8_tab")
f8_idle=$(sed -n 's/.*at least \([0-9.]*\) s on.*/\1/p' "$f8_tab")
f8_load=$(sed -n 's/.*load average \([0-9.]*\).*/\1/p' "$f8_tab")
f8_pub=$(grep -E '^[0-9]+ hospitals: ' "$work/demo.out" | tail -1)
add_row "8. The main job, \`./deploy/demo.sh --once\` after the build (fresh database; generated data cached), wall s" \
	"${f8_wall:-failed} (CPU: spokes and tools ${f8_cpu:-?} s, hub ${f8_hub:-?} s, PostgreSQL ${f8_pg:-?} s; at load average ${f8_load:-?})" \
	"the CPU it used, spread over $(nproc) idle cores: ${f8_idle:-?} s" "$(ratio "${f8_wall:-0}" 180)" "≤ 180 s" \
	"$(awk -v w="${f8_wall:-0}" -v i="${f8_idle:-0}" 'BEGIN { if (w + 0 == 0) print "failed"; else if (w <= 180) print "met"; else if (i <= 180) print "not met on this shared machine (its CPU would fit 180 s on idle cores)"; else print "not met" }')"
# met: its profiles stay out of the notes
awk -v w="${f8_wall:-0}" 'BEGIN { exit !(w + 0 > 0 && w <= 180) }' && rm -f "$work"/profile-8*.md
fig_end 8
fi

# ---- (a) figure 6: spoke anonymiser against libcsv ------------------------
if run_fig 6 30; then
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
	"$(awk -v r="$f6_ratio" 'BEGIN { print (r <= 2 ? "met" : "not met (profile below)") }')"
# Over the target: 4 s of one more benchmark run (not counted) under
# bench_profile, once its case file is written.
if awk -v r="$f6_ratio" 'BEGIN { exit !(r > 2) }'; then
	bash "$root/tests/bench/cases_bench.sh" --build "$build" --runs 8 >"$work/fig6.prof" 2>&1 &
	f6_bench=$!
	for _ in $(seq 1 600); do grep -q '^machine:' "$work/fig6.prof" && break; sleep 0.1; done
	bench_profile 6-anonymiser "Figure 6, the spoke anonymiser: 4 s of one more run over the 1,000,000 rows" 4 bench_cases
	wait "$f6_bench" || true
fi
fig_end 6
fi

# ---- PostgreSQL, PKI, hub --------------------------------------------------
say "== starting PostgreSQL and the hub on loopback"
ibx_pg_init "$work/pg/data"
if [ "$profile" -eq 1 ]; then
	printf '%s\n' "shared_preload_libraries = 'pg_stat_statements'" \
		"pg_stat_statements.track = all" >>"$work/pg/data/postgresql.conf"
fi
# A Unix socket too, for the hub's intake when IBX_BENCH_PG_UNIX=1
# (figure 2: what the socket saves against TCP loopback); everything else
# connects over 127.0.0.1 as in service
pg_sock=$work/pgsock
mkdir -p "$pg_sock"
[ "$(id -u)" -ne 0 ] || chown postgres: "$pg_sock"
printf "unix_socket_directories = '%s'\n" "$pg_sock" >>"$work/pg/data/postgresql.conf"
pg_port=$(ibx_free_port)
ibx_pg_start "$work/pg/data" "$pg_port"
export PGPASSWORD
PGPASSWORD=$(cat "$work/pg/superuser.pass")
psql -h 127.0.0.1 -p "$pg_port" -U inbound -d postgres -qc "CREATE DATABASE bench" >/dev/null
dsn=$(ibx_pg_dsn "$work/pg/data" "$pg_port" bench)
hub_dsn=$dsn
[ "${IBX_BENCH_PG_UNIX:-0}" != 1 ] || hub_dsn=${dsn/host=127.0.0.1/host=$pg_sock}
psqlb() { psql -h 127.0.0.1 -p "$pg_port" -U inbound -d bench -XqtA "$@"; }
"$HUB" migrate --db "$dsn" >/dev/null 2>&1
pki=$work/pki
"$root/deploy/pki/ca-init.sh" "$pki" >/dev/null
listing=$root/tests/data/listing_example.json
lcode=$(jq -r .organisation_code "$listing")
# hospitals for the statistics runs: real codes from the generated listings
"$DATAGEN" listings --data "$root/deploy/data" --out "$work/listings" --seed 42 >/dev/null 2>&1
mapfile -t scodes < <(ls "$work/listings" | sed -n 's/\.json$//p' | grep -v "^$lcode$" | awk -v n="$((runs * stat_spokes))" 'NR <= n')
for code in "$lcode" "${scodes[@]}"; do
	"$root/deploy/pki/issue.sh" "$pki" "$code" hospital >/dev/null 2>&1
	"$CTL" enrol --db "$dsn" --ca "$pki/ca.pem" --cert "$pki/issued/$code.pem" >/dev/null
done
# as many HTTP threads (and API database connections) as figure 4 has
# clients, as pgbench has one backend per client; a port taken between
# choosing and binding is retried with others
for attempt in 1 2 3 4 5; do
	nng_port=$(ibx_free_port)
	http_port=$(ibx_free_port)
	NNG_URL=tcp://127.0.0.1:$nng_port
	IBX_API_TIMING=1 "$HUB" serve --db "$hub_dsn" --listen "$NNG_URL" --insecure-tcp --http "127.0.0.1:$http_port" ${IBX_BENCH_HUB_ARGS:-} \
		--http-threads "$http_conc" --ca "$pki/ca.pem" --crl "$pki/crl.pem" 2>>"$work/hub.log" &
	hub_pid=$!
	for _ in $(seq 1 300); do
		curl -fsS "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && break
		kill -0 "$hub_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$hub_pid" 2>/dev/null && break
	wait "$hub_pid" 2>/dev/null || true
	[ "$attempt" -lt 5 ] || { tail -20 "$work/hub.log" >&2; exit 1; }
done
seq_base=$(($(date +%s) * 1000000))
# CPU ticks (user + system) of the processes given, from /proc; the
# processes of this cluster (postmaster and its children)
ticks() { for p in "$@"; do awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null; done | awk '{ s += $1 } END { print s + 0 }'; }
# start_hub LOG [ARGS...]: one more hub on this run's database (own nng and
# HTTP ports, $http_conc HTTP threads); sets xpid, xurl, xhttp
start_hub() {
	local log=$1 attempt
	shift
	for attempt in 1 2 3 4 5; do
		xurl=tcp://127.0.0.1:$(ibx_free_port)
		xhttp=$(ibx_free_port)
		"$HUB" serve --db "$dsn" --listen "$xurl" --insecure-tcp --http "127.0.0.1:$xhttp" \
			--http-threads "$http_conc" --ca "$pki/ca.pem" --crl "$pki/crl.pem" "$@" 2>>"$log" &
		xpid=$!
		for _ in $(seq 1 300); do
			curl -fsS "http://127.0.0.1:$xhttp/healthz" >/dev/null 2>&1 && return 0
			kill -0 "$xpid" 2>/dev/null || break
			sleep 0.1
		done
		kill "$xpid" 2>/dev/null || true
		wait "$xpid" 2>/dev/null || true
	done
	tail -20 "$log" >&2
	return 1
}
# hubs 2..$hubs on the same primary (--hubs), started once
xhub_pids=() xhub_urls=() xhub_https=()
extra_hubs_up() {
	local k
	[ "${#xhub_pids[@]}" -eq 0 ] || return 0
	for k in $(seq 2 "$hubs"); do
		start_hub "$work/hub$k.log"
		xhub_pids+=("$xpid") xhub_urls+=("$xurl") xhub_https+=("$xhttp")
	done
}

# ---- (b) figure 3: round trip ---------------------------------------------
med() { for r in $(seq 1 "$runs"); do kv "$1" "$work/$2.$r"; done | median; }
if run_fig 3 90; then
say "== figure 3: listing update round trip, $rtt_n requests per run ($runs runs)"
cert=$pki/issued/$lcode.pem key=$pki/issued/$lcode.key
# the hub with the database left out (serve --no-db, benchmark only):
# every check as in service, nothing stored; a second hub, its own port
nodb_url=tcp://127.0.0.1:$(ibx_free_port)
"$HUB" serve --no-db --listen "$nodb_url" --insecure-tcp \
	--ca "$pki/ca.pem" --crl "$pki/crl.pem" 2>"$work/hub-nodb.log" &
nodb_pid=$!
for _ in $(seq 1 100); do grep -q "serving spokes" "$work/hub-nodb.log" && break; sleep 0.1; done
for r in $(seq 1 "$runs"); do
	"$BENCH" rtt --hub "$nodb_url" --listing "$listing" --cert "$cert" --key "$key" \
		--n "$rtt_n" --seq0 $((seq_base + r * 100000)) >"$work/rtt.$r" || {
		say "rtt run $r: not every update was accepted (see above)"; }
	"$BENCH" rtt --hub "$NNG_URL" --listing "$listing" --cert "$cert" --key "$key" \
		--n "$rtt_n" --seq0 $((seq_base + r * 100000)) >"$work/rttdb.$r" || {
		say "rtt (database) run $r: not every update was accepted (see above)"; }
	"$BENCH" base --port "$(ibx_free_port)" --listing "$listing" --cert "$cert" --key "$key" \
		--n "$rtt_n" --seq0 1 >"$work/base.$r"
	say "run $r: hub --no-db p50 $(kv p50_us "$work/rtt.$r") us p99 $(kv p99_us "$work/rtt.$r") us ($(kv accepted "$work/rtt.$r") accepted);" \
		"hub with the database p50 $(kv p50_us "$work/rttdb.$r") us;" \
		"baseline p50 $(kv p50_us "$work/base.$r") us p99 $(kv p99_us "$work/base.$r") us" \
		"(echo $(kv echo_p50_us "$work/base.$r"), verify+decode $(kv verify_decode_p50_us "$work/base.$r"))"
done
h50=$(med p50_us rtt) h99=$(med p99_us rtt) b50=$(med p50_us base) b99=$(med p99_us base)
d50=$(med p50_us rttdb) d99=$(med p99_us rttdb)
e50=$(med echo_p50_us base) v50=$(med verify_decode_p50_us base)
bytes=$(kv bytes "$work/base.1")
# Each run's own ratio (project and baseline of the same run, side by
# side): their spread is the noise the target is read against.
f3_runs=$(for r in $(seq 1 "$runs"); do ratio "$(kv p50_us "$work/rtt.$r")" "$(kv p50_us "$work/base.$r")"; echo; done | tr '\n' ' ')
f3_med=$(printf '%s\n' $f3_runs | median)
f3_spread=$(printf '%s\n' $f3_runs | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f", hi - lo }')
say "figure 3: hub p50 $h50 us / baseline $b50 us = $(ratio "$h50" "$b50"); p99 $h99 / $b99 = $(ratio "$h99" "$b99")"
say "figure 3: the runs' own ratios ${f3_runs}(median $f3_med, spread $f3_spread)"
add_row "3. Round trip, listing update (${bytes}-byte envelope), database left out (\`serve --no-db\`), p50 µs; the runs' own ratios" "$h50; ${f3_runs% }" \
	"$b50 (nng echo $e50 + verify+decode $v50)" "$f3_med (median of the runs' ratios; spread $f3_spread)" "≤ 1.25" \
	"$(awk -v r="$f3_med" -v d="$f3_spread" 'BEGIN { print (r <= 1.25 ? "met" : (r - d <= 1.25 ? "not met, within the spread of the runs" : "not met (see notes)")) }')"
# Over the target: one more run of 10,000 updates to the --no-db hub (not
# counted) under bench_profile, the hub and the benchmark's client.
if awk -v r="$f3_med" 'BEGIN { exit !(r > 1.25) }'; then
	"$BENCH" rtt --hub "$nodb_url" --listing "$listing" --cert "$cert" --key "$key" \
		--n 10000 --seq0 $((seq_base + 900000)) >"$work/rtt.prof" &
	f3_bench=$!
	sleep 0.5
	bench_profile 3-roundtrip "Figure 3, round trip without the database: 4 s of one more run of 10,000 updates" 4 "$nodb_pid" bench_hub
	wait "$f3_bench" || true
fi
kill "$nodb_pid" 2>/dev/null || true
wait "$nodb_pid" 2>/dev/null || true
add_row "3. Round trip, same, p99 µs" "$h99" "$b99" "$(ratio "$h99" "$b99")" "(none)" "-"
add_row "3. Round trip, same, with the database (one commit per update), p50 µs (p99)" "$d50 ($d99)" "$b50 ($b99)" "$(ratio "$d50" "$b50")" "(none)" "-"
f3_ratio=$f3_med
fig_end 3
fi

# ---- (c) figure 1: statistics ingest --------------------------------------
if run_fig 1 90; then
say "== figure 1: statistics ingest, $stat_subs submissions of $stat_cells cells per run ($runs runs)"
"$DATAGEN" cases --hospital "$lcode" --year 2024 --month 3 --rows 20000 --seed 42 \
	--data "$root/deploy/data" --out "$work/cases" >/dev/null 2>&1
cases=$work/cases/synthetic_cases_${lcode}_2024-03.csv
chmod 755 "$work/cases" 2>/dev/null || true
for r in $(seq 1 "$runs"); do
	# stat_spokes hospitals, each its own certificate and REQ socket,
	# sending stat_subs / stat_spokes submissions each, all started at once
	codes=("${scodes[@]:$(((r - 1) * stat_spokes)):$stat_spokes}")
	in_list=$(printf "'%s'," "${codes[@]}")
	in_list=${in_list%,}
	# every spoke ready (a 20,000-row file anonymised, some ms) well before
	start=$(awk -v t="$(now_s)" 'BEGIN { printf "%.3f", t + 2 }')
	pids=()
	for k in "${!codes[@]}"; do
		code=${codes[$k]}
		"$BENCH" stats --hub "$NNG_URL" --cases "$cases" --org "$code" \
			--cert "$pki/issued/$code.pem" --key "$pki/issued/$code.key" \
			--subs $((stat_subs / stat_spokes)) --cells "$stat_cells" --start-at "$start" \
			--seq0 $((seq_base + 900000 + r * 1000)) >"$work/stats.$r.$k" &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do wait "$pid" || say "stats run $r: not every submission was accepted"; done
	cat "$work"/stats.$r.* | awk -F= -v a="$start" '$1 == "cells" { c += $2 } $1 == "t1" && $2 > e { e = $2 }
		END { printf "cells=%d\nseconds=%.3f\ncells_per_s=%.0f\n", c, e - a, c / (e - a) }' >"$work/stats.$r"
	n=$(psqlb -c "SELECT count(*) FROM statistics_cells WHERE org_code IN ($in_list)")
	# the same rows, out and back in with COPY (FORMAT binary)
	psqlb -c "\\copy (SELECT * FROM statistics_cells WHERE org_code IN ($in_list)) TO '$work/cells.$r.bin' (FORMAT binary)"
	psqlb -c "DELETE FROM statistics_cells WHERE org_code IN ($in_list)"
	psqlb -c "VACUUM statistics_cells" 2>/dev/null || true
	t0=$(now_s)
	psqlb -c "\\copy statistics_cells FROM '$work/cells.$r.bin' (FORMAT binary)"
	t1=$(now_s)
	n2=$(psqlb -c "SELECT count(*) FROM statistics_cells WHERE org_code IN ($in_list)")
	awk -v n="$n2" -v a="$t0" -v b="$t1" 'BEGIN { printf "cells=%d\nseconds=%.3f\ncells_per_s=%.0f\n", n, b - a, n / (b - a) }' >"$work/copy.$r"
	say "run $r: hub $(kv cells_per_s "$work/stats.$r") cells/s ($(kv cells "$work/stats.$r") cells acked from $stat_spokes spokes, $n rows committed, $(kv seconds "$work/stats.$r") s);" \
		"COPY binary $(kv cells_per_s "$work/copy.$r") cells/s ($n2 rows, $(kv seconds "$work/copy.$r") s)"
done
s_hub=$(med cells_per_s stats) s_copy=$(med cells_per_s copy)
say "figure 1: hub $s_hub cells/s / COPY $s_copy cells/s = $(ratio "$s_hub" "$s_copy")"
add_row "1. Statistics ingest, $stat_subs signed submissions × $stat_cells cells from $stat_spokes concurrent spokes, cells/s" "$s_hub" \
	"COPY FROM STDIN (FORMAT binary) of the same rows, same table and indexes: $s_copy" \
	"$(ratio "$s_hub" "$s_copy")" "≥ 0.5" \
	"$(awk -v r="$(ratio "$s_hub" "$s_copy")" 'BEGIN { print (r >= 0.5 ? "met" : "not met: each submission its own commit; per submission the hub also verifies and decodes an 80 kB envelope, stores it compressed (lz4) in message_log, computes the import summary and keeps the roll-ups (deploy/sql/migrations/007), none of which COPY does") }')"
fig_end 1
fi

# ---- (e) figure 2: listing intake, CPU per update against one verification
if run_fig 2 120; then
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
# one burst: bench_hub burst against the hubs (nng URLs) given, with the CPU
# (user + system ticks from /proc) of those hubs and of every process of the
# cluster over it, per accepted update; out: the result file
burst_run() {
	local out=$1 seq0=$2 pids=$3 t_h0 t_p0 t_h1 t_p1 hubargs=() u
	shift 3
	for u in "$@"; do hubargs+=(--hub "$u"); done
	t_h0=$(ticks $pids) t_p0=$(ticks $(pg_pids))
	timeout 300 "$BENCH" burst "${hubargs[@]}" --dir "$work/listings" --pki "$pki" \
		--codes "$work/burst.codes" --n "$burst_n" --seq0 "$seq0" \
		>"$out" || say "burst $out: not every update was accepted"
	t_h1=$(ticks $pids) t_p1=$(ticks $(pg_pids))
	awk -v h=$((t_h1 - t_h0)) -v p=$((t_p1 - t_p0)) -v hz="$(getconf CLK_TCK)" -v n="$(kv accepted "$out")" \
		'BEGIN { if (n > 0) printf "hub_cpu_us=%.0f\npg_cpu_us=%.0f\ncpu_us=%.0f\n", h / hz * 1e6 / n, p / hz * 1e6 / n, (h + p) / hz * 1e6 / n }' >>"$out"
}
# one ECDSA P-256 verification on this machine, now: openssl speed (one
# core, 2 s), verifications/s and µs each
verify_speed() {
	openssl speed -seconds 2 ecdsap256 2>/dev/null |
		awk '/ecdsa \(nistp256\)/ { printf "verify_per_s=%s\nverify_us=%.2f\n", $NF, 1e6 / $NF }'
}
for r in $(seq 1 "$runs"); do
	prof_pid=
	if [ "$profile" -eq 1 ] && [ "$r" -eq 1 ]; then
		psqlb -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
		psqlb -c "SELECT pg_stat_statements_reset()" >/dev/null
		perf record -F 499 -g -o "$work/perf2.data" -p "$(echo "$hub_pid" $(pg_pids) | tr ' ' ,)" \
			>"$work/perf2.log" 2>&1 &
		prof_pid=$!
		sleep 1
	fi
	burst_run "$work/burst.$r" $((seq_base + 2000000 + r * 1000)) "$hub_pid" "$NNG_URL"
	if [ -n "$prof_pid" ]; then
		kill -INT "$prof_pid" 2>/dev/null || true
		wait "$prof_pid" 2>/dev/null || true
		perf report -i "$work/perf2.data" --no-children --sort comm,dso,symbol --stdio 2>/dev/null |
			grep -E '^ +[0-9]' | head -60 >"$work/perf2.top" || true
		psqlb -F ' | ' -c "SELECT calls, round(total_exec_time::numeric * 1000 / greatest(calls, 1), 1) AS us_per_call,
			round(total_plan_time::numeric * 1000 / greatest(calls, 1), 1) AS plan_us, left(regexp_replace(query, '\s+', ' ', 'g'), 110)
			FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25" >"$work/pgss2.top" || true
		say "profile of run 1: $work/perf2.top (perf, top symbols), $work/pgss2.top (pg_stat_statements)"
		head -25 "$work/perf2.top"
		cat "$work/pgss2.top"
	fi
	verify_speed >"$work/verify.$r"
	# the disk under the cluster: one 8 kB write + fdatasync, ops/s; once,
	# after the first burst (context, not the figure: pg_test_fsync runs all
	# its 16 tests, 16 s, for the one line)
	if [ "$r" -eq 1 ]; then
		timeout 300 "$pgtf" -s 1 -f "$work/fsync.tmp" >"$work/fsync.out.$r" 2>&1 || true
		awk '/^[[:space:]]+fdatasync/ { print "ops_per_s=" $2; exit }' "$work/fsync.out.$r" >"$work/fsync.$r"
	fi
	say "run $r: hub $(kv msgs_per_s "$work/burst.$r") msg/s ($(kv accepted "$work/burst.$r") accepted in $(kv seconds "$work/burst.$r") s;" \
		"CPU per update: hub $(kv hub_cpu_us "$work/burst.$r") us + PostgreSQL $(kv pg_cpu_us "$work/burst.$r") us = $(kv cpu_us "$work/burst.$r") us);" \
		"one ECDSA P-256 verification $(kv verify_us "$work/verify.$r") us ($(kv verify_per_s "$work/verify.$r")/s);" \
		"ratio $(ratio "$(kv cpu_us "$work/burst.$r")" "$(kv verify_us "$work/verify.$r")");" \
		"pg_test_fsync fdatasync $(kv ops_per_s "$work/fsync.1") ops/s"
done
if [ "$profile" -eq 1 ]; then
	# heap-only updates of the search row (migration 105); backends report
	# their counts when idle, within about 10 s
	sleep 11
	say "hospital_listings updates (all runs): $(psqlb -c "SELECT n_tup_upd || ', of which heap-only (no index touched) ' || n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'hospital_listings'")"
fi
g_hub=$(med msgs_per_s burst) g_fs=$(kv ops_per_s "$work/fsync.1")
g_hcpu=$(med hub_cpu_us burst) g_pcpu=$(med pg_cpu_us burst) g_cpu=$(med cpu_us burst)
g_vus=$(med verify_us verify) g_vps=$(med verify_per_s verify)
g_load=$(cut -d' ' -f1 /proc/loadavg)
f2_ratio=$(ratio "$g_cpu" "$g_vus")
g_want=$(awk -v v="$g_vps" -v n="$(nproc)" 'BEGIN { printf "%.0f", 0.25 * n * v }')
sc=$(psqlb -c "SHOW synchronous_commit")
say "figure 2: CPU per update $g_cpu us (hub $g_hcpu + PostgreSQL $g_pcpu) / one verification $g_vus us = $f2_ratio (target <= 4);" \
	"$g_hub msg/s against 0.25 x $(nproc) cores x $g_vps verifications/s = $g_want msg/s (synchronous_commit=$sc)"
add_row "2. Listing intake from $burst_spokes concurrent spokes ($burst_n updates each), CPU per accepted update (hub + PostgreSQL, /proc), µs" \
	"$g_cpu (hub $g_hcpu + PostgreSQL $g_pcpu)" "one ECDSA P-256 verification, \`openssl speed ecdsap256\` (one core): $g_vus" \
	"$f2_ratio" "≤ 4" "$(awk -v r="$f2_ratio" 'BEGIN { print (r <= 4 ? "met" : "not met (see notes)") }')"
# Target not met: where the CPU goes, by itself. One more burst (not in
# the medians) under perf (499 Hz, no call graphs, hub and cluster,
# bounded by a timeout); its share per process and top symbols go into
# the notes.
f2_perf=
if awk -v r="$f2_ratio" 'BEGIN { exit !(r > 4) }' && command -v perf >/dev/null; then
	timeout 300 perf record -F 499 -o "$work/perf2auto.data" -p "$(echo "$hub_pid" $(pg_pids) | tr ' ' ,)" \
		>"$work/perf2auto.log" 2>&1 &
	pp=$!
	sleep 1
	burst_run "$work/burst.perf" $((seq_base + 2000000 + (runs + 1) * 1000)) "$hub_pid" "$NNG_URL"
	kill -INT "$pp" 2>/dev/null || true
	wait "$pp" 2>/dev/null || true
	{
		echo "per process (% of samples):"
		perf report -i "$work/perf2auto.data" --no-children --sort comm -g none --stdio 2>/dev/null |
			grep -E '^ +[0-9]' | head -6 | sed 's/[[:space:]]*$//'
		echo "top symbols (comm, object, symbol; % of all samples):"
		perf report -i "$work/perf2auto.data" --no-children --sort comm,dso,symbol -g none --stdio 2>/dev/null |
			grep -E '^ +[0-9]' | head -25 | sed -E 's/[[:space:]]+-[[:space:]]+-[[:space:]]*$//'
	} >"$work/perf2auto.top" || true
	f2_perf="$work/perf2auto.top"
	say "figure 2 not met: profile of one more burst under perf ($(kv accepted "$work/burst.perf") accepted, CPU per update $(kv cpu_us "$work/burst.perf") us with perf running):"
	cat "$f2_perf"
fi
add_row "2. Same, accepted msg/s (synchronous_commit=$sc)" "$g_hub" \
	"0.25 × $(nproc) cores × $g_vps verifications/s: $g_want" "$(ratio "$g_hub" "$g_want")" "≥ 1" \
	"$(awk -v r="$(ratio "$g_hub" "$g_want")" 'BEGIN { print (r >= 1 ? "met" : "not met") }')"
add_row "2. Same, against the disk: pg_test_fsync, one 8 kB write + fdatasync, ops/s" "$g_hub" "$g_fs" \
	"$(ratio "$g_hub" "$g_fs")" "(none)" "-"
if [ "$hubs" -gt 1 ]; then
	say "== figure 2 with $hubs hubs on the one primary (spokes dealt round-robin)"
	extra_hubs_up
	for r in $(seq 1 "$runs"); do
		burst_run "$work/burst$hubs.$r" $((seq_base + 3000000 + r * 1000)) "$hub_pid ${xhub_pids[*]}" "$NNG_URL" "${xhub_urls[@]}"
		say "run $r ($hubs hubs): $(kv msgs_per_s "$work/burst$hubs.$r") msg/s ($(kv accepted "$work/burst$hubs.$r") accepted;" \
			"CPU per update: hubs $(kv hub_cpu_us "$work/burst$hubs.$r") us + PostgreSQL $(kv pg_cpu_us "$work/burst$hubs.$r") us)"
	done
	g2_hub=$(med msgs_per_s "burst$hubs") g2_cpu=$(med cpu_us "burst$hubs")
	g2_hcpu=$(med hub_cpu_us "burst$hubs") g2_pcpu=$(med pg_cpu_us "burst$hubs")
	add_row "2. Same with $hubs hubs on the one primary (spokes dealt round-robin), accepted msg/s; CPU per update µs" \
		"$g2_hub; $g2_cpu (hubs $g2_hcpu + PostgreSQL $g2_pcpu)" "one hub, same run: $g_hub; $g_cpu" \
		"$(ratio "$g2_hub" "$g_hub")" "(none)" "-"
fi
fig_end 2
fi

# ---- (d) figure 4: hospital search at 16 clients vs pgbench ----------------
if run_fig 4 150; then
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
# the protected release search's experience comes from: $f4_months months
# of the per-hospital marginals (tests/bench/search_release_gen.sql), then
# search_experience rebuilt from it as a release run does at its end
psqlb -v months="$f4_months" -f "$root/tests/bench/search_release_gen.sql" >/dev/null
f4_relrows=$(psqlb -c "SELECT count(*) FROM release_values")
t0=$(now_s)
f4_exp=$(psqlb -c "SELECT ibx_search_experience_refresh()")
f4_refresh_ms=$(awk -v a="$t0" -v b="$(now_s)" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
say "release: $f4_relrows values; search_experience rebuilt ($f4_exp hospitals) in $f4_refresh_ms ms"
token=$("$CTL" token create --db "$dsn" --role ministry --label bench 2>/dev/null)
# SQL_MATCH_CURRENT, extracted from hub/api/api_hospitals.c, with the same
# parameters as the HTTP query (treatment, language; the rest NULL)
{ echo '#include <stdio.h>'
  awk '/^#define SQL_MATCH_COMMON/,/[^\\]$/' "$root/hub/api/api_hospitals.c"
  awk '/^#define SQL_MATCH_TAIL/,/[^\\]$/' "$root/hub/api/api_hospitals.c"
  awk '/^static const char SQL_MATCH_CURRENT/,/;$/' "$root/hub/api/api_hospitals.c"
  echo 'int main(void) { fputs(SQL_MATCH_CURRENT, stdout); return 0; }'; } >"$work/sqlx.c"
cc -o "$work/sqlx" "$work/sqlx.c"
"$work/sqlx" | sed -e 's/\$13\b/NULL::date/g; s/\$12\b/NULL::text/g; s/\$11\b/NULL::text/g' \
	-e 's/\$10\b/NULL::float8/g; s/\$9\b/NULL::float8/g; s/\$8\b/NULL::text/g' \
	-e 's/\$7\b/NULL::boolean/g; s/\$6\b/NULL::text/g; s/\$5\b/NULL::text/g' \
	-e 's/\$4\b/NULL::text/g; s/\$3\b/'"'en'"'::text/g; s/\$2\b/NULL::text/g' \
	-e 's/\$1\b/'"'chemotherapy'"'::text/g; s/\$14\b/NULL::float8/g; s/\$15\b/'"'chemotherapy'"'::text/g' \
	-e 's/\$16\b/NULL::bigint/g; s/\$17\b/NULL::boolean/g; s/\$18\b/false::boolean/g' >"$work/match.sql"
echo ";" >>"$work/match.sql"
# the baseline: the bare filter, the GIN-indexed conditions of the same
# parameters returning the matching codes, nothing else
echo "SELECT org_code FROM hospital_listings WHERE treatments @> ARRAY['chemotherapy'] AND languages @> ARRAY['en'];" >"$work/bare.sql"
matched=$(psqlb -f "$work/match.sql" | wc -l)
say "the search matches $matched hospitals (bare filter: $(psqlb -f "$work/bare.sql" | wc -l))"
# pgbench's per-transaction log (prefix $1) as requests=, p50_us=, p99_us=
pgb_pct() {
	cat "$work/$1".* | awk '{ print $3 }' | sort -g |
		awk '{ v[NR] = $1 } END { i = int(0.99 * (NR - 1) + 0.5) + 1; j = int(0.5 * (NR - 1) + 0.5) + 1;
			printf "requests=%d\np50_us=%s\np99_us=%s\n", NR, v[j], v[i] }' >"$work/$1"
}
timing_from=$(wc -l <"$work/hub.log")
# CPU ticks (user + system) of processes, and of this cluster: its live
# processes and the backends it has reaped (the postmaster's children's)
f4_ticks() { for p in "$@"; do awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null; done | awk '{ s += $1 } END { print s + 0 }'; }
f4_pg_ticks() {
	local pm
	pm=$(head -1 "$work/pg/data/postmaster.pid")
	echo $(($(f4_ticks "$pm" $(ps --ppid "$pm" -o pid= 2>/dev/null)) + $(awk '{ print $16 + $17 }' "/proc/$pm/stat")))
}
hz=$(getconf CLK_TCK)
# perf over part of run 1 (bounded: $f4_perf_s s at 499 Hz with call
# graphs, from 2 s after the load starts), on the hub and every process
# of the cluster; summarised below, and into the notes when the target
# is not met
f4_perf_s=5
f4_perf_pid=
for r in $(seq 1 "$runs"); do
	if [ "$r" -eq 1 ] && command -v perf >/dev/null 2>&1; then
		(sleep 2; exec perf record -F 499 -g -o "$work/perf4.data" \
			-p "$(echo "$hub_pid" $(pg_pids) | tr ' ' ,)" -- sleep "$f4_perf_s") >"$work/perf4.log" 2>&1 &
		f4_perf_pid=$!
	fi
	t_hub0=$(f4_ticks "$hub_pid") t_pg0=$(f4_pg_ticks)
	timeout 300 "$BENCH" http --port "$http_port" --path "$qpath" --token "$token" \
		--conc "$http_conc" --n "$http_n" >"$work/http.$r" || say "http run $r: some requests failed"
	t_hub1=$(f4_ticks "$hub_pid") t_pg1=$(f4_pg_ticks)
	if [ -n "$f4_perf_pid" ]; then
		wait "$f4_perf_pid" 2>/dev/null || true
		f4_perf_pid=
	fi
	awk -v h=$((t_hub1 - t_hub0)) -v p=$((t_pg1 - t_pg0)) -v hz="$hz" -v n="$(kv ok "$work/http.$r")" \
		'BEGIN { if (n > 0) printf "hub_cpu_us=%.0f\npg_cpu_us=%.0f\n", h / hz * 1e6 / n, p / hz * 1e6 / n }' >>"$work/http.$r"
	for b in bare match; do
		t_pg0=$(f4_pg_ticks)
		rm -f "$work/pgb$b.$r".*
		(cd "$work" && timeout 300 pgbench -h 127.0.0.1 -p "$pg_port" -U inbound -n -M simple \
			-c "$http_conc" -j "$(nproc)" -t "$http_n" -f "$work/$b.sql" -l \
			--log-prefix="pgb$b.$r" bench >"$work/pgbench$b.out.$r" 2>&1) || say "pgbench ($b) run $r failed"
		t_pg1=$(f4_pg_ticks)
		pgb_pct "pgb$b.$r"
		awk -v p=$((t_pg1 - t_pg0)) -v hz="$hz" -v n="$(kv requests "$work/pgb$b.$r")" \
			'BEGIN { if (n > 0) printf "pg_cpu_us=%.0f\n", p / hz * 1e6 / n }' >>"$work/pgb$b.$r"
	done
	say "run $r: API p50 $(kv p50_us "$work/http.$r") us p99 $(kv p99_us "$work/http.$r") us ($(kv ok "$work/http.$r") ok);" \
		"pgbench bare filter p50 $(kv p50_us "$work/pgbbare.$r") us p99 $(kv p99_us "$work/pgbbare.$r") us;" \
		"pgbench SQL_MATCH_CURRENT p50 $(kv p50_us "$work/pgbmatch.$r") us p99 $(kv p99_us "$work/pgbmatch.$r") us;" \
		"CPU per request: API hub $(kv hub_cpu_us "$work/http.$r") us + PostgreSQL $(kv pg_cpu_us "$work/http.$r") us," \
		"bare filter $(kv pg_cpu_us "$work/pgbbare.$r") us, match query $(kv pg_cpu_us "$work/pgbmatch.$r") us"
done
c_hub=$(med hub_cpu_us http) c_pg=$(med pg_cpu_us http) c_bare=$(med pg_cpu_us pgbbare) c_match=$(med pg_cpu_us pgbmatch)
a99=$(med p99_us http) p99=$(med p99_us pgbbare) a50=$(med p50_us http) p50=$(med p50_us pgbbare)
m99=$(med p99_us pgbmatch) m50=$(med p50_us pgbmatch)
say "figure 4: API p99 $a99 us / bare filter p99 $p99 us = $(ratio "$a99" "$p99") (SQL_MATCH_CURRENT p99 $m99 us)"
# the CPU split of a search (hub and PostgreSQL, /proc) and perf's
# profile of run 1: by process and library, and the 10 symbols with the
# most samples of their own (PostgreSQL's without debug symbols show as
# addresses in the postgres binary)
f4_split=$(awk -v h="$c_hub" -v p="$c_pg" -v b="$c_bare" 'BEGIN { t = h + p; if (t > 0 && b > 0)
	printf "CPU per search %d µs: hub %d µs (%.0f %%), PostgreSQL %d µs (%.0f %%); the bare filter %d µs, %.1fx less", t, h, 100 * h / t, p, 100 * p / t, b, t / b }')
say "figure 4 CPU split: $f4_split"
f4_perf_dso= f4_perf_top=
if [ -s "$work/perf4.data" ]; then
	f4_perf_dso=$(perf report -i "$work/perf4.data" --no-children --sort comm,dso -g none --stdio 2>/dev/null |
		awk '/^ +[0-9.]+%/ { printf "%s%s %s %s", (n++ ? "; " : ""), $1, $2, $3 } n == 8 { exit }')
	perf report -i "$work/perf4.data" --no-children --sort comm,dso,symbol -g none --stdio 2>/dev/null |
		awk '/^ +[0-9.]+%/ { $1 = $1; sub(/( -)+$/, ""); print }' | head -10 >"$work/perf4.top" || true
	f4_perf_top=$(cat "$work/perf4.top")
	say "figure 4 perf ($f4_perf_s s of run 1, hub and PostgreSQL), by process and library: $f4_perf_dso"
	say "figure 4 perf, top 10 symbols (self):"
	sed 's/^/  /' "$work/perf4.top"
else
	say "figure 4 perf: no profile ($(tail -1 "$work/perf4.log" 2>/dev/null || echo "perf not installed"))"
fi
# the hub's phase timings (IBX_API_TIMING) over these runs: the median
# of each phase, and its mean over the slowest 1 % of searches (by the
# handler's time); the audit append's p50 and p99
tail -n +"$((timing_from + 1))" "$work/hub.log" >"$work/timing.log"
f4_prof=$(awk -F'[= ]' '/search timing:/ { for (i = 1; i <= NF; i++) if ($i ~ /_us$/) v[$i] = $(i + 1);
	print v["match_us"] + v["rank_us"] + v["page_us"] + v["out_us"], v["match_us"], v["rank_us"], v["page_us"], v["out_us"] }' \
	"$work/timing.log" | sort -g | awk '{ t[NR] = $1; m[NR] = $2; r[NR] = $3; p[NR] = $4; o[NR] = $5 }
	END { if (NR == 0) { print "no timings"; exit } k = int(NR * 0.99); n = 0;
		for (i = k + 1; i <= NR; i++) { n++; st += t[i]; sm += m[i]; sr += r[i]; sp += p[i]; so += o[i] }
		h = int((NR + 1) / 2);
		printf "handler median %d us (match %d, rank %d, page %d, json %d); slowest 1 %% (%d searches) mean %d us: match %d, rank %d, page %d, json %d",
			t[h], m[h], r[h], p[h], o[h], n, st / n, sm / n, sr / n, sp / n, so / n }')
f4_audit=$(awk -F'append_us=' '/audit timing:/ { print $2 + 0 }' "$work/timing.log" | sort -g |
	awk '{ v[NR] = $1 } END { if (NR == 0) print "no timings"; else printf "audit append p50 %d us, p99 %d us (%d calls)", v[int((NR + 1) / 2)], v[int(0.99 * (NR - 1) + 0.5) + 1], NR }')
f4_audit="$f4_audit; $(for k in call_us before_route_us; do sed -n "s/.*api timing: .*$k=\([0-9]*\).*/\1/p" "$work/timing.log" |
	sort -g | awk -v k="$k" '{ v[NR] = $1 } END { if (NR > 0) printf "%s p50 %d us, p99 %d us; ", (k == "call_us" ? "whole API call" : "before its route"), v[int((NR + 1) / 2)], v[int(0.99 * (NR - 1) + 0.5) + 1] }'; done)"
f4_audit=${f4_audit%; }
say "figure 4 profile: $f4_prof; $f4_audit"
add_row "4. Hospital search, $nh hospitals ($matched match), $http_conc clients, p99 µs (p50)" "$a99 ($a50)" \
	"pgbench, the bare filter (GIN \`@>\` conditions, codes only), same concurrency: $p99 ($p50)" "$(ratio "$a99" "$p99")" "≤ 2" \
	"$(awk -v r="$(ratio "$a99" "$p99")" 'BEGIN { print (r <= 2 ? "met" : "not met (see notes)") }')"
add_row "4. Same, pgbench of the whole match query (SQL_MATCH_CURRENT), p99 µs (p50)" "$a99 ($a50)" \
	"$m99 ($m50)" "$(ratio "$a99" "$m99")" "(none)" "-"
add_row "4. Same, CPU per request (/proc, hub + PostgreSQL), µs" "$(awk -v a="$c_hub" -v b="$c_pg" 'BEGIN { print a + b }') (hub $c_hub + PostgreSQL $c_pg)" \
	"bare filter: $c_bare; whole match query: $c_match" "$(ratio "$(awk -v a="$c_hub" -v b="$c_pg" 'BEGIN { print a + b }')" "$c_bare")" "(none)" "-"
# the synthetic release goes, so that figure 5 measures its own
psqlb -c "DELETE FROM release_values" -c "DELETE FROM release_queries" -c "DELETE FROM release_months" \
	-c "SELECT ibx_search_experience_refresh()" >/dev/null
add_row "4. search_experience rebuilt from a release of $f4_relrows values ($f4_exp hospitals), ms" "$f4_refresh_ms" "-" "-" "(none)" "-"
fig_end 4
fi

# ---- (d2) scale past one machine (--hubs N): the search over N hubs on the
# one primary, the read API on a hot standby, and intake with searches at once
if [ "$hubs" -gt 1 ] && want 4 && [ -n "${a99:-}" ] && fits 4s 120; then
say "== scale: figure 4's search over 1 and $hubs hubs on the one primary, and with the read API on a hot standby"
extra_hubs_up
sb_data=$work/pg-standby/data
sb_port=$(ibx_free_port)
# the cluster's owner must reach the folder (ibx_pg_init left umask 077)
mkdir -p "$work/pg-standby"
chmod 755 "$work/pg-standby"
ibx_pg_standby_init "$work/pg/data" "$pg_port" "$sb_data"
ibx_pg_start "$sb_data" "$sb_port"
ibx_pg_wait_replay "$sb_data" "$sb_port" "$(ibx_pg_wal_lsn "$work/pg/data" "$pg_port")" 120
start_hub "$work/hub-standby.log" --db-read "$(ibx_pg_dsn "$sb_data" "$sb_port" bench)"
sbhub_pid=$xpid sbhub_http=$xhttp
grep -h "API reads from" "$work/hub-standby.log" | sed 's/^/standby hub: /' || true
# one search load (bench_hub http, $http_conc clients in all) against the
# HTTP ports given, with the CPU of every hub, of the primary and of the
# standby per request; out: the result file
search_run() {
	local out=$1 t_h0 t_p0 t_s0 t_h1 t_p1 t_s1 p portargs=()
	shift
	for p in "$@"; do portargs+=(--port "$p"); done
	t_h0=$(ticks "$hub_pid" "${xhub_pids[@]}" "$sbhub_pid") t_p0=$(ticks $(pg_pids)) t_s0=$(ticks $(pg_pids "$sb_data"))
	timeout 300 "$BENCH" http "${portargs[@]}" --path "$qpath" --token "$token" \
		--conc "$http_conc" --n "$http_n" >"$out" || say "search $out: some requests failed"
	t_h1=$(ticks "$hub_pid" "${xhub_pids[@]}" "$sbhub_pid") t_p1=$(ticks $(pg_pids)) t_s1=$(ticks $(pg_pids "$sb_data"))
	awk -v h=$((t_h1 - t_h0)) -v p=$((t_p1 - t_p0)) -v s=$((t_s1 - t_s0)) -v hz="$(getconf CLK_TCK)" -v n="$(kv requests "$out")" \
		'BEGIN { if (n > 0) printf "hub_cpu_us=%.0f\npg_cpu_us=%.0f\nsb_cpu_us=%.0f\n", h / hz * 1e6 / n, p / hz * 1e6 / n, s / hz * 1e6 / n }' >>"$out"
}
sc_line() { # label file
	say "$1: $(kv req_per_s "$2") req/s, p50 $(kv p50_us "$2") us, p99 $(kv p99_us "$2") us ($(kv ok "$2") ok);" \
		"CPU per search: hubs $(kv hub_cpu_us "$2") us, primary $(kv pg_cpu_us "$2") us, standby $(kv sb_cpu_us "$2") us"
}
# The 1-hub baseline of these rows is figure 4's own API runs (http.N):
# the same load (16 clients x 100, query, token) on the same hub, which
# was measured again here before (its runs took 30-40 s of the budget).
for r in $(seq 1 "$runs"); do
	search_run "$work/scn.$r" "$http_port" "${xhub_https[@]}"
	sc_line "run $r, $hubs hubs on the primary" "$work/scn.$r"
	search_run "$work/scsb.$r" "$sbhub_http"
	sc_line "run $r, 1 hub reading from the hot standby" "$work/scsb.$r"
done
sc_row() { # label file baseline-file
	local sb
	sb=$(med sb_cpu_us "$2")
	[ "$sb" != nan ] || sb="- (no standby then)"
	add_row "$1" "$(med req_per_s "$2") req/s; p99 $(med p99_us "$2") µs (p50 $(med p50_us "$2")); CPU per search µs: hubs $(med hub_cpu_us "$2"), primary $(med pg_cpu_us "$2"), standby $sb" \
		"1 hub on the primary (figure 4's runs): $(med req_per_s "$3") req/s; p99 $(med p99_us "$3") µs" "$(ratio "$(med req_per_s "$2")" "$(med req_per_s "$3")")" "(none)" "-"
}
sc_row "4s. Search as figure 4, 1 hub on the primary (figure 4's runs): req/s; latency; CPU per search (hubs, primary, standby)" http http
sc_row "4s. Same, $hubs hubs on the one primary (clients dealt round-robin)" scn http
sc_row "4s. Same, 1 hub with its read API on a hot standby (audit on the primary)" scsb http
if want 2; then
	# intake into the primary through every hub while the standby serves
	# the searches: both rates, against each alone
	for r in $(seq 1 "$runs"); do
		search_run "$work/scmix.$r" "$sbhub_http" &
		mix_pid=$!
		burst_run "$work/burstmix.$r" $((seq_base + 4000000 + r * 1000)) "$hub_pid ${xhub_pids[*]}" "$NNG_URL" "${xhub_urls[@]}"
		wait "$mix_pid" || true
		say "run $r, intake and search at once: intake $(kv msgs_per_s "$work/burstmix.$r") msg/s ($hubs hubs, primary), search $(kv req_per_s "$work/scmix.$r") req/s (standby), p99 $(kv p99_us "$work/scmix.$r") us"
	done
	add_row "2+4s. Intake ($hubs hubs, primary) and search (hot standby) at once: msg/s; search req/s, p99 µs" \
		"$(med msgs_per_s burstmix) msg/s; $(med req_per_s scmix) req/s, p99 $(med p99_us scmix)" \
		"each alone: ${g2_hub:-$g_hub} msg/s; $(med req_per_s scsb) req/s, p99 $(med p99_us scsb)" \
		"$(ratio "$(med msgs_per_s burstmix)" "${g2_hub:-$g_hub}"); $(ratio "$(med req_per_s scmix)" "$(med req_per_s scsb)")" "(none)" "-"
fi
fig_end 4s
fi

# ---- (f) figure 5: national statistics over 10 million cells ---------------
if run_fig 5 300; then
say "== figure 5: statistics over $f5_hospitals hospitals x $f5_months months x $f5_per cells"
# figure 1's submissions (periods from 2000-01) would make the release
# below measure every month since: they go first (the roll-ups are rebuilt
# by the generator)
psqlb -c "DELETE FROM statistics_cells WHERE org_code NOT LIKE '98%'" -c "DELETE FROM statistics_submissions WHERE org_code NOT LIKE '98%'"
t0=$(now_s)
psqlb -v hospitals="$f5_hospitals" -v months="$f5_months" -v per="$f5_per" \
	-f "$root/tests/bench/stats_rollup_gen.sql" >/dev/null
say "generated $(psqlb -c "SELECT count(*) FROM statistics_cells WHERE current") cells and roll-ups in $(awk -v a="$t0" -v b="$(now_s)" 'BEGIN { printf "%.0f", b - a }') s" \
	"($(psqlb -c "SELECT pg_size_pretty(pg_database_size(current_database()))"))"
# the protected release the API answers from (hub/stats/release.c): the
# first month alone (one period for $f5_hospitals hospitals), then the rest
# with their calendar years; the clock just after the data's last month
f5_first=$(psqlb -c "SELECT to_char(min(period), 'YYYY-MM') FROM statistics_submissions WHERE org_code LIKE '98%'")
f5_now=$(psqlb -c "SELECT to_char(max(period) + interval '1 month' + interval '19 days', 'YYYY-MM-DD') FROM statistics_submissions WHERE org_code LIKE '98%'")
"$CTL" release --db "$dsn" --until "$f5_first" --now "$f5_now" >"$work/f5rel1.out" 2>&1 || say "figure 5: release of $f5_first failed"
"$CTL" release --db "$dsn" --now "$f5_now" >"$work/f5rel2.out" 2>&1 || say "figure 5: release failed"
f5_rel1=$(sed -n 's/.* in \([0-9.]*\) s,.*/\1/p' "$work/f5rel1.out" | head -1)
f5_rel2=$(sed -n 's/.* in \([0-9.]*\) s,.*/\1/p' "$work/f5rel2.out" | head -1)
f5_relm=$(sed -n 's/^release: measured \([0-9]*\) months.*/\1/p' "$work/f5rel2.out" | head -1)
say "release: one month ($f5_first) ${f5_rel1:-?} s; then ${f5_relm:-?} months and their years ${f5_rel2:-?} s"
say "$(cat "$work/f5rel1.out" "$work/f5rel2.out")"
f5_token=$("$CTL" token create --db "$dsn" --role ministry --label bench5 2>/dev/null)
# the plain GROUP BY of the same rows: patients by year and nationality
echo "SELECT extract(year FROM period), nationality, sum(patients) FROM statistics_cells WHERE current GROUP BY 1, 2;" >"$work/f5.sql"
for r in $(seq 1 "$runs"); do
	timeout 300 "$BENCH" http --port "$http_port" --path "$f5_path" --token "$f5_token" \
		--conc 1 --n "$f5_n" >"$work/f5http.$r" || say "figure 5 run $r: some requests failed"
	rm -f "$work/f5pgb.$r".*
	(cd "$work" && timeout 600 pgbench -h 127.0.0.1 -p "$pg_port" -U inbound -n -M simple \
		-c 1 -t "$f5_base_n" -f "$work/f5.sql" -l --log-prefix="f5pgb.$r" bench >/dev/null 2>&1) ||
		say "figure 5 pgbench run $r failed"
	cat "$work/f5pgb.$r".* | awk '{ print $3 }' | sort -g |
		awk '{ v[NR] = $1 } END { i = int(0.95 * (NR - 1) + 0.5) + 1; printf "requests=%d\np95_us=%s\n", NR, v[i] }' >"$work/f5pgb.$r"
	say "run $r: API p95 $(kv p95_us "$work/f5http.$r") us ($(kv ok "$work/f5http.$r") ok); plain GROUP BY p95 $(kv p95_us "$work/f5pgb.$r") us ($(kv requests "$work/f5pgb.$r") queries)"
done
f5a=$(med p95_us f5http) f5b=$(med p95_us f5pgb)
f5r=$(awk -v a="$f5a" -v b="$f5b" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.4f", a / b }')
# the same answer: the roll-up's sums against the plain GROUP BY, and the
# released table with roll-ups against the same query forced to the cells
f5diff=$(psqlb -c "SELECT count(*) FROM (SELECT extract(year FROM period)::text AS y, nationality, sum(patients) AS n
	FROM statistics_cells WHERE current GROUP BY 1, 2) g FULL JOIN (SELECT r.pkey AS y, r.nationality, sum(r.patients) AS n
	FROM statistics_rollup r JOIN statistics_rollup_sets s ON s.id = r.set_id AND s.grain = 'year' AND s.dims = 2
	WHERE r.hospitals > 0 GROUP BY 1, 2) o USING (y, nationality) WHERE g.n IS DISTINCT FROM o.n")
curl -sS -H "Authorization: Bearer $f5_token" "http://127.0.0.1:$http_port$f5_path" >"$work/f5on.json"
psqlb -c "UPDATE settings SET value = 'off' WHERE name = 'statistics_rollups'"
curl -sS -m 600 -H "Authorization: Bearer $f5_token" "http://127.0.0.1:$http_port$f5_path" >"$work/f5off.json"
psqlb -c "UPDATE settings SET value = 'on' WHERE name = 'statistics_rollups'"
f5same=$(cmp -s "$work/f5on.json" "$work/f5off.json" && echo "identical" || echo "DIFFERENT")
say "figure 5: API p95 $f5a us / GROUP BY p95 $f5b us = $f5r; $f5diff (year, nationality) sums differ; released table with roll-ups vs cells: $f5same"
add_row "5. Statistics over $(psqlb -c "SELECT count(*) FROM statistics_cells WHERE current") cells, patients by year and nationality, p95 µs" "$f5a" \
	"plain GROUP BY of the same rows (pgbench -c 1): $f5b" "$f5r" "≤ 0.1" \
	"$(awk -v r="$f5r" -v d="$f5diff" -v s="$f5same" 'BEGIN { print (r <= 0.1 && d == 0 && s == "identical" ? "met" : "not met") }'); same answer: sums $([ "$f5diff" = 0 ] && echo equal || echo differ), released table $f5same"
add_row "5. Protected release of one month for $(psqlb -c "SELECT hospitals FROM release_months ORDER BY period LIMIT 1") hospitals (\`inboundctl release\`, search's experience rebuilt included), s" \
	"${f5_rel1:-?}" "-" "-" "(none)" "-"
add_row "5. Same, the other ${f5_relm:-?} months and their calendar years, s" "${f5_rel2:-?}" "-" "-" "(none)" "-"
fig_end 5
fi

# ---- (i) figure 9: a 1 GiB referral package against a bare nng TLS pair --
# tests/bench/referral_bench.sh on this run's cluster (its own database,
# dropped after; the hub's roles added to the cluster here): a coordinator's
# spoke seals the package, the agent drains it to a hub of its own over
# mutual TLS (tls+tcp://127.0.0.1), the hospital fetches it back; the bare
# nng REQ/REP TLS pair moves the same bytes in the same run.  Under the
# target, one more drain of $f9_prof_mib MiB (not counted) runs under
# bench_profile.
f9_mib=${IBX_BENCH_REFERRAL_MIB:-1024} f9_prof_mib=128 f9_prof_s=4 # the package: 1 GiB (issue 18)
if run_fig 9 130; then
say "== figure 9: referral package of $f9_mib MiB over mutual TLS, against a bare nng TLS socket pair"
ibx_pg_roles "$work/pg/data" "$pg_port"
mkdir -p "$work/refpg"
printf 'IBX_PG_TMP=%s\nIBX_PG_DATA=%s\nIBX_PG_PORT=%s\n' "$work/pg" "$work/pg/data" "$pg_port" >"$work/refpg/env"
# the profile runs in referral_bench.sh's shell (bash -c): bench_profile
# and what it calls, exported
export work
export -f bench_profile say pg_pids
f9_prof="bench_profile 9-referral 'Figure 9, referral packages: the drain of one more $f9_prof_mib MiB package' $f9_prof_s \"\$HUB_PID\" \"\$SPOKE_PID\" \"\$(pg_pids \"\$PG_DATA\" | tr ' ' ,)\""
timeout 900 bash "$root/tests/bench/referral_bench.sh" --build "$build" --mib "$f9_mib" --pg-state "$work/refpg" \
	--profile "$f9_prof" --profile-mib "$f9_prof_mib" >"$work/fig9.out" 2>"$work/fig9.err" || { say "figure 9: referral_bench.sh failed:"; tail -5 "$work/fig9.err"; }
grep -E '^[a-z_]+=' "$work/fig9.out" || true
f9() { sed -n "s/^$1=//p" "$work/fig9.out" | tail -1; }
f9_t=$(f9 transfer_mb_per_s) f9_base=$(f9 base_mb_per_s) f9_f=$(f9 fetch_mb_per_s)
f9_ratio=$(ratio "${f9_t:-0}" "${f9_base:-0}")
f9_load="$(f9 load_average_start)-$(f9 load_average_end)"
say "figure 9: transfer $f9_t MB/s / bare nng TLS $f9_base MB/s = $f9_ratio; fetch $f9_f MB/s; peak RSS hub $(f9 hub_peak_rss_mb) MB, spokes $(f9 spoke_drain_peak_rss_mb) and $(f9 spoke_fetch_peak_rss_mb) MB"
add_row "9. Referral package, $(f9 package_bytes) bytes sealed, coordinator → hub over mutual TLS (the agent's drain, $(f9 window) chunks in flight: each 1 MiB chunk signed, sent, verified, stored in PostgreSQL, acknowledged), MB/s" \
	"${f9_t:-failed} ($(f9 transfer_seconds) s; at load average $f9_load)" \
	"bare nng REQ/REP TLS socket pair, the same bytes in 1 MiB messages, 300-byte replies: ${f9_base:-?} ($(f9 base_seconds) s)" \
	"$f9_ratio" "≥ 0.5" "$(awk -v r="$f9_ratio" -v t="${f9_t:-0}" 'BEGIN { if (t + 0 == 0) print "failed"; else print (r >= 0.5 ? "met" : "not met (see notes)") }')"
add_row "9. Same package, hub → hospital (the fetch: chunks pulled $(f9 window) at a time, checked, decrypted, verified into a folder), MB/s" \
	"${f9_f:-?} ($(f9 fetch_seconds) s)" "the same bare pair: ${f9_base:-?}" "$(ratio "${f9_f:-0}" "${f9_base:-0}")" "(none)" "-"
add_row "9. Same, the drain's CPU per MB (user + system, /proc: hub + sending spoke + PostgreSQL), µs" \
	"$(f9 drain_cpu_us_per_mb) (hub $(f9 drain_cpu_hub_s) s, spoke $(f9 drain_cpu_spoke_s) s, PostgreSQL $(f9 drain_cpu_pg_s) s)" \
	"the bare pair's process (getrusage, both ends): $(f9 base_cpu_us_per_mb)" "$(f9 cpu_ratio_vs_bare_nng_tls)" "(none)" "-"
add_row "9. Same, peak RSS (VmHWM) during the transfer and the fetch, MB" \
	"hub $(f9 hub_peak_rss_mb); coordinator's spoke (drain) $(f9 spoke_drain_peak_rss_mb); hospital's spoke (fetch) $(f9 spoke_fetch_peak_rss_mb)" \
	"-" "-" "(none)" "-"
# met: the profile (taken only under the target) stays out of the notes
awk -v r="$f9_ratio" 'BEGIN { exit !(r + 0 >= 0.5) }' && rm -f "$work"/profile-9*.md
fig_end 9
fi

# ---- (g) figure 7: hub memory and idle CPU with 10,000 TLS spokes ----------
if run_fig 7 270; then
say "== figure 7: hub RSS and idle CPU with $f7_spokes mutual-TLS spokes, against a bare nng rep0 listener"
timeout 900 bash "$root/tests/bench/hub_idle_tls.sh" --build "$build" --db "$dsn" \
	--spokes "$f7_spokes" --seconds "$f7_seconds" --certs "$f7_certs" >"$work/fig7.out" 2>&1 || say "figure 7: hub_idle_tls.sh failed"
grep -E '^(hub|base)_(pipes|connect_s|established|procs)=|^\|' "$work/fig7.out" || true
f7() { sed -n "s/^$1=//p" "$work/fig7.out"; }
f7kb=$(ratio "$(f7 hub_kb_per_conn)" "$(f7 base_kb_per_conn)")
add_row "7. Hub memory with $f7_spokes mutual-TLS spokes ($(f7 hub_established) established in $(f7 hub_connect_s) s; baseline $(f7 base_established) in $(f7 base_connect_s) s), kB per connection (Pss of the hub and its $(($(f7 hub_procs) - 1)) guard processes, before → with)" \
	"$(f7 hub_kb_per_conn) ($(f7 hub_pss0_kb) → $(f7 hub_pss1_kb) kB)" \
	"bare nng rep0 TLS listener, same nng, TLS config and certificates: $(f7 base_kb_per_conn) ($(f7 base_pss0_kb) → $(f7 base_pss1_kb) kB)" \
	"$f7kb" "(none)" "-"
add_row "7. Idle CPU with the $f7_spokes spokes connected, $f7_seconds s, % of one core" \
	"$(f7 hub_idle_cpu_pct)" "$(f7 base_idle_cpu_pct)" \
	"$(ratio "$(f7 hub_idle_cpu_pct)" "$(f7 base_idle_cpu_pct)")" "(none)" "-"
fig_end 7
fi

# ---- skipped ---------------------------------------------------------------
for f in 8 6 3 1 2 4 5 9 7; do
	want "$f" || skips+=("| $f | not selected (--figures \"$figures\") |")
done

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
	if [ "${#skips[@]}" -gt 0 ]; then
		echo "## Not measured"
		echo
		echo "| figure | reason |"
		echo "| --- | --- |"
		printf '%s\n' "${skips[@]}"
		echo
	fi
	if [ -n "${f3_ratio:-}" ] || [ -n "${f2_ratio:-}" ] || [ -n "${a99:-}" ] || [ -n "${s_hub:-}" ] || [ -n "${f9_ratio:-}" ]; then
		echo "## Notes: where the time goes (figures 1, 3, 2, 4 and 9)"
		echo
	fi
	if [ -n "${s_hub:-}" ]; then
		echo "- **1** (ratio $(ratio "$s_hub" "$s_copy")): per submission of 1,000 cells the hub verifies and decodes an"
		echo "  80 kB envelope, keeps it lz4-compressed in the message log, computes the import"
		echo "  summary and keeps the roll-ups (deploy/sql/migrations/007) in the same transaction; COPY does"
		echo "  none of that. The hub is not what limits it: perf over a whole figure-1 run (set-up"
		echo "  included; all CPUs, 499 Hz) found them 57 % idle with 4 spokes, PostgreSQL 29 % and the"
		echo "  hub 4 %; PostgreSQL's top symbol was the kernel copying its writes"
		echo "  (copy_folio_from_iter_atomic, 3 %), the rest flat. The spokes wait (each sends its"
		echo "  next submission only after its Ack, so after a commit), so the figure is taken"
		echo "  with 8 spokes, as many as the hub has intake workers: 0.63 in a single run,"
		echo "  against 0.48-0.59 with 4. What would move it further: more hospitals sending at"
		echo "  once, which is how national load arrives."
	fi
	if [ -n "${f3_ratio:-}" ]; then
		echo "- **3** (ratio $f3_ratio): per update the hub verifies the envelope's signature (one"
		echo "  ECDSA P-256 verify, as the baseline does) and takes the sender's certificate from"
		echo "  the trust store's cache of verified certificates (proto/crypto/certcache.c; without it,"
		echo "  parsing the DER and verifying its chain cost 3.4 M of 4.7 M instructions per"
		echo "  update under callgrind). What remains above the baseline (callgrind, per update:"
		echo "  verify 0.90 M instructions, JSON conversion 0.18 M, decode and checks 0.03 M each)"
		echo "  is the JSON conversion (a tree of some sixty jansson objects built, dumped and freed"
		echo "  per update: 7 % of the hub's samples, the small frees behind malloc_consolidate) and"
		echo "  the hub's own REP worker hand-off (nng's locks and a worker thread woken per request,"
		echo "  as the echo's). Tried and taken back: writing the JSON straight into one buffer,"
		echo "  byte for byte what json_dumps wrote (0.04 M instructions, 2 % of the samples; run"
		echo "  ratios 1.15-1.45 against 1.37-1.60 before, load average 6-20): it was our own copy of"
		echo "  jansson's escapes, UTF-8 checks and number format, and the project keeps JSON in"
		echo "  jansson (STYLE.md: a well-kept library, even a slower one). The target sits inside the"
		echo "  runs' spread on this shared machine. With the database"
		echo "  (${d50:-?} µs p50) the rest is the store's one statement (the enrolment check in it)"
		echo "  and its commit."
	fi
	if [ -n "${f2_ratio:-}" ]; then
		echo "- **2** (ratio $f2_ratio against ≤ 4): CPU per accepted update, from /proc over each"
		echo "  burst: hub ${g_hcpu:-?} µs + PostgreSQL ${g_pcpu:-?} µs = ${g_cpu:-?} µs (median of runs), against ${g_vus:-?} µs"
		echo "  for one ECDSA P-256 verification (\`openssl speed\`, one core, right after each burst),"
		echo "  on $(nproc) CPUs (load average ${g_load:-?} while measuring: other work shares them, and"
		echo "  every figure moves with it). At ${g_cpu:-?} µs per update $(nproc) CPUs cannot exceed about"
		echo "  $(awk -v c="${g_cpu:-0}" -v n="$(nproc)" 'BEGIN { if (c > 0) printf "%.0f", n * 1e6 / c; else print "?" }') msg/s (fdatasync on this disk: ${g_fs} ops/s)."
		cat <<'NOTES'
  Second round (2026-12-07), what changed: (a) one statement and one database round trip
  per update: `ibx_listing_intake` (deploy/sql/functions) makes the enrolment check the hub
  asked in a statement of its own (same checks, same refusal texts; a listing from a
  certificate not enrolled is now refused after its payload's own checks), then the store
  (sequence, message-log row, version, search row). (b) Group commit (hub/intake/batch.c,
  `inbound-hub --group-commit N`, 1 by default, 0 off): the updates the intake workers hold at
  the same moment go into one transaction, sent as one libpq pipeline (BEGIN, one call per
  update, COMMIT: one round trip, `ibx_db_execp_pipeline`), and each is answered only after
  the COMMIT returned. Each update stays atomic on its own: its call runs it in a
  subtransaction (the function's EXCEPTION block) and catches every error there, so a
  refused one leaves nothing and does not abort the others; a failed or unknown COMMIT
  answers the whole batch "retry later", and an update that did commit is then a
  duplicate with its version (it_intake_group: accepted, refused and resent updates from
  13 spokes at once, sharing transactions). (c) The search row is UPDATEd in place (an
  INSERT only for an organisation's first listing; its row lock serialises its updates):
  INSERT ... ON CONFLICT DO UPDATE computed the generated columns of migration 101 and ran
  the BEFORE INSERT trigger of 102 for the row it did not insert, then again for the update
  (595 µs per update in pg_stat_statements; the UPDATE 242 µs). (d) The generated columns'
  helpers `ibx_listing_prices` (three columns) and `ibx_listing_accreditation_text` were SQL
  functions with a FROM, never inlined, so parsed and planned on each of their calls
  (`base_yyparse` on top of PostgreSQL's profile); they are PL/pgSQL now, planned once per
  session. The search row touches no index when no searchable field changed: heap-only
  updates 1273 of 1568 in a `--profile` run (the rest found their page full), so the five
  GIN arrays and the trigram index are maintained only for versions that change them.
  A/B on this machine, one run each, back to back (`IBX_BENCH_HUB_ARGS="--group-commit N"
  run.sh --runs 1 --figures 2`, RelWithDebInfo build, load average 14-29 from other
  sessions; the runs of one setting spread by up to a quarter): before the round 1581 µs
  (hub 431 + PostgreSQL 1150), ratio 26.5; (a), (c), (d) with one transaction per update
  (`--group-commit 0`): 1206, 1219, 1238, 1562 µs (hub 331-444 + PostgreSQL 856-1119),
  ratio about 20; group commit with BEGIN, each call and COMMIT a round trip of their own:
  1244 µs and fewer msg/s (243 against 410): no gain, hence the pipeline; group commit in
  one pipeline, two transactions in flight: 975 and 1050 µs, 2.4 updates per transaction;
  one in flight (the default): 806, 1038 and 1100 µs (hub 262-350 + PostgreSQL 544-750),
  4.0 updates per transaction, ratio 13-18, at the accepted rate of one transaction per
  update on the same load. PostgreSQL over a Unix-domain socket (`IBX_BENCH_PG_UNIX=1`: the
  bench cluster also listens on one, and the hub's intake connects there) with group commit:
  969 and 1194 µs against 806-1100 over TCP loopback: no saving that stands out of the
  noise, since with one round trip per batch libpq's share of the kernel's TCP work is small.
  Where the CPU goes now: in PostgreSQL, per update, nine statements in four nested PL/pgSQL
  functions (each SECURITY DEFINER level with its own search_path), writing the document
  three times (the envelope in the message log, the version, the search row, each
  lz4-compressed and WAL-logged) and comparing it with the current version; in the hub,
  beyond the one verification, mostly the kernel: nng's REP hand-offs (a receive and a send
  through nng's task and poll threads per message, each a thread wake-up) and the loopback
  TCP of nng (`finish_task_switch` at the top of the hub's and nng's threads in the
  profile below); PostgreSQL's profile is flat (no symbol above 2.5 %), with `pg_strtok`
  and `expression_tree_walker` most likely the generated columns' expressions of
  migration 101 read and prepared again by every statement that writes the search row.
  What would move it further: those columns written by the store as plain columns (search's
  migration), the version and the message log sharing one copy of the document, and fewer
  thread hand-offs per message in proto/transport; the target of 4 verifications (about
  250 µs) is below what the nine statements alone cost here.
  First round (2026-11): prepared statements per connection, the arrays and search text
  written inline (`ibx_text_array` and `ibx_listing_search_text` were parsed and planned on
  every call), the enrolment check in PL/pgSQL, the search text in a column of its own
  (migration 105: HOT updates, fillfactor 50), lz4 documents, the sequence accepted in one
  UPDATE: from about 1890 µs (hub 400-431 + PostgreSQL 1444-1512) to 988-1169 µs.
NOTES
		if [ -n "${f2_perf:-}" ] && [ -s "$f2_perf" ]; then
			echo "  The profile of this run, taken because the target was not met: one more burst"
			echo "  (not in the medians: $(kv accepted "$work/burst.perf") accepted, CPU per update $(kv cpu_us "$work/burst.perf") µs with perf running)"
			echo "  under \`perf record -F 499\` of the hub and the cluster (no call graphs):"
			echo
			echo "  \`\`\`"
			sed 's/^/  /' "$f2_perf"
			echo "  \`\`\`"
		fi
	fi
	if [ -n "${a99:-}" ]; then
		echo "- **4** (ratio $(ratio "$a99" "$p99") at p99 against the bare filter, p50 $a50 µs against $p50 µs;"
		echo "  against the whole match query $(ratio "$a99" "${m99:-0}")). Before this round the match query added up"
		echo "  twelve months of \`release_values\` for every match, with a plan (the matches estimated at one"
		echo "  row) that walked the whole twelve-month range of the release's primary key once per match:"
		echo "  EXPLAIN (ANALYZE, BUFFERS) over 10,000 listings and 6.7 M release values took 55 s and 1.1 M"
		echo "  buffer hits for 791 matches (the demo's 5 s a search). Now experience is one row per hospital,"
		echo "  \`search_experience\` (migration 100), rebuilt from the release at the end of each release run"
		echo "  (${f4_refresh_ms:-?} ms here), and every other fact a match needs is a column of its search row"
		echo "  (migrations 101 and 102: search text, accreditations, price bands as arrays, confirmed_at, the"
		echo "  register's flag), so the match reads no document; as_of has its own statement."
		echo "  In this run: ${f4_split:-?} (with 16 clients on $(nproc) CPUs both sides are CPU-bound, so"
		echo "  the p99 ratio follows the CPU ratio; the bare filter is one statement, an API search is four:"
		echo "  token, match, page of 50 listings, audit entry). The slowest requests (IBX_API_TIMING, every"
		echo "  search of the runs): ${f4_prof:-?}; ${f4_audit:-?}. The tail is not the audit commit: the slow"
		echo "  searches are slow in every phase alike, waiting for a CPU (load average"
		echo "  $(cut -d' ' -f1-3 /proc/loadavg) when this was written: other work shares the machine); the"
		echo "  audit entries of calls arriving together share one commit (group commit, hub/api/audit.c;"
		echo "  it_audit_group), and token and audit together cost about 0.5 ms of PostgreSQL and 0.15 ms of"
		echo "  hub CPU per call (measured on \`GET /api/v1/me\`, which does nothing else)."
		echo "  What this round changed, each step measured as CPU per transaction from /proc (pgbench -c 16"
		echo "  over the same 10,000 listings, 791 matches, on 2026-12-07 at load average 13-22; about ±10 %):"
		echo "  (a) every statement of an API call is prepared once per connection (\`ibx_db_exec_prepared\`:"
		echo "  match, page, token, audit entry), and the token lookup is PL/pgSQL (as SQL with SECURITY"
		echo "  DEFINER it was parsed and planned again on every call): the match query prepared with its"
		echo "  plan cached costs 3900 µs against 5231 µs planned each time, so planning was about 1.3 ms;"
		echo "  the search keeps custom plans (PostgreSQL plans it for each call's filters, which decide the"
		echo "  indexes), so the saving is the parse and analysis, and the whole plan for the rest."
		echo "  (b) experience is read from the search row (migration 106: copied from search_experience"
		echo "  by its refresh, and by the search row's insert trigger): the hash join that read all 10,000"
		echo "  rows of search_experience for every search cost 1.1 ms of the match's 3.9 ms (2812 µs"
		echo "  without it). (c) the nearest airport of each listing on the page compares haversines and"
		echo "  computes a distance only for a closer candidate (82 airports × 50 rows before). (d) the price"
		echo "  of the asked service (a band picked out of three arrays per match: 0.55 ms, 2888 → 2317 and"
		echo "  3242 → 2692 µs) comes with the page's rows from step 2 unless sort=price, max_price_jpy or"
		echo "  as_of need it for every match. Answers unchanged: 22 searches (sorts, prices, near, q,"
		echo "  as_of, CSV, paging, detail) byte-identical between the hub before and after on the same"
		echo "  database. API, CPU per search, before → after (a) to (c) (the dev database, 16 clients ×"
		echo "  100, two runs each): hub 2088-2206 + PostgreSQL 7794-8519 = 9881-10725 µs → hub 2212-2300 +"
		echo "  PostgreSQL 5688-6200 = 7900-8500 µs. What is left, by the same method: the match query's"
		echo "  per-row columns (the bare rows with the ranking's other columns 1406 µs against the bare"
		echo "  filter's 950-1056; \`nocachegetattr\`, reaching the columns past the row's variable-length"
		echo "  ones, tops the profile), the page (1019 µs for 50 listings, of which the jsonb → text output"
		echo "  and \`|| version\` about 700), token and audit (about 500), and the hub (about 2200 µs: libpq's"
		echo "  791 rows, ranking, jansson for the page's ranking fields, the kernel's loopback TCP). What"
		echo "  would move it further: ranking in SQL so that only the page's rows leave PostgreSQL (the"
		echo "  ranking's reasons stay in hub/api/rank.c; its order would be computed twice and must agree),"
		echo "  the listing's age as a date column (a text → date cast per match now; the difference was"
		echo "  within this machine's noise), the page's listings pre-rendered as text in the search row (at a cost"
		echo "  to every listing update, figure 2), and more CPUs. No result cache: the figure would measure"
		echo "  cache hits, and searches that differ in one filter (the common case for a coordinator"
		echo "  narrowing down) would miss it anyway; it would also have to be invalidated on every listing"
		echo "  update and release run."
		echo "  The hub's side, looked at and left: the API's connection pool has one connection per HTTP"
		echo "  thread (16 here), and a search holds its own from token to audit entry (the audit goes on"
		echo "  the same connection unless an audit writer or a standby is configured), so no search waits"
		echo "  for a connection; libmicrohttpd's thread pool gives each thread its own epoll loop and keeps"
		echo "  a keep-alive connection on the thread that accepted it, so two clients that land on one"
		echo "  thread take turns (pgbench has one backend per client): its thread-per-connection mode would"
		echo "  even that out; not tried here, and on 2 CPUs it moves the tail, not the CPU per search."
		if [ -n "${f4_perf_top:-}" ] && awk -v r="$(ratio "$a99" "$p99")" 'BEGIN { exit !(r + 0 > 2) }'; then
			echo "  The target is not met; perf over ${f4_perf_s:-5} s of run 1 (499 Hz, call graphs; the hub and"
			echo "  every PostgreSQL process), by process and library: ${f4_perf_dso:-?}. The 10 symbols"
			echo "  with the most samples of their own (PostgreSQL's without debug symbols show as"
			echo "  addresses in the postgres binary):"
			echo
			echo "  \`\`\`"
			printf '%s\n' "$f4_perf_top" | sed 's/^/  /'
			echo "  \`\`\`"
		fi
	fi
	if [ -n "${f9_ratio:-}" ]; then
		echo "- **9** (ratio $f9_ratio against ≥ 0.5; the fetch $(ratio "${f9_f:-0}" "${f9_base:-0}"); load average $f9_load"
		echo "  from the seal to the fetch's end): the bare pair moves each 1 MiB message through TLS"
		echo "  (mbedTLS ChaCha20 at both ends) and nothing else. The project's drain, per chunk: the spoke"
		echo "  reads the sealed chunk's envelope from its durable outbox, sends it ($(f9 window) in flight) and"
		echo "  on its Ack fsyncs its journal; the hub hashes and verifies the envelope, checks the chunk's"
		echo "  digest, stores the megabyte in PostgreSQL (the TOAST table and its WAL, one commit per"
		echo "  chunk) and signs an Ack. Sealing and queueing the package (encrypting, signing, writing"
		echo "  the outbox) took $(f9 seal_and_queue_seconds) s before the drain and is not in the figure."
		echo "  In this run the drain cost $(f9 drain_cpu_us_per_mb) µs of CPU per MB (hub $(f9 drain_cpu_hub_s) s, spoke"
		echo "  $(f9 drain_cpu_spoke_s) s, PostgreSQL $(f9 drain_cpu_pg_s) s) against the bare pair's $(f9 base_cpu_us_per_mb) µs ($(f9 cpu_ratio_vs_bare_nng_tls)x):"
		echo "  even with the three busy in parallel on $(nproc) idle cores, the drain moves at most"
		echo "  $(awk -v r="$(f9 cpu_ratio_vs_bare_nng_tls)" -v n="$(nproc)" 'BEGIN { if (r + 0 > 0) printf "%.2f", n / r; else print "?" }') times what the bare pair moves per second of one core's CPU, so the"
		echo "  target needs less CPU per chunk more than more overlap."
		echo "  The last profile before this harness took it (docs/referrals.md): TLS 35 % of the CPU of"
		echo "  hub, spoke and PostgreSQL, PostgreSQL 30 % (kernel copies of the megabyte into the WAL and"
		echo "  the table, a WAL flush per chunk), the hub 20 % (SHA-256 three times per chunk: signature,"
		echo "  chunk digest, Ack; the port guard's relay), the spoke 12 %. Done before: a window of 4"
		echo "  chunks in flight (0.20 → 0.41-0.58), the chunk written before any lock, a prepared"
		echo "  statement, ciphertext stored uncompressed. On two shared cores the figure moves with the"
		echo "  load: the drain runs three busy processes (spoke, hub, PostgreSQL backend) where the"
		echo "  bare pair runs one. Under the target, the profile of one more $f9_prof_mib MiB drain is below."
	fi
	if [ -n "${f8_wall:-}" ] || [ -n "${f8_all:-}" ]; then
		echo
		echo "## The main job (figure 8): where the time goes"
		echo
		echo "\`./deploy/demo.sh --once\` prints this table at its end (seconds; CPU: its children"
		echo "(datagen, the spokes, openssl, inboundctl...), the hub, and PostgreSQL's processes,"
		echo "from /proc). The whole figure took ${f8_all:-?} s with the build."
		[ -z "${f8_pub:-}" ] || echo "Publishing: $f8_pub."
		echo
		echo '```'
		cat "$work/demo-var/timings.txt" 2>/dev/null || true
		echo '```'
		echo
		echo "What was measured (perf on the development VM; issue 18) and changed:"
		echo
		echo "- **Before: 16 min 40 s.** One \`inbound-spoke publish\` per hospital (7,842) and one"
		echo "  \`inbound-spoke stats\` per hospital and year (about 11,900): some 19,700 processes, each"
		echo "  a new mutual-TLS handshake. A spoke publishing one listing used 22 ms of CPU: 47 % the"
		echo "  mbedTLS handshake (nng 1.5.2's TLS engine), 15 % the dynamic loader, 7 % freeing an"
		echo "  empty certificate cache of 100,000 slots (page faults; now only the slots used are"
		echo "  visited, proto/crypto/certcache.c), 6 % reading its PEM key and certificate. The hub"
		echo "  spent 78 % of its CPU in mbedTLS handshakes (ECDSA verifications 40 %: the client's"
		echo "  certificate, the CRL's signature, CertificateVerify; ECDHE 29 %; signing 7 %) and 9 %"
		echo "  in the intake (verify and store)."
		echo "- **The curve.** mbedTLS 2.28 prefers its curves in table order, secp521r1 first, and"
		echo "  nng has no call to choose them, so every handshake used P-521. CPU time of mbedTLS on"
		echo "  this CPU (50 operations each): P-521 key generation 1.14 ms + shared secret 2.63 ms,"
		echo "  P-256 0.49 + 0.79 ms, X25519 0.93 + 0.87 ms; ECDSA P-256 sign 0.36 ms, verify 1.33 ms"
		echo "  (OpenSSL: 0.07 ms). proto/transport now puts P-256 first in mbedTLS's list"
		echo "  (\`openssl s_client\` against the hub: \"Server Temp Key: ECDH, prime256v1\"), about"
		echo "  2.5 ms less per handshake on each side."
		echo "- **One connection per hospital.** Each hospital with foreign patients now runs one"
		echo "  agent pass (\`inbound-spoke run --once\`): its listing and its whole statistics history"
		echo "  through its own durable outbox over one connection; the others publish their listing"
		echo "  (\`inbound-spoke publish\`, no outbox: on this VM's ext4 without a journal every new"
		echo "  file costs an inode search that scans recently deleted inodes, half of ibx-ca-bulk's"
		echo "  CPU and a tenth of an agent pass's), 8 hospitals at a time: 7,854 handshakes"
		echo "  instead of about 19,700, each connection carrying at most about 100 envelopes (the"
		echo "  nng 1.5.2 hang seen after some 10,000 submissions on one long-lived connection cannot"
		echo "  arise). Nil reports go for the last twelve closed months without a case"
		echo "  (\`--nil-from\`), as before for years without cases; earlier months without a case"
		echo "  are no longer reported nil (about 17 envelopes per such hospital instead of 20.5)."
		echo "- **The outbox's fsyncs.** For one hospital of 25 envelopes the agent made 172 fsyncs and"
		echo "  61 renames (strace), 58 % of its CPU in system calls, 24 % in fsync. Now one look at"
		echo "  the sources is a batch (spoke/delivery/outbox.h): sequence numbers come from a block"
		echo "  written ahead (fsynced; a number is still never handed out twice), pending/ is"
		echo "  fsynced once before anything of the batch is sent, the agent's state once after"
		echo "  that, and an acknowledged envelope's unlink is not fsynced (its Ack is in the fsynced"
		echo "  journal first; a crash that undoes the unlink sends it again, answered as a"
		echo "  duplicate): 57 fsyncs and 28 renames, 65 ms of CPU down to about 49 ms."
		echo "- **Generated data** are cached under \`var/cache\`, keyed by the generator's binary,"
		echo "  \`deploy/data\` and the arguments (and the listings a run of \`cases\` reads)."
		echo "- **The release, two months at a time.** \`inboundctl release\` measured the 95 months one"
		echo "  after the other on one connection, PostgreSQL's CPU about 1 s a month on one core"
		echo "  (107 s in the demo, 66 to 168 s between runs). It now measures them with two workers"
		echo "  (\`--workers\`, default 2), each on its own connection with its own noise sampler; each"
		echo "  month is still claimed once in its own transaction and measured the same way whichever"
		echo "  worker takes it (it_release_workers: with the test build's fixed noise, two workers"
		echo "  store the one worker's release bit for bit). The years follow on one connection."
		echo "- **The national CA's key RSA-3072** (leaf keys stay P-256; docs/security.md). Each side"
		echo "  of a handshake verifies two CA signatures (the peer's certificate and the CRL), 1.5 ms"
		echo "  each in mbedTLS for ECDSA P-256 and 0.09 ms for RSA-3072. Two demos on this machine at"
		echo "  load average 13-22, P-256 CA then RSA CA: publishing CPU spokes 251.7 → 216.8 s, hub"
		echo "  102.6 → 69.1 s, PostgreSQL 76.5 → 67.3 s (431 → 353 s in all); mbedTLS left the top 20"
		echo "  symbols of the spokes, and the hub's fell to about 5 %. The cost: signing 7,842"
		echo "  certificates with RSA-3072 in ibx-ca-bulk took 23.9 s of CPU instead of 7.4 s."
		echo "- **Tried, not taken: X25519 first.** mbedTLS 2.28 on this CPU, CPU time of 100"
		echo "  operations each: P-256 key generation 0.36-0.39 ms + shared secret 0.77-0.80 ms ="
		echo "  1.13-1.19 ms; X25519 0.57-0.60 + 0.59-0.72 = 1.16-1.31 ms; P-384 1.66-1.81 ms. X25519"
		echo "  saves nothing over P-256 in nng's engine, so P-256 stays first (it_tls asserts it)."
		echo "- **The PG column counts every connection** (round 3): it summed the postmaster and its"
		echo "  live processes only, so the release's workers (their connections ended before the"
		echo "  step's mark) showed 1.3 s; it now adds the CPU of the processes the postmaster reaped"
		echo "  (its cutime and cstime in /proc). Round 3 measured two demos with it (nice'd, with"
		echo "  other sessions' builds and benchmarks on the same 2 cores): before the changes below,"
		echo "  at load average 15.3, wall 606.7 s, CPU in all 488.3 s (children 249.6, hub 68.4,"
		echo "  PostgreSQL 170.3: 244.1 s on 2 idle cores), the release 151.0 s wall and 98.7 s of"
		echo "  PostgreSQL; after them, at load average 11.3, wall 322.6 s, CPU in all 358.5 s"
		echo "  (children 172.3, hub 64.5, PostgreSQL 121.8: 179.2 s on 2 idle cores; another run at"
		echo "  load average 12.7: 432.6 s wall, 355.1 s of CPU). In those runs part of the release's"
		echo "  PostgreSQL CPU showed on the line after it (28-30 s on \"reference series\", a step of"
		echo "  0.1 s): \`pgrep -P\` leaves out a backend that is exiting, whose CPU was then in neither"
		echo "  sum; the demo now lists the postmaster's processes with \`ps --ppid\` (a backend that"
		echo "  burnt 3.4 s, read right after its client's exit: 0.0 s before, 3.45 s now). A last"
		echo "  demo with it, at load average 16.5: wall 357.6 s, CPU in all 358.8 s (children 173.4,"
		echo "  hub 64.9, PostgreSQL 120.5: 179.4 s on 2 idle cores); the release 59.5 s wall and 48.7"
		echo "  s of PostgreSQL on its own line, 0.0 on the next."
		echo "- **The release's writes** (migration 115). perf of PostgreSQL during the release (15 s,"
		echo "  499 Hz): 47 % in the foreign key's check of each value (AfterTriggerEndQuery: one SPI"
		echo "  query, executor start and index look-up of release_queries per row) and 30 % in the"
		echo "  primary key's inserts, whose text comparisons went through the database's collation"
		echo "  (C.UTF-8: varstr_cmp, strcoll), for 5.6 million values (95 months; hospital by purpose"
		echo "  is 47,000 a month). The keys are codes: they are now compared byte-wise (COLLATE \"C\","
		echo "  the order C.UTF-8 gives them), and the rule of the foreign key is checked once per"
		echo "  statement by triggers (deploy/sql/functions/ibx_release_values_queried.sql,"
		echo "  ibx_release_queries_kept.sql: one anti-join over the statement's rows, the queries"
		echo "  locked FOR KEY SHARE as the key's check locked them; a key changed by an UPDATE is"
		echo "  checked row by row). it_release_workers undoes 115, measures again and finds the same"
		echo "  release bit for bit, and checks that a value without its query, a query deleted or"
		echo "  rekeyed under its values and values moved to no query are refused. Demos as above: the"
		echo "  release's PostgreSQL CPU 98.7 → 53.8 s (25.5 s on its line, 28.3 s on the next; 48.7 s"
		echo "  in the last demo), wall 151.0 → 87.5 s (59.5 s in the last), 5,650,769 values either"
		echo "  way. The yearly adjustment's UPDATE now also names its year's range, so that only that"
		echo "  year's partition is probed for each adjusted value (EXPLAIN: 1 index scan instead of"
		echo "  41): 7,000 values of 2022 rewritten with their own values in a rolled-back"
		echo "  transaction, 631 → 150 ms (the demo adjusts about 50,000)."
		echo "- **A spoke's start-up.** \`inbound-spoke serve\` and \`user\` (the hospital's page and its"
		echo "  accounts) now live in their own executable, \`inbound-spoke-page\` (spoke/page), which"
		echo "  \`inbound-spoke serve|user\` exec with the same arguments (the CLI, the systemd unit and"
		echo "  the install keep working; it_install, it_spoke_page, it_referral_page). The sending"
		echo "  commands load 12 shared objects instead of 24 (\`ldd\`): \`perf stat -r 200 inbound-spoke"
		echo "  --version\` 4.61 → 2.42 ms of CPU (/bin/true 0.70 ms), about 17 s of CPU over 7,854"
		echo "  runs. spoke/CMakeLists.txt fails the configuration if inbound-spoke links the page's"
		echo "  server again."
		echo "- **A process per hospital without foreign patients.** Of the 7,854 spoke runs, about"
		echo "  6,100 publish one listing each. Besides its start-up, each process paid OpenSSL's"
		echo "  set-up and random seeding, reading the CA and CRL, nng's threads, and the kernel's"
		echo "  reaping of them: perf of the whole machine during publishing put 7 % of all samples in"
		echo "  \`xargs\`, all of it the kernel releasing exited spokes (wait4 → release_task →"
		echo "  proc_invalidate_siblings_dcache → d_walk). \`inbound-spoke publish --batch FILE\`"
		echo "  publishes many organisations' listings from one process, each as its own publish would"
		echo "  (its own identity, signature and mutual-TLS connection: spoke_send opens a client per"
		echo "  listing); it_publish_batch shows a revoked certificate and another CA's failing alone"
		echo "  inside a batch while the lines around them are accepted over their own connections."
		echo "  The demo sends 64 a process, 8 processes at a time. In the demos: the spokes' CPU"
		echo "  during publishing 206.2 s before, 189.6 s with the split alone (load average 15.6),"
		echo "  125.0-131.7 s with \`--batch\` too, about 10 ms less per listing sent in a batch; the"
		echo "  hub 67.7 → 61.3-64.3 s; publishing's wall 379.5 → 188.4-215.6 s."
		echo "- **Certificates on both cores, and out of the way.** \`openssl speed rsa3072\` here: 544"
		echo "  signatures/s (1.84 ms each) on one core, so the national CA's 7,842 signatures are"
		echo "  about 14 s of the step's 21-24 s of CPU (the rest: P-256 keys, three files per"
		echo "  certificate). ibx-ca-bulk signs with \`--jobs\` threads (default the online processors;"
		echo "  proto/crypto/ca.c takes each serial under a lock; revoke.sh and crl.sh work on the"
		echo "  index as before), and the demo issues the hospitals' certificates in the background"
		echo "  right after the list is generated, while PostgreSQL starts, the migrations and the"
		echo "  register import run and the case records are generated; it waits for them before the"
		echo "  enrolment."
		echo "- **What is left** is mostly the handshakes and the statistics envelopes: with P-256 the"
		echo "  hub still spends about 10 ms of CPU per hospital (mbedTLS 61 %, its allocations in"
		echo "  libc 14 %) and a spoke about 15 ms, and each statistics envelope about 1 ms in the hub"
		echo "  and 2 ms in PostgreSQL (a flat profile: parsing and planning the storing functions,"
		echo "  figure 2's work); the agent passes of the 1,740 hospitals with foreign patients pay"
		echo "  their outboxes' files and fsyncs. What would move it: a faster TLS engine for nng (nng"
		echo "  1.5.2 can take one through its engine interface; mbedTLS's P-256 is some 20 times"
		echo "  slower than OpenSSL's). The wall times of this section were measured with other"
		echo "  sessions' builds and benchmarks on the same 2 cores (load average 15-20): the CPU"
		echo "  columns are the figures to compare."
	fi
	# the profiles taken by bench_profile, in the order taken
	if compgen -G "$work/profile-*.md" >/dev/null; then
		echo
		echo "## Profiles of the figures not met"
		echo
		echo "Each taken by \`bench_profile\` in tests/bench/run.sh when the figure missed its target."
		echo
		ls -tr "$work"/profile-*.md | while read -r f; do cat "$f"; done
	fi
	echo
	echo "## Time of this run"
	echo
	echo "Budget $budget s (\`--budget\`); used $(used_s) s in all, set-up included."
	echo
	echo "| figure | seconds |"
	echo "| --- | --- |"
	printf '%s\n' "${fig_times[@]}"
	echo
	echo "## How each figure is measured"
	echo
	echo "- **6**: \`tests/bench/cases_bench.sh\` (1,000,000 generated case rows, the file warm"
	echo "  in the page cache): the spoke's full anonymiser against libcsv parsing the same"
	echo "  file with no-op callbacks. The contribution caps and clipped sums (issue 13) took it"
	echo "  from about 1.9 to 2.2-2.4; perf then showed page faults and the kernel zeroing"
	echo "  about 100 MB a run (13 % of the anonymiser's time), the caps' two passes and the set"
	echo "  of patients in cells. Now (spoke/anonymise, issue 18 round 2): a patient's only"
	echo "  episode of the year is counted without that set (its cell gains a patient and the"
	echo "  episode clipped), which is made only as large as the caps' counts ask; the caps hold"
	echo "  an episode in 40 bytes (not 56) and a patient's count in 4 (not 8); the episodes,"
	echo "  counts and cells live on huge pages, a cell's two cache lines are prefetched (not"
	echo "  its first only); cells start at 131,072 slots for a million"
	echo "  rows; a vocabulary word is compared only with the words of its length. Page faults of"
	echo "  a bench_cases run (5 passes) 99,980 -> 9,437; dry runs byte for byte as before (chapters,"
	echo "  categories, a year's file at three periods; 150 generated hospitals' years sent"
	echo "  with --until). Side by side, 5 runs each, six pairs at load average 6-8: ratio"
	echo "  2.04-2.25 CPU (2.19-2.44 wall) before, 1.93-2.13 CPU (1.59-2.39 wall) after, so at"
	echo "  about the target rather than clearly under it; at load average 15-20 the wall ratio"
	echo "  of either swings by half (memory-bound work suffers most from the other sessions),"
	echo "  so read the CPU ratio. What is left (callgrind, 100,000 rows): libcsv 57 % of the"
	echo "  anonymiser's instructions, the per-field dispatch and parsers 25 % (a vocabulary"
	echo "  word 6 %, dates 4 %), SipHash of the reference 2 %; and the kernel zeroing the"
	echo "  episodes' 40 MB."
	echo "- **3**: \`bench_hub rtt\` sends $rtt_n listing updates (the example listing, its"
	echo "  bed count changed each time so each is stored), signed beforehand, one at a time"
	echo "  over one REQ socket to the hub, and takes p50/p99 of the per-request latency."
	echo "  The figure is taken against a second hub started with \`inbound-hub serve"
	echo "  --no-db\` (benchmark only, logged as such): it decodes, verifies (certificate"
	echo "  through the cache, signature, sender, role, clock), checks and converts each"
	echo "  update to JSON exactly as in service, but has no database, so enrolment and"
	echo "  replay are not checked and nothing is stored. The same updates are then sent to"
	echo "  the hub with its database (one commit per update), shown in a row of its own."
	echo "  \`bench_hub base\` measures, in the same run, a plain nng"
	echo "  REQ/REP echo (rep0 socket on a thread of the same process, tcp loopback) of a"
	echo "  message of the same size, then \`ibx_verify\` + \`ibx_listing_decode\` of the same"
	echo "  envelopes alone; the baseline is the per-iteration sum."
	echo "- **1**: \`bench_hub stats\` anonymises a 20,000-row generated case file with the"
	echo "  spoke's code, keeps $stat_cells cells, and sends $stat_subs signed CaseStatistics"
	echo "  submissions (periods 2000-01 onwards) from $stat_spokes hospitals at once, as"
	echo "  hospitals' spokes send in service: each its own certificate, process and REQ"
	echo "  socket, $((stat_subs / stat_spokes)) submissions one after another, all started at the same instant;"
	echo "  cells/s = cells acknowledged / wall time to the last Ack. The baseline exports exactly the rows"
	echo "  the hub committed (\`\\copy (SELECT ...) TO ... (FORMAT binary)\`), deletes them"
	echo "  and times \`psql -c '\\copy statistics_cells FROM ... (FORMAT binary)'\` into the same"
	echo "  partitioned table with the same indexes (psql's start-up included)."
	echo "- **2**: \`bench_hub burst\`: $burst_spokes spokes (generated listings, each its own"
	echo "  certificate, enrolled), one thread and REQ socket each, started together, each"
	echo "  sending $burst_n listing updates one after the other (bed count changed each time, so"
	echo "  every one is a new version, stored and committed; synchronous_commit as shown). CPU"
	echo "  per update = (utime + stime of the hub and of every process of the cluster, from /proc,"
	echo "  over the burst) / accepted updates. The baseline, after each burst: \`openssl speed"
	echo "  -seconds 2 ecdsap256\`, one ECDSA P-256 verification on one core (the hub verifies one"
	echo "  per update); the rate row compares accepted/s with 0.25 × cores × verifications/s, the"
	echo "  same target; the disk row is the \"one 8kB write, fdatasync\" line of \`pg_test_fsync -s 1\`"
	echo "  (once, after the first burst)."
	echo "  With \`--hubs N\` the same burst is also sent to N hubs on the one database (spokes dealt"
	echo "  round-robin; CPU of every hub). The hub runs as in service (\`--group-commit 1\`: updates"
	echo "  arriving together share a commit); \`IBX_BENCH_HUB_ARGS\` adds options to its command"
	echo "  line (\`--group-commit 0\` for one transaction per update) and \`IBX_BENCH_PG_UNIX=1\`"
	echo "  connects it over a Unix-domain socket. When the target is not met, one more burst"
	echo "  (not counted) runs under \`perf record\` and the top of its profile is in the notes."
	if [ "$hubs" -gt 1 ]; then
		echo "- **4s** (\`--hubs $hubs\`): figure 4's search ($http_conc clients × $http_n requests, the same"
		echo "  query and token) against 1 hub (figure 4's own runs, not measured twice), then $hubs hubs on"
		echo "  the one primary (clients dealt round-robin), then one hub whose read API is on a hot standby of the primary"
		echo "  (\`--db-read\`, deploy/pg.sh \`ibx_pg_standby_init\`; the audit stays on the primary),"
		echo "  with the CPU of the hubs, the primary and the standby per search from /proc. **2+4s**:"
		echo "  the burst into the primary through every hub while the standby's hub serves the"
		echo "  search. Sizing from these costs: docs/replication.md."
	fi
	echo "- **5**: \`tests/bench/stats_rollup_gen.sql\` writes $f5_hospitals hospitals × $f5_months months ×"
	echo "  $f5_per cells (one current submission per hospital and month; nationality, purpose,"
	echo "  chapter, age and sex mixes) straight into the tables, then builds the roll-ups with"
	echo "  \`ibx_statistics_rollup_refresh()\` (identical to what the ingest keeps; it_statistics_rollups"
	echo "  checks that). The protected release is then built with \`inboundctl release\` (figure 1's"
	echo "  submissions removed first): the first month alone (timed: one period, every hospital"
	echo "  registered in the domain, search's experience rebuilt at the end included), then the other"
	echo "  months with their calendar years (timed). \`bench_hub http --conc 1 --n $f5_n\` asks"
	echo "  \`GET $f5_path\` with a ministry token (p95; the API answers from the release:"
	echo "  hub/stats/stat_table.c); the baseline is pgbench \`-c 1 -t $f5_base_n\` of the plain"
	echo "  \`SELECT extract(year FROM period), nationality, sum(patients) ... GROUP BY 1, 2\` over the"
	echo "  current cells (p95 of its log). Same answer: the roll-up's sums equal the GROUP BY's, and"
	echo "  the released table is byte-identical with roll-ups switched off (settings.statistics_rollups)."
	echo "- **7**: \`tests/bench/hub_idle_tls.sh\` starts a second hub (\`serve\`, tls+tcp:// on"
	echo "  127.0.0.1, this run's database) and \`bench_conns dial\` opens $f7_spokes nng REQ sockets to"
	echo "  it, each its own connection over mutual TLS, presenting one of $(f7 certs 2>/dev/null || echo 200) issued"
	echo "  certificates in turn (which certificate does not change a connection's memory); a"
	echo "  connection counts once nng has added its pipe, and ESTABLISHED sockets on the port"
	echo "  are counted with \`ss\`. kB per connection = (Pss with - Pss before) / established, Pss"
	echo "  (/proc/PID/smaps_rollup) summed over the hub and its guard processes; idle CPU ="
	echo "  utime + stime of them all from /proc over $f7_seconds s with all connected and silent."
	echo "  The baseline is \`bench_conns listen\`: a bare nng rep0 socket with one TLS listener"
	echo "  configured as the hub's (proto/transport/transport.c), taking the same connections."
	echo "  Why the hub had held 6,723 of 10,000 (issue 18): a relayed spoke costs three descriptors,"
	echo "  the port guard's two (the spoke's socket, its loopback connection to nng) and nng's one,"
	echo "  and the guard was a thread of the hub, so this machine's hard RLIMIT_NOFILE of 20,000 (no"
	echo "  CAP_SYS_RESOURCE to raise it) held about 6,650; the others were accepted and closed at"
	echo "  once (EMFILE) and retried within 2 s (nng's reconnect), up to ~1,600 a second: the"
	echo "  10.9 % of a core was most likely that churn (inferred, not profiled). Now the guard runs in forked"
	echo "  processes of the hub, each with a descriptor limit of its own ($(($(f7 hub_procs) - 1)) here for --max-conns 20,000;"
	echo "  one under the unit's LimitNOFILE=65536), sharing the listening socket and the caps"
	echo "  through a shared mapping; the hub keeps nng's one descriptor per spoke"
	echo "  (proto/transport/guard.c, tests/integration/test_many_spokes.sh: 300 spokes under a limit"
	echo "  of 700). The guard also sets no timer while no connection waits on a deadline (it swept"
	echo "  every connection each 200 ms), and an idle connection holds no relay buffer (16 kB"
	echo "  each way; they come from a pool while bytes are in them). Issue 18's runs, same load:"
	echo "  guard processes alone 10,000 established, 50.36 kB per connection, idle 0.033 %; with"
	echo "  the pool 40.96 kB, idle 0.000 %; with the turns below 40.46 kB against the baseline's"
	echo "  40.42, idle 0.000 % against 0.000 %. The kernel's memory for the guard's two sockets"
	echo "  per spoke is not in Pss. TLS handshakes take turns (--max-handshakes 128): with all"
	echo "  the spokes in nng's handshakes at once, under load (load average 15-19 on 2 cores)"
	echo "  some passed the 10 s handshake timeout before their turn and were shed to come again"
	echo "  (46 in one run, 9,999 of 10,000 up after 240 s); a ClientHello beyond the turns now"
	echo "  waits unread, its timeout starting when let through (none shed since;"
	echo "  tests/integration/test_handshake_queue.sh). Connecting costs about 5 ms of the hub's"
	echo "  CPU per spoke (mbedTLS P-256 handshake) and as much in the dialer, so the connect"
	echo "  times above follow the machine's load; the bound per side is 240 s. Certificates come"
	echo "  from ibx-ca-bulk (seconds; 200 openssl runs before)."
	echo "- **4**: the $hospitals current listings are the $(wc -l 2>/dev/null <"$work/listings.jsonl" || echo 782) generated ones (\`inbound-datagen"
	echo "  listings\`) plus synthetic copies of them under codes 99xxxxxxxx, stored directly"
	echo "  with the hub's SQL function \`ibx_store_hospital_listing\` (no envelopes), and a protected"
	echo "  release of the $f4_months months before this one (\`tests/bench/search_release_gen.sql\`: the"
	echo "  per-hospital marginals, made-up values) from which \`search_experience\` is rebuilt (timed), as"
	echo "  a release run does at its end; the release goes again after the figure. \`bench_hub"
	echo "  http\` runs $http_conc threads, each a keep-alive connection sending $http_n"
	echo "  \`GET $qpath\` with a ministry token (the hub with \`--http-threads $http_conc\`, one"
	echo "  database connection per thread, as pgbench has one backend per client, and IBX_API_TIMING"
	echo "  set: each search logs its phases, each audit append its time); latency per request. The"
	echo "  baseline is pgbench (\`-M simple -c $http_conc -t $http_n -l\`, p99 over its per-transaction"
	echo "  log) of the bare filter: \`SELECT org_code FROM hospital_listings WHERE treatments @>"
	echo "  ARRAY['chemotherapy'] AND languages @> ARRAY['en']\`; the same of SQL_MATCH_CURRENT (extracted"
	echo "  from hub/api/api_hospitals.c at run time, the parameters as literals) is shown beside it. CPU"
	echo "  per request from /proc over each run: the hub's, and the cluster's (its processes and the"
	echo "  backends it reaped). During run 1, \`perf record -F 499 -g\` samples the hub and every process of"
	echo "  the cluster for 5 s (from 2 s into the load); its split by process and library and its 10"
	echo "  symbols with the most samples of their own are printed, and go into the notes when the target"
	echo "  is not met."
	echo "- **9**: \`tests/bench/referral_bench.sh --mib $f9_mib\` on this run's cluster (a database of its"
	echo "  own, dropped after): a national CA and a hub of its own on tls+tcp://127.0.0.1 (mutual TLS),"
	echo "  a coordinator and a hospital issued and enrolled. A package of $f9_mib MiB (AES-128-CTR"
	echo "  keystream from \`openssl enc\`: incompressible, made at disk speed) is sealed for the"
	echo "  hospital by \`inbound-spoke refer\` with the hub paused (SIGSTOP), so every chunk is queued in"
	echo "  the coordinator's outbox and nothing sent; the figure is the agent's drain, \`inbound-spoke"
	echo "  run --once --window 4\`: package bytes / its wall time. The other direction is the"
	echo "  hospital's \`inbound-spoke inbox --fetch\` of the same referral into a folder (compared with"
	echo "  the original byte for byte). Peak RSS is VmHWM from /proc: the spokes sampled every 0.2 s"
	echo "  while they run, the hub at the end. The baseline is \`bench_referral base\`: the same number"
	echo "  of 1,049,600-byte messages (a 1 MiB chunk's envelope) through a bare nng REQ/REP pair over"
	echo "  mutual TLS on loopback with the hub's and the coordinator's certificates, one at a time,"
	echo "  each answered by 300 bytes (an Ack's size), in one process. CPU per MB: user + system"
	echo "  ticks over the drain of the hub, the sending spoke (sampled every 0.2 s while it runs) and"
	echo "  the cluster's processes (live and reaped), from /proc, against the bare pair's own"
	echo "  \`getrusage\` over its transfer: on a shared machine the wall time moves with the load,"
	echo "  the CPU much less. When the ratio is under 0.5,"
	echo "  one more package of $f9_prof_mib MiB is drained the same way (not counted) under \`bench_profile\`"
	echo "  ($f9_prof_s s; the hub, the sending spoke, the cluster's processes)."
	echo "- **8**: \`./deploy/demo.sh --once\` with its own ports and a fresh folder (\`IBX_VAR\`): a new"
	echo "  PostgreSQL cluster, national CA and 7,842 hospital certificates, the national list,"
	echo "  statistics from 2019, the release and the summary; the generated listings and case"
	echo "  records come from \`var/cache\` when an earlier demo generated the same (keyed by the"
	echo "  generator's binary, \`deploy/data\` and the arguments). Its wall time from the end of the"
	echo "  build to the summary against 180 s; the CPU columns say what it costs on a machine"
	echo "  shared with other work. Each hospital is its own spoke: its own key, process and"
	echo "  mutual-TLS connection, one \`inbound-spoke run --once\` sending its listing and its"
	echo "  statistics history through its durable outbox."
} >"$out"
say "== wrote $out"
cat "$out"
