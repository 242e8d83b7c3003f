#!/usr/bin/env bash
# The main job: install what is missing, build, start an embedded PostgreSQL
# under ./var, apply migrations, start inbound-hub, publish the real hospital
# listings through inbound-spoke (one spoke identity per hospital), print a
# summary and a sample coordinator search, then serve the HTTP API on
# http://127.0.0.1:${IBX_HTTP_PORT:-8080} until Ctrl-C or SIGTERM.
#
#   ./deploy/demo.sh            run and keep serving
#   ./deploy/demo.sh --once     exit 0 after the summary
#   ./deploy/demo.sh --replica  also a hot standby under ./var/pg-standby
#                               (streaming replication) serving the API's
#                               reads (docs/replication.md)
#
# Environment: IBX_HTTP_PORT (8080), IBX_PG_PORT (54329), IBX_NNG_PORT (7400),
# IBX_PG_STANDBY_PORT (54330, with --replica); IBX_VAR (./var: the clusters,
# PKI, generated data, outboxes, logs), IBX_DEMO_CACHE (IBX_VAR/cache: the
# generated data by their inputs), IBX_DEMO_NO_CACHE=1 (generate again),
# IBX_DEMO_JOBS (8 spokes at a time), IBX_DEMO_BATCH (64 listings a
# publish --batch process), IBX_DEMO_FROM (2019-01).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
once=0
replica=0
for arg in "$@"; do
	case "$arg" in
	--once) once=1 ;;
	--replica) replica=1 ;;
	-h | --help) sed -n '2,19p' "$0"; exit 0 ;;
	*) echo "demo.sh: unknown option $arg" >&2; exit 2 ;;
	esac
done

http_port=${IBX_HTTP_PORT:-8080}
pg_port=${IBX_PG_PORT:-54329}
standby_port=${IBX_PG_STANDBY_PORT:-54330}
nng_port=${IBX_NNG_PORT:-7400}
var=${IBX_VAR:-$root/var}
mkdir -p "$var"
var=$(cd "$var" && pwd)
cache=${IBX_DEMO_CACHE:-$var/cache}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
# Where the main job's time goes: "timing STEP" after each step; the
# summary prints the table: wall seconds since the previous mark, and the
# CPU seconds spent meanwhile by this script's children (datagen, spokes,
# openssl...), by the hub, and by PostgreSQL (its live processes: the
# hub's connections, and those that ended, which the postmaster reaped). The machine is
# shared, so the CPU columns say what the step costs and wall what it took.
timings=()
# user+sys of every child this shell has waited for: "times" must run in
# this shell (in a $(...) subshell it counts the subshell's children).
cpu_children() {
	awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.2f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$var/.times"
}
cpu_of() { # PID...: their user+sys seconds
	local t=0 p
	for p in "$@"; do
		[ -r "/proc/$p/stat" ] && t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	awk -v t="$t" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}
