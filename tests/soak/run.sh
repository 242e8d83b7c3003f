#!/usr/bin/env bash
# The soak test (issue 7, docs/soak.md): twice the national peak, 8,000
# hospitals each publishing a listing update and a month's statistics within
# an hour, the hour compressed into MINUTES minutes and repeated HOURS times,
# into a real hub (mutual TLS on loopback) with its real PostgreSQL (a
# throwaway cluster, deploy/pg.sh).  Every Ack is checked; the hub's VmRSS
# and PostgreSQL's total memory (PSS of the postmaster and its children) are
# sampled every SAMPLE seconds.  Prints a report; exits 1 on any error or
# when the hub's memory grows (docs/soak.md gives the criterion), 2 on a
# set-up failure.
#
#   tests/soak/run.sh [--hospitals 8000] [--minutes 10] [--hours 1]
#                     [--sample-seconds 10] [--conc 16] [--growth-pct 5]
#                     [--case-rows N]
#                     [--build DIR] [--no-build] [--keep] [--memory-report-only]
#
# --memory-report-only: the hub's memory is printed but not judged (the
# short form: a minute is still warm-up, each new hospital's certificate
# going into the hub's verified-certificate cache).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build-soak do_build=1 keep=0
hospitals=8000 minutes=10 hours=1 sample=10 conc=16 growth_pct=5 rows=() judge_memory=1
while [ $# -gt 0 ]; do
	case "$1" in
	--hospitals) hospitals=$2; shift 2 ;;
	--minutes) minutes=$2; shift 2 ;;
	--hours) hours=$2; shift 2 ;;
	--sample-seconds) sample=$2; shift 2 ;;
	--conc) conc=$2; shift 2 ;;
	--case-rows) rows=(--rows "$2"); shift 2 ;;
	--growth-pct) growth_pct=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--no-build) do_build=0; shift ;;
	--keep) keep=1; shift ;;
	--memory-report-only) judge_memory=0; shift ;;
	-h | --help) sed -n '2,19p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
say() { printf 'soak: %s\n' "$*"; }

if [ "$do_build" -eq 1 ]; then
	say "building into $build (release)"
	cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DIBX_TEST_HOOKS=ON >/dev/null
	cmake --build "$build" -j"$(nproc)" --target inbound-hub inboundctl \
		inbound-datagen soak_load >/dev/null
fi
HUB=$build/hub/inbound-hub
CTL=$build/hub/inboundctl
DATAGEN=$build/tools/datagen/inbound-datagen
LOAD=$build/tests/soak/soak_load
for b in "$HUB" "$CTL" "$DATAGEN" "$LOAD"; do
	[ -x "$b" ] || { echo "run.sh: $b is not built" >&2; exit 2; }
done

