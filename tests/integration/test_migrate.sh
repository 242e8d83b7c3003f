#!/usr/bin/env bash
# inbound-hub migrate with deploy/sql/migrations and deploy/sql/functions:
# a fresh database gets every migration and function; a second run applies
# no migration and re-applies the functions; a database migrated by the
# former flat layout (deploy/sql/NNN_*.sql, each function written out in
# the migrations) migrates cleanly to the same schema; a migration's part
# after "-- ibx:after-functions" runs after the functions (007's roll-up
# refresh over cells stored before it); a broken file changes nothing.
. "$(dirname "$0")/lib.sh"

# The commit before the layout change: the former files, read from git.
FLAT=8791ca40f0eade4e76d7c7b6f96f01c5147503e3
SQL=$IBX_SOURCE/deploy/sql

psql_db() { # DB SQL
	psql -h 127.0.0.1 -p "$IBX_PG_PORT" -U inbound -d "$1" -v ON_ERROR_STOP=1 -qtAX -c "$2"
}
newdb() {
	psql_db postgres "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null
	psql_db postgres "CREATE DATABASE $1 OWNER ibx_owner" >/dev/null
}
dsn_of() { ibx_pg_dsn "$IBX_PG_DATA" "$IBX_PG_PORT" "$1" ibx_owner; }
dump_schema() { # DB: the schema without the migrations' dates
	pg_dump -h 127.0.0.1 -p "$IBX_PG_PORT" -U inbound -s "$1" |
		grep -v -e '^--' -e '^$' -e '^SELECT pg_catalog.set_config' -e '^\\restrict' -e '^\\unrestrict'
}
EXTRA_DBS=()
drop_extra() {
	local d
	for d in "${EXTRA_DBS[@]}"; do psql_db postgres "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true; done
}
trap 'drop_extra; ibx_cleanup' EXIT

