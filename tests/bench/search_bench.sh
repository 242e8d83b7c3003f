#!/usr/bin/env bash
# Hospital search from an airport at national scale: 7,700 listings spread
# around the 82 scheduled airports (inserted with SQL, as the hub stores
# them) with a protected release of their experience, then the median time of 15 requests of each search through the
# real hub, against the baseline of a search without filters.  Prints
# figures and ratios; asserts nothing about time (STYLE.md).
#
#   tests/bench/search_bench.sh [--build BUILD]   (default build-tests)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build-tests
[ "${1:-}" = --build ] && build=$(cd "$2" && pwd)
export IBX_BUILD=$build IBX_SOURCE=$root
export IBX_PG_STATE=${IBX_PG_STATE:-$(mktemp -d /tmp/ibx-bench-pg.XXXXXX)}
bash "$root/tests/integration/pg_fixture.sh" start >/dev/null
trap 'bash "$root/tests/integration/pg_fixture.sh" stop >/dev/null 2>&1 || true' EXIT
. "$root/tests/integration/lib.sh"
db_create
hub_start
coord=$(token coordinator)

sql "INSERT INTO organisations (code, role)
     SELECT lpad(p::text, 2, '0') || '1' || lpad(i::text, 7, '0'), 'hospital'
     FROM generate_series(1, 7700) i, LATERAL (SELECT 1 + i % 47 AS p) x;
INSERT INTO listing_versions (org_code, version, doc)
SELECT o.code, 1, jsonb_build_object('schema_version', 1, 'organisation_code', o.code,
	'name', jsonb_build_object('ja', '病院' || o.code), 'prefecture', left(o.code, 2),
	'location', jsonb_build_object('lat', a.lat + (random() - 0.5) * 1.2, 'lon', a.lon + (random() - 0.5) * 1.2),
	'departments', '[]'::jsonb, 'treatments', '[\"pet_ct\"]'::jsonb, 'languages', '[\"ja\", \"en\"]'::jsonb,
	'accreditations', '[]'::jsonb, 'accepts_countries', '[]'::jsonb, 'remote_second_opinion', false,
	'price_bands', jsonb_build_array(jsonb_build_object('service', 'pet_ct', 'min_jpy', 50000 + (random() * 200000)::int,
		'max_jpy', 300000)), 'synthetic', '[]'::jsonb, 'confirmed_at', to_char(current_date - 30, 'YYYY-MM-DD'))
FROM (SELECT code, row_number() OVER (ORDER BY code) n FROM organisations) o
JOIN (SELECT lat, lon, row_number() OVER (ORDER BY iata) - 1 k FROM airports) a ON a.k = o.n % 82;
INSERT INTO hospital_listings (org_code, version, name_ja, prefecture, departments, treatments, languages,
	accreditations, accepts_countries, remote_second_opinion, lat, lon, doc, updated_at)
SELECT org_code, 1, doc->'name'->>'ja', doc->>'prefecture', '{}', '{pet_ct}', '{ja,en}', '{}', '{}', false,
	(doc->'location'->>'lat')::float8, (doc->'location'->>'lon')::float8, doc, now() FROM listing_versions;
ANALYZE hospital_listings; ANALYZE listing_versions;" >/dev/null
# a release of the 13 months before this one (the per-hospital marginals
# search reads), then search's experience rebuilt from it, as a release
# run does at its end
psql -h 127.0.0.1 -p "$IBX_PG_PORT" -U inbound -d "$DB_NAME" -Xq -v months=13 \
	-f "$root/tests/bench/search_release_gen.sql" >/dev/null
sql "SELECT ibx_search_experience_refresh()" >/dev/null

# median_ms PATH: the median of 15 requests' total times, in ms.
median_ms() {
	local i
	for i in $(seq 1 15); do
		curl -sS -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $coord" "$API$1"
	done | sort -n | sed -n 8p | awk '{printf "%.1f", $1 * 1000}'
}
base=$(median_ms "/api/v1/hospitals")
printf '%-62s %8s %7s %6s\n' "search (7,700 listings)" "median" "ratio" "total"
for p in "/api/v1/hospitals" "/api/v1/hospitals?near=NRT&within_km=50" "/api/v1/hospitals?near=NRT" \
	"/api/v1/hospitals?near=KIX&within_km=30&sort=distance" "/api/v1/hospitals?near=35.68,139.76&within_km=3000" \
	"/api/v1/hospitals?service=pet_ct&max_price_jpy=100000&sort=price" \
	"/api/v1/hospitals?format=csv&limit=5000"; do
	ms=$(median_ms "$p")
	total=$(curl -sS -H "Authorization: Bearer $coord" "$API${p/format=csv&limit=5000/}" | jq -r '.total // "-"' 2>/dev/null || echo -)
	printf '%-62s %6s ms %6.2fx %6s\n' "${p#/api/v1/hospitals}" "$ms" "$(echo "$ms $base" | awk '{print $1 / $2}')" "$total"
done