. "$root/deploy/pg.sh"
. "$root/tests/integration/ports.sh"
work=$(mktemp -d /tmp/ibx-soak.XXXXXX)
chmod 755 "$work"
hub_pid= sampler_pid=
cleanup() {
	[ -z "$sampler_pid" ] || { kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; }
	[ -z "$hub_pid" ] || { kill "$hub_pid" 2>/dev/null || true; wait "$hub_pid" 2>/dev/null || true; }
	ibx_pg_stop "$work/pg/data" >/dev/null 2>&1 || true
	if [ "$keep" -eq 1 ]; then echo "soak: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
t_setup=$(date +%s)

# ---- PostgreSQL --------------------------------------------------------------
say "PostgreSQL: a throwaway cluster on loopback"
ibx_pg_init "$work/pg/data" >/dev/null
pg_port=$(ibx_free_port)
ibx_pg_start "$work/pg/data" "$pg_port" >/dev/null
export PGPASSWORD
PGPASSWORD=$(cat "$work/pg/superuser.pass")
psql -h 127.0.0.1 -p "$pg_port" -U inbound -d postgres -qc "CREATE DATABASE soak" >/dev/null
dsn=$(ibx_pg_dsn "$work/pg/data" "$pg_port" soak)
psqls() { psql -h 127.0.0.1 -p "$pg_port" -U inbound -d soak -XqtA "$@"; }
"$HUB" migrate --db "$dsn" >/dev/null 2>&1

# ---- listings and case records ----------------------------------------------
# The 782 listings made from the real hospital files, then synthetic copies
# of them under other codes (same prefecture, institution code 9nnnnnn),
# until there are $hospitals; each hospital's case records are those
# generated for the listing it copies (one month, 2025-06; the generator's
# model of foreign patients per hospital, or --case-rows rows each).
"$DATAGEN" listings --data "$root/deploy/data" --out "$work/listings" --seed 42 >/dev/null 2>&1
"$DATAGEN" cases --listings "$work/listings" --out "$work/cases" --year 2025 --month 6 \
	--seed 42 --data "$root/deploy/data" ${rows[@]+"${rows[@]}"} >/dev/null 2>&1
ls "$work/listings" | sed -n 's/\.json$//p' | sort >"$work/real.codes"
nreal=$(wc -l <"$work/real.codes")
awk -v n="$hospitals" -v nreal="$nreal" -v L="$work/listings" -v C="$work/cases" '
	{ real[NR - 1] = $1 }
	END {
		for (j = 0; j < n; j++) {
			b = real[j % nreal]
			code = j < nreal ? b : sprintf("%s9%06d", substr(b, 1, 3), j)
			printf "%s %s/%s.json %s/synthetic_cases_%s_2025-06.csv\n", code, L, b, C, b
		}
	}' "$work/real.codes" | shuf --random-source=<(yes) >"$work/plan"
if [ "$(cut -d' ' -f1 "$work/plan" | sort -u | wc -l)" -ne "$hospitals" ]; then
	echo "run.sh: duplicate organisation codes in the plan" >&2
	exit 2
fi

# ---- PKI: the national CA, one certificate per hospital ---------------------
# The CA is deploy/pki/ca-init.sh and the hub's certificate issue.sh.  The
# hospitals' certificates are what issue.sh makes (a new P-256 key each,
# subject C=JP/O=Inbound Exchange/OU=hospital/CN=CODE, the same openssl.cnf,
# so the same extensions and the same CA index and serials) but signed in
# one `openssl ca -infiles` call: issue.sh takes about 40 ms a certificate
# (three openssl processes and a lock), 5 minutes for 8,000; this takes
# about 5 ms each.
say "PKI: the national CA and $hospitals hospital certificates"
pki=$work/pki
"$root/deploy/pki/ca-init.sh" "$pki" >/dev/null
"$root/deploy/pki/issue.sh" "$pki" 0000000000 hub
mkdir -p "$pki/hub" "$pki/csr"
mv "$pki/issued/0000000000.pem" "$pki/issued/0000000000.key" "$pki/hub/"
cut -d' ' -f1 "$work/plan" >"$work/codes"
(umask 077 && xargs -P "$(nproc)" -n 100 bash -c '
	for c; do
		openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout "'"$pki"'/issued/$c.key" -subj "/C=JP/O=Inbound Exchange/OU=hospital/CN=$c" \
			-out "'"$pki"'/csr/$c.csr" 2>/dev/null
	done' _ <"$work/codes")
(
	export IBX_PKI=$pki
	cd "$pki/csr"
	openssl ca -batch -config "$root/deploy/pki/openssl.cnf" -days 825 -notext \
		-out /dev/null -infiles $(sed 's/$/.csr/' "$work/codes") 2>"$pki/ca.log"
) || { cat "$pki/ca.log" >&2; exit 2; }
# the CA's index names each serial's subject; newcerts/SERIAL.pem is the
# certificate
awk -F'\t' -v dir="$pki" '$6 ~ /OU=hospital/ {
		cn = $6; sub(/.*CN=/, "", cn)
		src = dir "/newcerts/" $4 ".pem"; dst = dir "/issued/" cn ".pem"
		while ((getline line < src) > 0) print line > dst
		close(src); close(dst)
	}' "$pki/index.txt"
rm -rf "$pki/csr"
[ "$(ls "$pki/issued" | grep -c '\.pem$')" -eq "$hospitals" ] || { echo "run.sh: not every certificate was issued" >&2; exit 2; }
say "enrolling $hospitals hospitals"
"$CTL" enrol --db "$dsn" --ca "$pki/ca.pem" --cert-dir "$pki/issued" >/dev/null

# ---- the hub -----------------------------------------------------------------
nng_port=$(ibx_free_port)
http_port=$(ibx_free_port)
url=tls+tcp://127.0.0.1:$nng_port
"$HUB" serve --db "$dsn" --listen "$url" --http "127.0.0.1:$http_port" \
	--cert "$pki/hub/0000000000.pem" --key "$pki/hub/0000000000.key" \
	--ca "$pki/ca.pem" --crl "$pki/crl.pem" 2>"$work/hub.log" &
hub_pid=$!
for _ in $(seq 1 100); do
	curl -fsS "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
kill -0 "$hub_pid" || { cat "$work/hub.log" >&2; exit 2; }
pg_pid=$(head -1 "$work/pg/data/postmaster.pid")
say "set-up took $(($(date +%s) - t_setup)) s; hub pid $hub_pid at $url, PostgreSQL pid $pg_pid"

# ---- memory sampler ------------------------------------------------------------
# every $sample s: seconds since start, the hub's VmRSS (kB), and the PSS
# (kB; shared memory counted once) of the postmaster and its children
pss() { awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
sampler() {
	local t0 p tot
	t0=$(date +%s)
	while kill -0 "$hub_pid" 2>/dev/null; do
		tot=$(pss "$pg_pid")
		for p in $(pgrep -P "$pg_pid"); do tot=$((tot + $(pss "$p"))); done
		printf '%d %s %s\n' $(($(date +%s) - t0)) \
			"$(awk '/^VmRSS:/ { print $2 }' "/proc/$hub_pid/status")" "$tot" >>"$work/mem"
		sleep "$sample"
	done
}
sampler &
sampler_pid=$!

# ---- the load ------------------------------------------------------------------
say "load: $hospitals hospitals x (listing + statistics) per hour, an hour every $minutes min, $hours hour(s), $conc senders"
rc=0
# bounded: the planned duration and five minutes more
timeout -k 10 $((minutes * hours * 60 + 300)) "$LOAD" --hub "$url" --pki "$pki" --plan "$work/plan" --cases-period 2025-06 \
	--minutes "$minutes" --hours "$hours" --conc "$conc" >"$work/load.out" || rc=$?
kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
sampler_pid=
kv() { sed -n "s/^$1=//p" "$work/load.out"; }
[ -s "$work/load.out" ] || { echo "run.sh: the load generator printed nothing (exit $rc)" >&2; exit 2; }
kill -0 "$hub_pid" || { echo "run.sh: the hub died" >&2; tail -20 "$work/hub.log" >&2; exit 1; }

# what the hub committed, against what the Acks said
db_acc=$(psqls -c "SELECT count(*) FROM message_log WHERE outcome = 'accepted'")
db_ref=$(psqls -c "SELECT count(*) FROM message_log WHERE outcome <> 'accepted'")
db_lst=$(psqls -c "SELECT count(*) FROM hospital_listings")
db_sub=$(psqls -c "SELECT count(*) FROM statistics_submissions")
db_size=$(psqls -c "SELECT pg_size_pretty(pg_database_size('soak'))")

# ---- report ----------------------------------------------------------------------
# per series: first, last, min, max; the first third of the samples is the
# warm-up; growth = mean of the last third / mean of the middle third - 1;
# slope = least squares over the samples after the warm-up, kB per minute
memstat() {
	awk -v col="$1" -v lim="$growth_pct" '
		{ t[NR] = $1; v[NR] = $col }
		END {
			n = NR
			if (n < 6) { printf "n=%d\nflat=unknown\n", n; exit }
			a = int(n / 3); b = int(2 * n / 3)
			min = max = v[1]
			for (i = 1; i <= n; i++) { if (v[i] < min) min = v[i]; if (v[i] > max) max = v[i] }
			for (i = a + 1; i <= b; i++) { sm += v[i]; nm++ }
			for (i = b + 1; i <= n; i++) { sl += v[i]; nl++ }
			for (i = a + 1; i <= n; i++) { k++; sx += t[i]; sy += v[i]; sxx += t[i] * t[i]; sxy += t[i] * v[i] }
			d = k * sxx - sx * sx
			slope = d > 0 ? (k * sxy - sx * sy) / d * 60 : 0
			g = (sl / nl) / (sm / nm) * 100 - 100
			printf "n=%d\nfirst=%d\nlast=%d\nmin=%d\nmax=%d\nmid=%.0f\nend=%.0f\ngrowth=%.2f\nslope=%.1f\nflat=%s\n",
				n, v[1], v[n], min, max, sm / nm, sl / nl, g, slope, (g <= lim ? "yes" : "no")
		}' "$work/mem"
}
memstat 2 >"$work/hub.mem"
memstat 3 >"$work/pg.mem"
m() { sed -n "s/^$2=//p" "$work/$1.mem"; }
errors=$(kv errors)
verdict=pass
[ "$rc" -eq 0 ] && [ "$errors" = 0 ] || verdict=fail
[ "$db_acc" = "$(kv accepted)" ] && [ "$db_ref" = 0 ] || verdict=fail
[ "$judge_memory" -eq 0 ] || [ "$(m hub flat)" = yes ] || verdict=fail
cat <<EOF

== soak report ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPU, load average $(cut -d' ' -f1-3 /proc/loadavg))
load:      $(kv hospitals) hospitals, $(kv hours) hour(s) of $(kv minutes_per_hour) min, $(kv sessions)/$(kv sessions_planned) sessions (new TLS connection each), $conc senders
duration:  $(kv seconds) s of load (set-up before it not counted)
messages:  sent $(kv sent), accepted $(kv accepted), errors $errors (refused $(kv refused), no answer $(kv no_answer), not sealed $(kv failed), not prepared $(kv unprepared))
           $(kv listings) listing updates, $(kv statistics) statistics submissions ($(kv nil_reports) nil reports, $(kv cells) cells)
rate:      $(kv msgs_per_s) accepted msg/s (target $(kv target_msgs_per_s)); latest session start $(kv max_lag_s) s behind schedule
database:  message log $db_acc accepted, $db_ref refused; $db_lst current listings; $db_sub statistics submissions; $db_size
hub RSS:   first $(m hub first) kB, last $(m hub last) kB, min $(m hub min) kB, max $(m hub max) kB; middle third $(m hub mid) kB, last third $(m hub end) kB: $(m hub growth) %, slope $(m hub slope) kB/min ($(m hub n) samples every $sample s); flat (<= $growth_pct %): $(m hub flat)$([ "$judge_memory" -eq 1 ] || echo " (reported, not judged: --memory-report-only)")
PG PSS:    first $(m pg first) kB, last $(m pg last) kB, min $(m pg min) kB, max $(m pg max) kB; middle third $(m pg mid) kB, last third $(m pg end) kB: $(m pg growth) %, slope $(m pg slope) kB/min; flat (<= $growth_pct %): $(m pg flat) (reported, not judged: see docs/soak.md)
verdict:   $verdict
EOF
[ "$verdict" = pass ]