# 1. A fresh database.
newdb "$DB_NAME"
out=$("$HUB_BIN" migrate --db "$DSN" --sql-dir "$SQL" 2>"$WORK/m1.log")
assert_eq "$out" "migrations applied: $(ls "$SQL"/migrations/*.sql | wc -l)" "fresh database: every migration applied"
nfun=$(ls "$SQL"/functions/*.sql | wc -l)
assert_eq "$(sql "SELECT count(*) FROM pg_proc WHERE proname LIKE 'ibx\_%'")" "$nfun" "one function per file in deploy/sql/functions"
for f in "$SQL"/functions/*.sql; do
	n=$(basename "$f" .sql)
	assert_eq "$(grep -c "^CREATE OR REPLACE FUNCTION $n(" "$f")" 1 "$n.sql defines $n once"
	[ "$(grep -l "FUNCTION $n(" "$SQL"/migrations/*.sql | xargs -r grep -l "^CREATE" | xargs -r grep -c "^CREATE.*FUNCTION $n(" | grep -vc '^0$')" = 0 ] ||
		fail "a migration still creates $n"
done
assert_eq "$(sql "SELECT has_function_privilege('inbound_api', 'ibx_completeness(date)', 'EXECUTE')")" t "grants of the function files"

# 2. Again: nothing applied, functions re-applied (a changed body is taken).
out=$("$HUB_BIN" migrate --db "$DSN" --sql-dir "$SQL" 2>/dev/null)
assert_eq "$out" "migrations applied: 0" "second run applies no migration"
cp -r "$SQL" "$WORK/sql"
sed -i 's/(abs(hashtext(p_code)) % 16)/(abs(hashtext(p_code)) % 16 + 0)/' "$WORK/sql/functions/ibx_statistics_shard.sql"
"$HUB_BIN" migrate --db "$DSN" --sql-dir "$WORK/sql" >/dev/null 2>&1 || fail "migrate with a changed function"
assert_contains "$(sql "SELECT prosrc FROM pg_proc WHERE proname = 'ibx_statistics_shard'")" "% 16 + 0" "a changed function file is re-applied"
"$HUB_BIN" migrate --db "$DSN" --sql-dir "$SQL" >/dev/null 2>&1
dump_schema "$DB_NAME" >"$WORK/new.schema"

# 3. A broken function: the run fails naming the file, and nothing changes
# (the migrations of the same run are rolled back too).
cp -r "$SQL" "$WORK/broken"
echo "CREATE OR REPLACE FUNCTION ibx_zz_broken() RETURNS int LANGUAGE sql AS \$\$ SELECT nosuchcolumn FROM nosuchtable \$\$;" \
	>"$WORK/broken/functions/ibx_zz_broken.sql"
B=${DB_NAME}_b
EXTRA_DBS+=("$B")
newdb "$B"
if "$HUB_BIN" migrate --db "$(dsn_of "$B")" --sql-dir "$WORK/broken" >/dev/null 2>"$WORK/broken.log"; then
	fail "migrate succeeded with a broken function file"
fi
assert_contains "$(cat "$WORK/broken.log")" "functions/ibx_zz_broken.sql failed" "the error names the function file"
assert_eq "$(psql_db "$B" "SELECT count(*) FROM schema_migrations")" 0 "no migration recorded after a failed run"
assert_eq "$(psql_db "$B" "SELECT count(*) FROM pg_tables WHERE tablename = 'organisations'")" 0 "no table created after a failed run"
# A missing folder is refused with its name.
mkdir -p "$WORK/nofun/migrations"
if "$HUB_BIN" migrate --db "$(dsn_of "$B")" --sql-dir "$WORK/nofun" >/dev/null 2>"$WORK/nofun.log"; then
	fail "migrate succeeded without a functions folder"
fi
assert_contains "$(cat "$WORK/nofun.log")" "nofun/functions" "a missing functions folder is named"

# 4. Databases migrated by the former layout (from git; skipped without it).
if ! git -C "$IBX_SOURCE" rev-parse --git-dir >/dev/null 2>&1; then
	echo "skip: $IBX_SOURCE is not a git checkout; former-layout checks not run"
	exit 0
fi
git -C "$IBX_SOURCE" cat-file -e "$FLAT:deploy/sql/001_listings.sql" ||
	fail "commit $FLAT (the former layout) not in the history (a shallow clone?)"
flat_migrate() { # DB LAST: apply the former files 001..LAST as the former migrator did
	local db=$1 last=$2 f
	psql -h 127.0.0.1 -p "$IBX_PG_PORT" -U ibx_owner -d "$db" -qX -c \
		"CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
	for f in $(git -C "$IBX_SOURCE" ls-tree --name-only "$FLAT" deploy/sql/ | sort); do
		n=$(basename "$f")
		[[ "$n" > "$last" ]] && break
		git -C "$IBX_SOURCE" show "$FLAT:$f" >"$WORK/$n"
		psql -h 127.0.0.1 -p "$IBX_PG_PORT" -U ibx_owner -d "$db" -v ON_ERROR_STOP=1 -qX -1 \
			-f "$WORK/$n" -c "INSERT INTO schema_migrations (name) VALUES ('$n')" >/dev/null
	done
}
O=${DB_NAME}_o
EXTRA_DBS+=("$O")
newdb "$O"
flat_migrate "$O" 999
out=$("$HUB_BIN" migrate --db "$(dsn_of "$O")" --sql-dir "$SQL" 2>"$WORK/old.log") || {
	cat "$WORK/old.log" >&2
	fail "a database of the former layout does not migrate"
}
# The former layout's migrations are recorded; only those added since run.
added=$(($(ls "$SQL"/migrations/*.sql | wc -l) - $(git -C "$IBX_SOURCE" ls-tree --name-only "$FLAT" deploy/sql/ | grep -c '\.sql$')))
assert_eq "$out" "migrations applied: $added" "former layout: its migrations already recorded, only the later ones applied"
dump_schema "$O" >"$WORK/old.schema"
diff -u "$WORK/old.schema" "$WORK/new.schema" >"$WORK/schema.diff" || {
	cat "$WORK/schema.diff" >&2
	fail "schema of a former-layout database differs from a fresh one"
}
pass "former layout and fresh database have the same schema ($(wc -l <"$WORK/new.schema") lines)"

# A database at 006 with cells: 007 applied now refreshes the roll-ups from
# those cells after the functions (its after-functions part).
S=${DB_NAME}_s
EXTRA_DBS+=("$S")
newdb "$S"
flat_migrate "$S" 006_coordinators.sql
psql_db "$S" "INSERT INTO organisations (code, role) VALUES ('0100000001', 'hospital')" >/dev/null
psql_db "$S" "SELECT ibx_store_statistics('0100000001', '2025-03', false, 'chapter',
	ARRAY['CN','US'], ARRAY['treatment','treatment'], ARRAY['C','I'], ARRAY['40-49','50-59'],
	ARRAY['female','male'], ARRAY['coordinator','direct'], ARRAY['',''], ARRAY['no','no'],
	ARRAY['no','no'], ARRAY[2,9]::smallint[], ARRAY[3,4]::bigint[], ARRAY[3,4]::bigint[],
	ARRAY[1,0]::bigint[], ARRAY[2,4]::bigint[], ARRAY[5,0]::bigint[], ARRAY[1000,2000]::bigint[],
	1, '\\x00'::bytea)" >/dev/null
out=$("$HUB_BIN" migrate --db "$(dsn_of "$S")" --sql-dir "$SQL" 2>"$WORK/s.log") || {
	cat "$WORK/s.log" >&2
	fail "a database at 006 does not migrate"
}
assert_eq "$out" "migrations applied: $((added + 1))" "database at 006: 007 and the later ones applied"
assert_eq "$(psql_db "$S" "SELECT sum(patients) FROM statistics_rollup r JOIN statistics_rollup_sets s ON s.id = r.set_id WHERE s.grain = 'all' AND s.dims = 0")" 7 \
	"007's roll-up refresh ran after the functions over the cells stored before"
