#!/usr/bin/env bash
# The main job: install what is missing, build, start an embedded PostgreSQL
# under ./var, apply migrations, start inbound-hub, publish the real hospital
# listings through inbound-spoke (one spoke identity per hospital), print a
# summary and a sample coordinator search, then serve the HTTP API on
# http://127.0.0.1:${IBX_HTTP_PORT:-8080} until Ctrl-C or SIGTERM.
#
#   ./deploy/demo.sh          run and keep serving
#   ./deploy/demo.sh --once   exit 0 after the summary
#
# Environment: IBX_HTTP_PORT (8080), IBX_PG_PORT (54329), IBX_NNG_PORT (7400).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
once=0
for arg in "$@"; do
	case "$arg" in
	--once) once=1 ;;
	-h | --help) sed -n '2,12p' "$0"; exit 0 ;;
	*) echo "demo.sh: unknown option $arg" >&2; exit 2 ;;
	esac
done

http_port=${IBX_HTTP_PORT:-8080}
pg_port=${IBX_PG_PORT:-54329}
nng_port=${IBX_NNG_PORT:-7400}
var=$root/var
mkdir -p "$var"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "installing missing packages"
./deploy/install-deps.sh

say "building (build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DIBX_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null

. deploy/pg.sh
# As root, the postgres user must reach ./var; when the clone sits where it
# cannot (under /root, say), the cluster lives in /var/tmp with a link here.
pgdata=$var/pg/data
if [ ! -e "$var/pg" ] && ! ibx_pg_dir_usable "$var"; then
	alt=/var/tmp/inbound-exchange-$(echo "$root" | cksum | cut -d' ' -f1)
	mkdir -p "$alt/pg"
	chmod 755 "$alt" "$alt/pg"
	ln -s "$alt/pg" "$var/pg"
	echo "note: $var is not reachable by the postgres user; cluster in $alt/pg"
fi
mkdir -p "$var/pg"
chmod 755 "$var/pg" 2>/dev/null || true

hub_pid=
cleanup() {
	trap - EXIT INT TERM
	if [ -n "$hub_pid" ] && kill -0 "$hub_pid" 2>/dev/null; then
		kill -TERM "$hub_pid" 2>/dev/null || true
		wait "$hub_pid" 2>/dev/null || true
	fi
	ibx_pg_stop "$pgdata" || true
}
trap cleanup EXIT
trap 'exit 0' INT TERM

say "PostgreSQL on 127.0.0.1:$pg_port ($pgdata)"
ibx_pg_init "$pgdata"
ibx_pg_start "$pgdata" "$pg_port"
export PGPASSWORD
PGPASSWORD=$(cat "$var/pg/superuser.pass")
if ! psql -h 127.0.0.1 -p "$pg_port" -U inbound -d postgres -tAc \
	"SELECT 1 FROM pg_database WHERE datname = 'inbound'" | grep -q 1; then
	psql -h 127.0.0.1 -p "$pg_port" -U inbound -d postgres -qc "CREATE DATABASE inbound"
fi
dsn=$(ibx_pg_dsn "$pgdata" "$pg_port" inbound)

say "migrations"
./build/hub/inbound-hub migrate --db "$dsn"

say "generating listings from the real hospital data (deploy/data)"
rm -rf "$var/listings"
./build/deploy/datagen/inbound-datagen listings --data deploy/data \
	--out "$var/listings" --seed 42 2>"$var/datagen.log"
tail -n 5 "$var/datagen.log"

say "national CA and one spoke identity per hospital (var/pki)"
pki=$var/pki
./deploy/pki/ca-init.sh "$pki" >/dev/null
if [ ! -f "$pki/hub/hub.pem" ]; then
	./deploy/pki/issue.sh "$pki" 0000000000 hub
	mkdir -p "$pki/hub"
	mv "$pki/issued/0000000000.pem" "$pki/hub/hub.pem"
	mv "$pki/issued/0000000000.key" "$pki/hub/hub.key"
fi
./deploy/spokes.sh issue --pki "$pki" --listings "$var/listings"
./deploy/pki/crl.sh "$pki"
./build/hub/inboundctl enrol --db "$dsn" --ca "$pki/ca.pem" --crl "$pki/crl.pem" \
	--cert-dir "$pki/issued"

hub_url=tls+tcp://127.0.0.1:$nng_port
say "starting inbound-hub (spokes: $hub_url with mutual TLS, HTTP: 127.0.0.1:$http_port)"
./build/hub/inbound-hub serve --db "$dsn" --listen "$hub_url" \
	--cert "$pki/hub/hub.pem" --key "$pki/hub/hub.key" --ca "$pki/ca.pem" --crl "$pki/crl.pem" \
	--http "127.0.0.1:$http_port" 2>"$var/hub.log" &
hub_pid=$!
api=http://127.0.0.1:$http_port
for _ in $(seq 1 100); do
	curl -fsS "$api/healthz" >/dev/null 2>&1 && break
	kill -0 "$hub_pid" 2>/dev/null || { tail "$var/hub.log" >&2; exit 1; }
	sleep 0.1
done
curl -fsS "$api/healthz" >/dev/null

n=$(find "$var/listings" -name '*.json' | wc -l)
say "publishing $n hospital listings, one spoke per hospital, each signed with its own key"
start=$(date +%s.%N)
./deploy/spokes.sh publish --pki "$pki" --listings "$var/listings" --bin build/spoke -- \
	--hub "$hub_url" --ca "$pki/ca.pem" --crl "$pki/crl.pem" >"$var/publish.log" 2>&1 || {
	grep -v ' accepted ' "$var/publish.log" | head -20 >&2
	echo "demo.sh: some listings were not accepted (see var/publish.log)" >&2
	exit 1
}
end=$(date +%s.%N)
awk -v n="$(grep -c ' accepted ' "$var/publish.log")" -v s="$start" -v e="$end" \
	'BEGIN { printf "accepted %d listings in %.1f s\n", n, e - s }'

say "national hospital list: hospitals listed by prefecture"
total=0
for pref in $(seq -w 1 47); do
	t=$(curl -fsS "$api/api/v1/hospitals?prefecture=$pref&limit=1" | jq .total)
	[ "$t" -gt 0 ] || continue
	printf '  %s  %-10s %5d\n' "$pref" "$(grep "^$pref," deploy/data/jp_prefectures_jisx0401.csv | cut -d, -f2)" "$t"
	total=$((total + t))
done
printf '  total         %5d\n' "$total"

q="treatment=health_checkup_premium&language=en&accepts=CN&limit=5"
say "sample coordinator search: GET /api/v1/hospitals?$q"
curl -fsS "$api/api/v1/hospitals?$q" | jq -r '"\(.total) hospitals match; first \(.hospitals | length):",
	(.hospitals[] | "  \(.organisation_code)  \(.name.ja)  \(.name.en // "")  beds \(.beds // "-")  languages \(.languages | join(","))")'

if [ "$once" -eq 1 ]; then
	say "done (--once)"
	exit 0
fi
say "serving $api until Ctrl-C (try $api/api/v1/hospitals?prefecture=39)"
wait "$hub_pid"