# PostgreSQL: the postmaster, its processes, and (cutime+cstime) the ones
# it has reaped: a connection that ended (a release worker's, say) is
# counted too.  ps --ppid, not pgrep -P: pgrep leaves out a backend that
# is exiting (its command line is gone), whose CPU is then in neither sum.
# Read again when the postmaster reaped a process meanwhile (counted twice
# or not at all otherwise).
cpu_pg() {
	local pm t t2 a i
	pm=$(head -1 "${pgdata:-/nonexistent}/postmaster.pid" 2>/dev/null) || { echo 0; return; }
	for i in 1 2 3 4 5; do
		t=$(awk '{ print $16 + $17 }' "/proc/$pm/stat" 2>/dev/null || echo 0)
		a=$(cpu_of "$pm" $(ps --ppid "$pm" -o pid= 2>/dev/null || true))
		t2=$(awk '{ print $16 + $17 }' "/proc/$pm/stat" 2>/dev/null || echo 0)
		[ "$t" != "$t2" ] || break
	done
	awk -v a="$a" -v t="$t2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", a + t / hz }'
}
mark_all() { times >"$var/.times"; mark=$(date +%s.%N); mark_cpu=$(cpu_children); mark_hub=$(cpu_of ${hub_pid:-}); mark_pg=$(cpu_pg); }
mark=$(date +%s.%N) mark_cpu=0 mark_hub=0 mark_pg=0
job_start=$mark
timing() {
	local now c h p
	times >"$var/.times"
	now=$(date +%s.%N) c=$(cpu_children) h=$(cpu_of ${hub_pid:-}) p=$(cpu_pg)
	timings+=("$(awk -v a="$mark" -v b="$now" -v s="$1" -v c="$c" -v c0="$mark_cpu" -v h="$h" -v h0="$mark_hub" \
		-v p="$p" -v p0="$mark_pg" 'BEGIN { printf "%-44s %7.1f %7.1f %6.1f %6.1f", s, b - a, c - c0, h - h0, p - p0 }')")
	# the steps so far, for a run that does not reach the summary
	echo "  ${timings[-1]}" >>"$var/timings.partial"
	mark=$now mark_cpu=$c mark_hub=$h mark_pg=$p
}

# Generated data are cached under var/cache, keyed by everything the
# generator reads: its binary, deploy/data and its arguments.  A rerun
# with the same inputs links the cached files instead of generating them
# again (the generator is deterministic for a seed); anything else changed
# generates afresh.  IBX_DEMO_NO_CACHE=1 always generates.
datagen_key() { # ARGS...: the cache key of inbound-datagen ARGS
	local a
	{
		sha256sum build/tools/datagen/inbound-datagen
		find deploy/data -type f -print0 | sort -z | xargs -0 sha256sum
		# the arguments; an input folder (--listings DIR) by its content,
		# not its path (another IBX_VAR makes the same data)
		for a in "$@"; do
			if [ -d "$a" ] && [ "$a" != deploy/data ]; then
				find "$a" -type f -print0 | sort -z | xargs -0 -r cat | sha256sum
			else
				printf '%s\n' "$a"
			fi
		done
	} | sha256sum | cut -c1-32
}
# datagen_cached OUT LOG ARGS...: inbound-datagen ARGS writing into OUT
# (added as --out; what OUT holds already stays unless the same name is
# written), its stderr appended to LOG; from var/cache when the same
# inputs made it before.
datagen_cached() {
	local out=$1 log=$2 key dir
	shift 2
	key=$(datagen_key "$@")
	dir=$cache/datagen-$key
	if [ "${IBX_DEMO_NO_CACHE:-0}" = 1 ] || [ ! -f "$dir/.complete" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		./build/tools/datagen/inbound-datagen "$@" --out "$dir/data" 2>"$dir/stderr" ||
			{ cat "$dir/stderr" >&2; return 1; }
		: >"$dir/.complete"
	else
		echo "  (cached: $dir, same generator, data and arguments)"
	fi
	cat "$dir/stderr" >>"$log"
	mkdir -p "$out"
	cp -alf "$dir/data/." "$out/"
}

say "installing missing packages"
./deploy/install-deps.sh
./deploy/install-web.sh

say "building (build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DIBX_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
mark_all
job_start=$mark
job_cpu=$mark_cpu
rm -f "$var/timings.txt"
printf '  %-44s %7s %7s %6s %6s\n' step wall "CPU" hub PG >"$var/timings.partial"

. deploy/pg.sh
# As root, the postgres user must reach ./var; when the clone sits where it
# cannot (under /root, say), the clusters live in /var/tmp with links here.
cluster_home() { # NAME: $var/NAME, a directory the cluster's owner reaches
	local alt
	if [ ! -e "$var/$1" ] && ! ibx_pg_dir_usable "$var"; then
		alt=/var/tmp/inbound-exchange-$(echo "$var" | cksum | cut -d' ' -f1)
		mkdir -p "$alt/$1"
		chmod 755 "$alt" "$alt/$1"
		ln -s "$alt/$1" "$var/$1"
		echo "note: $var is not reachable by the postgres user; cluster in $alt/$1"
	fi
	mkdir -p "$var/$1"
	chmod 755 "$var/$1" 2>/dev/null || true
}
pgdata=$var/pg/data
cluster_home pg
standby=$var/pg-standby/data
[ "$replica" -eq 0 ] || cluster_home pg-standby

hub_pid=
issue_pid=
cleanup() {
	trap - EXIT INT TERM
	# the certificates issued in the background: ended before we go
	[ -z "$issue_pid" ] || wait "$issue_pid" 2>/dev/null || true
	if [ -n "$hub_pid" ] && kill -0 "$hub_pid" 2>/dev/null; then
		kill -TERM "$hub_pid" 2>/dev/null || true
		wait "$hub_pid" 2>/dev/null || true
	fi
	[ "$replica" -eq 0 ] || ibx_pg_stop "$standby" || true
	ibx_pg_stop "$pgdata" || true
}
trap cleanup EXIT
trap 'exit 0' INT TERM

say "the national list: every hospital of the code register and the three detailed sources, geocoded, read in romaji (deploy/data)"
: >"$var/datagen.log"
rm -rf "$var/listings"
datagen_cached "$var/listings" "$var/datagen.log" listings --data deploy/data --set national --seed 42
grep -E 'register:|national list:|geocode levels:|foreign patients|ours vs official|wrote' "$var/datagen.log"
timing "listing generation (datagen --set national)"

say "national CA and one spoke identity per hospital (var/pki)"
pki=$var/pki
# Thousands of certificates in one process (tools/pki, deploy/pki/issue-bulk.sh).
export IBX_CA_BULK=$root/build/tools/pki/ibx-ca-bulk
./deploy/pki/ca-init.sh "$pki" >/dev/null
# The hub's profile (issue 14): a certificate from before it, without the
# hub's names in subjectAltName, is issued again.
if [ -f "$pki/hub/hub.pem" ] &&
	! openssl x509 -in "$pki/hub/hub.pem" -noout -ext subjectAltName 2>/dev/null | grep -q 127.0.0.1; then
	rm -f "$pki/hub/hub.pem" "$pki/hub/hub.key"
fi
if [ ! -f "$pki/hub/hub.pem" ]; then
	./deploy/pki/issue.sh "$pki" 0000000000 hub
	mkdir -p "$pki/hub"
	mv "$pki/issued/0000000000.pem" "$pki/hub/hub.pem"
	mv "$pki/issued/0000000000.key" "$pki/hub/hub.key"
fi
# The hospitals' certificates need only the list: they are issued (on
# every core, ibx-ca-bulk --jobs) while PostgreSQL starts and the case
# records are generated, and waited for before the enrolment.
./deploy/spokes.sh issue --pki "$pki" --listings "$var/listings" >"$var/issue.log" 2>&1 &
issue_pid=$!
timing "national CA and the hub's certificate"

say "PostgreSQL on 127.0.0.1:$pg_port ($pgdata)"
ibx_pg_init "$pgdata"
ibx_pg_start "$pgdata" "$pg_port"
# Least privilege (docs/security.md): the migration owner, the intake, the
# API reader and the audit writer each log in as their own role, none a
# superuser; every password is in var/pg/pgpass (mode 600), never on a
# command line.
ibx_pg_roles "$pgdata" "$pg_port"
export PGPASSFILE
PGPASSFILE=$(ibx_pg_passfile "$pgdata")
ibx_pg_create_db "$pgdata" "$pg_port" inbound
dsn=$(ibx_pg_dsn "$pgdata" "$pg_port" inbound ibx_owner)
intake_dsn=$(ibx_pg_dsn "$pgdata" "$pg_port" inbound ibx_intake)
api_dsn=$(ibx_pg_dsn "$pgdata" "$pg_port" inbound ibx_api)
audit_dsn=$(ibx_pg_dsn "$pgdata" "$pg_port" inbound ibx_audit)
read_dsn=$api_dsn
replayed() { :; }
if [ "$replica" -eq 1 ]; then
	say "hot standby on 127.0.0.1:$standby_port ($standby), streaming from the primary"
	ibx_pg_standby_init "$pgdata" "$pg_port" "$standby"
	ibx_pg_start "$standby" "$standby_port"
	read_dsn=$(ibx_pg_dsn "$standby" "$standby_port" inbound ibx_api)
	# The API reads from the standby: what was just written on the primary
	# (a token, say) is there once replayed, a moment later.
	replayed() {
		ibx_pg_wait_replay "$standby" "$standby_port" "$(ibx_pg_wal_lsn "$pgdata" "$pg_port")" 60
	}
fi

say "migrations"
./build/hub/inbound-hub migrate --db "$dsn"
timing "PostgreSQL and migrations"

say "the institution-code register (deploy/data; repeated rows merged)"
./build/hub/inboundctl register import --db "$dsn" \
	$(printf -- '--file %s ' deploy/data/jp_medical_institution_codes_2025-08_pref*.csv)
timing "register import"

# History from January 2019 (IBX_DEMO_FROM) to the last closed month, so
# that the statistics overlap the real visa series (2019-2024) and coverage
# has real years; each year's volume and mix follow that year's visas
# (docs/case-records.md, "Generated case records").
last=$(date -u -d "$(date -u +%Y-%m-15) -1 month" +%Y-%m)
first=${IBX_DEMO_FROM:-2019-01}
recent=$(date -u -d "$(date -u +%Y-%m-15) -12 month" +%Y-%m)
say "synthetic case records $first to $last for every hospital that receives foreign patients"
rm -rf "$var/cases" "$var/listings-foreign"
# Only hospitals that receive foreign patients have foreign patients' cases
# (receives_foreign_patients, generated at the real share).
mkdir -p "$var/listings-foreign"
jq -r 'select(.receives_foreign_patients != false) | input_filename' "$var"/listings/*.json |
	xargs -r ln -t "$var/listings-foreign"
echo "$(find "$var/listings-foreign" -name '*.json' | wc -l) of $(find "$var/listings" -name '*.json' | wc -l) hospitals receive foreign patients"
for y in $(seq "${first%-*}" "${last%-*}"); do
	datagen_cached "$var/cases" "$var/datagen.log" cases --data deploy/data --listings "$var/listings-foreign" \
		--year "$y" --seed "$y"
	tail -n 1 "$var/datagen.log"
done
# Each hospital's export folder: its yearly files (hard links), in one
# process (a mkdir and an ln per hospital took 22 s).
rm -rf "$var/exports"
mkdir -p "$var/exports"
perl -e 'my ($cases, $foreign, $out) = @ARGV;
	for my $f (glob "$cases/synthetic_cases_*_*.csv") {
		my ($n, $c) = $f =~ m{/(synthetic_cases_(\d+)_\d+\.csv)$} or next;
		-e "$foreign/$c.json" or next;
		-d "$out/$c" or mkdir "$out/$c" or die "$out/$c: $!\n";
		link($f, "$out/$c/$n") or die "$out/$c/$n: $!\n";
	}' "$var/cases" "$var/listings-foreign" "$var/exports"
timing "case records (datagen cases)"

say "waiting for the hospitals' certificates (started before PostgreSQL)"
wait "$issue_pid" || { cat "$var/issue.log" >&2; exit 1; }
cat "$var/issue.log"
./deploy/pki/crl.sh "$pki"
timing "certificates (waiting for issue-bulk.sh)"

./build/hub/inboundctl enrol --db "$dsn" --ca "$pki/ca.pem" --crl "$pki/crl.pem" \
	--cert-dir "$pki/issued"
timing "enrolment (inboundctl enrol)"

hub_url=tls+tcp://127.0.0.1:$nng_port
say "starting inbound-hub (spokes: $hub_url with mutual TLS, HTTP: 127.0.0.1:$http_port)"
read_args=()
[ "$replica" -eq 0 ] || read_args=(--db-read "$read_dsn")
./build/hub/inbound-hub serve --db "$intake_dsn" --db-api "$api_dsn" --db-audit "$audit_dsn" --listen "$hub_url" \
	--cert "$pki/hub/hub.pem" --key "$pki/hub/hub.key" --ca "$pki/ca.pem" --crl "$pki/crl.pem" \
	--http "127.0.0.1:$http_port" "${read_args[@]}" 2>"$var/hub.log" &
hub_pid=$!
api=http://127.0.0.1:$http_port
for _ in $(seq 1 100); do
	curl -fsS "$api/healthz" >/dev/null 2>&1 && break
	kill -0 "$hub_pid" 2>/dev/null || { tail "$var/hub.log" >&2; exit 1; }
	sleep 0.1
done
curl -fsS "$api/healthz" >/dev/null
timing "hub start"
[ "$replica" -eq 0 ] || sed -n 's/.*\(API reads from .*\)/hub: \1/p' "$var/hub.log"

say "coordinators: generated listings, each published by its own spoke"
rm -rf "$var/coordinators"
./build/tools/datagen/inbound-datagen coordinators --out "$var/coordinators" --count 12 \
	--seed 42 2>>"$var/datagen.log"
for f in "$var"/coordinators/*.json; do
	code=$(basename "$f" .json)
	[ -f "$pki/issued/$code.pem" ] || ./deploy/pki/issue.sh "$pki" "$code" coordinator
	./build/hub/inboundctl enrol --db "$dsn" --ca "$pki/ca.pem" \
		--cert "$pki/issued/$code.pem" >/dev/null
done
./deploy/spokes.sh publish --pki "$pki" --listings "$var/coordinators" --bin build/spoke -- \
	--hub "$hub_url" --ca "$pki/ca.pem" --crl "$pki/crl.pem" >"$var/publish-coordinators.log" 2>&1 ||
	{ tail "$var/publish-coordinators.log" >&2; exit 1; }
echo "published $(grep -c ' accepted ' "$var/publish-coordinators.log") coordinator listings"
timing "coordinators"

# Every hospital is its own spoke: its own key, its own process, its own
# mutual-TLS connection.  A hospital that receives foreign patients runs
# one agent pass (inbound-spoke run --once, docs/spoke-agent.md): its
# listing, one submission per month of its case records and a nil report
# for each of the last twelve closed months without a case (--nil-from)
# go into its own durable outbox and out over that one connection.  The
# others send their one listing with inbound-spoke publish (no outbox: a
# file system that allocates inodes slowly, as this VM's ext4 without a
# journal does, made the outbox's files cost more than the send),
# IBX_DEMO_BATCH (64) of them one after the other in one process (publish
# --batch: each its own key and its own connection; a process per hospital
# paid its start-up, OpenSSL's set-up and the kernel's reaping of its
# threads each time).  IBX_DEMO_JOBS (8) processes at a time.
n=$(find "$var/listings" -name '*.json' | wc -l)
nf=$(find "$var/exports" -mindepth 1 -maxdepth 1 -type d | wc -l)
jobs=${IBX_DEMO_JOBS:-8}
batch=${IBX_DEMO_BATCH:-64}
say "publishing: $n hospitals, each its own spoke (its own key, one connection): its listing, and for $nf its statistics $first to $last"
rm -rf "$var/outbox" "$var/publish-batches"
mkdir -p "$var/outbox" "$var/publish-batches"
start=$(date +%s.%N)
spoke_args=(--hub "$hub_url" --ca "$pki/ca.pem" --crl "$pki/crl.pem" --attempts 3 --timeout 20000)
# With case records first (the longer runs), then the listings alone.
find "$var/exports" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort |
	xargs -P "$jobs" -I{} ./build/spoke/inbound-spoke run --once --outbox "$var/outbox/{}" \
		--listing "$var/listings/{}.json" --cases-dir "$var/exports/{}" --nil-from "$recent" \
		--cert "$pki/issued/{}.pem" --key "$pki/issued/{}.key" "${spoke_args[@]}" \
		>"$var/publish.log" 2>&1 &&
	find "$var/listings" -name '*.json' -printf '%f\n' | sed 's/\.json$//' | sort |
	comm -23 - <(find "$var/exports" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort) |
	awk -v l="$var/listings" -v i="$pki/issued" '{ printf "%s/%s.json %s/%s.pem %s/%s.key\n", l, $1, i, $1, i, $1 }' |
	split -l "$batch" - "$var/publish-batches/" &&
	find "$var/publish-batches" -type f | sort |
	xargs -P "$jobs" -I{} ./build/spoke/inbound-spoke publish --batch {} "${spoke_args[@]}" \
		>>"$var/publish.log" 2>&1 || {
	grep -E ' (warn|error) ' "$var/publish.log" | head -20 >&2
	echo "demo.sh: some hospitals' envelopes were not accepted (see var/publish.log, var/outbox/*/status.json)" >&2
	exit 1
}
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v n="$n" -v nf="$nf" \
	-v l="$(grep -Ec ': listing [0-9]+ (sealed|accepted)' "$var/publish.log")" \
	-v m="$(grep -c ': statistics for [0-9-]* sealed' "$var/publish.log")" \
	-v z="$(grep -c ': nil report for [0-9-]* sealed' "$var/publish.log")" \
	-v a="$(grep -Ec 'envelope [0-9]+: (accepted|duplicate)|: listing [0-9]+ accepted' "$var/publish.log")" \
	'BEGIN { printf "%d hospitals: %d listings, %d monthly statistics and %d nil reports from %d of them; %d envelopes acknowledged in %.1f s\n", n, l, m, z, nf, a, e - s }'
timing "publishing (own key and connection each)"

say "the protected release: every closed month measured once (docs/disclosure-control.md)"
./build/hub/inboundctl release --db "$dsn" --until "$last"
timing "release"

say "reference series: medical stay visas issued 2011-2024 (deploy/data)"
./build/hub/inboundctl series import --db "$dsn" --name medical_stay_visas \
	--file deploy/data/medical_stay_visa_issuance_2011-2024_transcribed.csv \
	--period-column year --nationality-column nationality_iso3166_alpha2 \
	--value-column visas_issued
timing "reference series"

say "national hospital list: hospitals listed by prefecture"
summary_token=$(./build/hub/inboundctl token create --db "$dsn" --role ministry --label demo-summary --expires 1d 2>/dev/null)
replayed
hosp() { curl -fsS -H "Authorization: Bearer $summary_token" "$api/api/v1/hospitals?$1"; }
total=$(hosp 'limit=1' | jq .total)
# Each prefecture asked once (the totals are kept for the checks below).
declare -A pref_total=()
for pref in $(seq -w 1 47); do
	t=$(hosp "prefecture=$pref&limit=1" | jq .total)
	pref_total[$pref]=$t
	printf '  %s %-6s %4d' "$pref" "$(grep "^$pref," deploy/data/jp_prefectures_jisx0401.csv | cut -d, -f2)" "$t"
	[ $((10#$pref % 4)) -eq 0 ] && echo
done
printf '\n  GET /api/v1/hospitals?limit=1 -> total %s (want >= 7,500); Tokyo %s (want > 500); prefectures without hospitals: %s\n' \
	"$total" "${pref_total[13]}" \
	"$(for p in $(seq -w 1 47); do [ "${pref_total[$p]}" -gt 0 ] || printf '%s ' "$p"; done)"
echo "  geocoding (our own geocoder, inbound-datagen):"
sed -n 's/^inbound-datagen: \(geocode levels:.*\)/    \1/p; s/^inbound-datagen: \(.*ours vs official.*\)/    \1/p' "$var/datagen.log"
sapporo=$(hosp 'q=Sapporo&limit=1')
printf '  romaji: q=Sapporo finds %s hospitals, e.g. %s\n' "$(jq .total <<<"$sapporo")" \
	"$(jq -r '.hospitals[0] | "\(.name.ja) (\(.name.en), \(.address))"' <<<"$sapporo")"
printf '  register: %s listings match an organisation of the institution-code register, %s are unregistered\n' \
	"$(hosp 'registered=true&limit=1' | jq .total)" "$(hosp 'registered=false&limit=1' | jq .total)"
timing "summary queries"

q="treatment=health_checkup_premium&nationality=CN&purpose=health_checkup&near=NRT&within_km=50&limit=5"
say "sample coordinator search (ranked; within 50 km of Narita): GET /api/v1/hospitals?$q"
curl -fsS -H "Authorization: Bearer $summary_token" "$api/api/v1/hospitals?$q" |
	jq -r '"\(.total) hospitals match; first \(.hospitals | length):",
	(.hospitals[] | "  #\(.rank) \(.organisation_code)  \(.name.ja)  \(.name.en // "")  \(.distance_km) km" +
	 "  score \(.score.total) = \([.score.components[] | "\(.name) \(.value)/\(.weight)"] | join(" + "))" +
	 "\n      nearest airport \(.nearest_airport.iata // "-") \(.nearest_airport.km // "-") km;" +
	 " price \(if .price then "\(.price.service) \(.price.min_jpy)-\(.price.max_jpy) JPY" else "none listed" end);" +
	 " experience \(.experience.display)")'

say "tokens for the web pages and the API (shown once; only their SHA-256 is stored)"
ministry=$(./build/hub/inboundctl token create --db "$dsn" --role ministry --label demo --expires 1d 2>/dev/null)
coordinator=$(./build/hub/inboundctl token create --db "$dsn" --role coordinator --label demo --expires 1d 2>/dev/null)
hosp_code=$(jq -r 'select(.prefecture == "39") | .organisation_code' "$var"/listings/*.json | sort | head -1)
hospital=$(./build/hub/inboundctl token create --db "$dsn" --role hospital --org "$hosp_code" \
	--label demo --expires 1d 2>/dev/null)
printf '  ministry     %s\n  coordinator  %s\n  hospital     %s  (%s)\n' \
	"$ministry" "$coordinator" "$hospital" "$hosp_code"

# People's accounts (issue 17, docs/accounts.md): a random password each,
# in a 0600 file (never in argv), and a one-time enrolment code; the first
# sign-in shows the TOTP QR code once.  A rerun resets them.
say "accounts for signing in with a password and a TOTP code (docs/accounts.md)"
coord_code=$(basename "$(ls "$var"/coordinators/*.json | head -1)" .json)
(umask 077 && : >"$var/demo-passwords")
for spec in "demo.ministry ministry" "demo.coordinator coordinator $coord_code" "demo.hospital hospital $hosp_code"; do
	read -r login role org <<<"$spec"
	(umask 077 && head -c 12 /dev/urandom | base64 | tr -d '/+=' >"$var/pw.tmp")
	printf '%s %s\n' "$login" "$(cat "$var/pw.tmp")" >>"$var/demo-passwords"
	if ./build/hub/inboundctl user list --db "$dsn" | grep -q " $login "; then
		code=$(./build/hub/inboundctl user reset --db "$dsn" --login "$login" --password-file "$var/pw.tmp" 2>/dev/null)
	else
		code=$(./build/hub/inboundctl user create --db "$dsn" --login "$login" --role "$role" \
			${org:+--org "$org"} --password-file "$var/pw.tmp" 2>/dev/null)
	fi
	printf '  %-17s %-12s enrolment code %s\n' "$login" "$role" "$code"
done
rm -f "$var/pw.tmp"
echo "  passwords: $var/demo-passwords (mode 0600)"
replayed

# The last whole calendar year: statistics leave the hub in calendar grains
# only, from the protected release (docs/disclosure-control.md).
year=$((${last%-*} - 1))
[ "${last#*-}" = 12 ] && year=${last%-*}
say "national statistics: patients by nationality in $year (the protected release)"
curl -fsS -H "Authorization: Bearer $ministry" \
	"$api/api/v1/statistics?measure=patients&by=nationality&period=year&year=$year" |
	jq -r '.cells[] | "  \(.nationality)  \(if .suppressed then "under 10" else .value end)"' | head -12

if [ "$replica" -eq 1 ]; then
	say "replication: the API above was served by the hot standby on 127.0.0.1:$standby_port"
	sed -n 's/.*\(API reads from .*\)/  hub log:  \1/p' "$var/hub.log"
	ibx_pg_psql "$standby" "$standby_port" inbound "SELECT
		'  standby:  pg_is_in_recovery() = ' || pg_is_in_recovery() ||
		', replayed up to ' || pg_last_wal_replay_lsn() ||
		', ' || (SELECT count(*) FROM hospital_listings) || ' hospital listings, ' ||
		(SELECT count(*) FROM pg_stat_activity WHERE datname = 'inbound'
			AND backend_type = 'client backend' AND pid <> pg_backend_pid()) ||
		' connections from the hub'"
	ibx_pg_psql "$pgdata" "$pg_port" inbound "SELECT
		'  primary:  pg_is_in_recovery() = ' || pg_is_in_recovery() ||
		', WAL at ' || pg_current_wal_lsn() || ', streaming to ' ||
		coalesce((SELECT string_agg(application_name || ' (' || state || ', replay lag ' ||
			coalesce(replay_lag::text, '0') || ')', ', ') FROM pg_stat_replication), 'nobody') ||
		', ' || (SELECT count(*) FROM audit_log) || ' API calls audited here'"
	printf '  API:      GET /api/v1/hospitals?limit=1 -> total %s (read on the standby)\n' \
		"$(curl -fsS -H "Authorization: Bearer $summary_token" "$api/api/v1/hospitals?limit=1" | jq .total)"
fi

# The referral channel (issue 15, docs/referrals.md): two coordinators and a
# partner abroad refer cases to four hospitals, end to end encrypted.
say "referrals: cases sent end to end encrypted, fetched, verified and answered (deploy/referrals-demo.sh)"
./deploy/referrals-demo.sh "$var" "$pki" "$dsn" "$hub_url" "$api" "$ministry"
timing "referrals"

say "where the main job's time went (after the build; seconds)"
times >"$var/.times"
{
	printf '  %-44s %7s %7s %6s %6s\n' step wall "CPU" hub PG
	for t in "${timings[@]}"; do echo "  $t"; done
	awk -v a="$job_start" -v b="$(date +%s.%N)" -v c="$(cpu_children)" -v c0="$job_cpu" -v h="$(cpu_of "$hub_pid")" \
		-v p="$(cpu_pg)" -v n="$(nproc)" -v l="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
		printf "  %-44s %7.1f %7.1f %6.1f %6.1f\n", "total", b - a, c - c0, h, p
		printf "  CPU in all %.1f s: at least %.1f s on %d idle cores; the wall time above ran at load average %s\n",
			c - c0 + h + p, (c - c0 + h + p) / n, n, l }'
} | tee "$var/timings.txt"

if [ "$once" -eq 1 ]; then
	say "done (--once)"
	exit 0
fi
say "serving $api until Ctrl-C: open $api/ and sign in with an account or a token above"
wait "$hub_pid"
