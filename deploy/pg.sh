# Throwaway and embedded PostgreSQL clusters, for the demo (./var/pg) and the
# tests (a temporary directory).  Source this file; it defines functions.
#
# initdb and postgres refuse to run as root, so as root they run as the
# 'postgres' system user that the postgresql-15 package creates.  A cluster
# listens on 127.0.0.1 only (no Unix socket), on its own port, with
# scram-sha-256 password authentication for the superuser 'inbound' whose
# random password is kept in DATADIR/../superuser.pass (mode 600) and the
# passfile DATADIR/../pgpass (ibx_pg_passfile), through which every
# connection string passes it (never a command line).  The hub's own roles,
# none a superuser, come from ibx_pg_roles.

IBX_PG_BIN=$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)
[ -x "$IBX_PG_BIN/initdb" ] || IBX_PG_BIN=/usr/lib/postgresql/15/bin

# Run a command as the cluster's owner.
ibx_pg_as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# ibx_pg_init DATADIR: create the cluster unless it exists.
ibx_pg_init() {
	local data=$1 base pass
	base=$(dirname "$data")
	[ -f "$data/PG_VERSION" ] && return 0
	mkdir -p "$base"
	pass=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
	umask 077
	printf '%s\n' "$pass" >"$base/superuser.pass"
	mkdir -p "$data"
	chmod 700 "$data"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres: "$data"
		cp "$base/superuser.pass" "$data.pw"
		chown postgres: "$data.pw"
	else
		cp "$base/superuser.pass" "$data.pw"
	fi
	ibx_pg_as_owner "$IBX_PG_BIN/initdb" -D "$data" -U inbound \
		--pwfile="$data.pw" --auth=scram-sha-256 -E UTF8 \
		--locale=C.UTF-8 >"$base/initdb.log" 2>&1 || {
		rm -f "$data.pw"
		cat "$base/initdb.log" >&2
		return 1
	}
	rm -f "$data.pw"
	cat >>"$data/postgresql.conf" <<CONF
# Inbound Exchange: loopback only, no Unix socket.
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
shared_buffers = 256MB
logging_collector = off
CONF
	if [ "$(id -u)" -eq 0 ]; then chown postgres: "$data/postgresql.conf"; fi
}

# ibx_pg_start DATADIR PORT: start the cluster and wait until it answers.
ibx_pg_start() {
	local data=$1 port=$2 base
	base=$(dirname "$data")
	if ibx_pg_as_owner "$IBX_PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
		return 0
	fi
	touch "$base/postgres.log"
	if [ "$(id -u)" -eq 0 ]; then chown postgres: "$base/postgres.log"; fi
	ibx_pg_as_owner "$IBX_PG_BIN/pg_ctl" -D "$data" -l "$base/postgres.log" \
		-o "-p $port" -w -t 60 start >/dev/null || {
		tail -20 "$base/postgres.log" >&2
		return 1
	}
}

# ibx_pg_stop DATADIR: stop the cluster (fast shutdown) if it runs.
ibx_pg_stop() {
	local data=$1
	if ibx_pg_as_owner "$IBX_PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
		ibx_pg_as_owner "$IBX_PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null
	fi
}

# ibx_pg_passfile DATADIR: the cluster's password file (libpq's pgpass
# format, mode 600: DATADIR/../pgpass), made from superuser.pass and the
# roles' passwords (roles.pass) when missing or older; prints its path.
# Passwords reach libpq through it (passfile=, PGPASSFILE), never through
# a command line, where every local user could read them in
# /proc/PID/cmdline (issue 14, finding 4).
ibx_pg_passfile() {
	local base f
	base=$(dirname "$1")
	f=$base/pgpass
	if [ ! -s "$f" ] || [ "$base/superuser.pass" -nt "$f" ] ||
		{ [ -f "$base/roles.pass" ] && [ "$base/roles.pass" -nt "$f" ]; }; then
		(
			umask 077
			# A file of its own, renamed into place: callers may race.
			printf '*:*:*:inbound:%s\n' "$(cat "$base/superuser.pass")" >"$f.$$"
			[ ! -f "$base/roles.pass" ] ||
				sed 's/^\([a-z_]*\) \(.*\)$/*:*:*:\1:\2/' "$base/roles.pass" >>"$f.$$"
			mv "$f.$$" "$f"
		)
	fi
	printf '%s' "$f"
}

# ibx_pg_dsn DATADIR PORT [DBNAME] [ROLE]: the libpq connection string, as
# the superuser 'inbound' or as ROLE (ibx_owner, ibx_intake, ibx_api,
# ibx_audit: ibx_pg_roles), with the password in the cluster's passfile.
ibx_pg_dsn() {
	printf 'host=127.0.0.1 port=%s dbname=%s user=%s passfile=%s' \
		"$2" "${3:-postgres}" "${4:-inbound}" "$(ibx_pg_passfile "$1")"
}

# ibx_pg_roles DATADIR PORT: on a running cluster, create (or update) the
# hub's login roles, none a superuser (issue 14, finding 4):
#   ibx_owner   runs the migrations and owns the databases and everything
#               in them (CREATEROLE: migrations create the group roles)
#   ibx_intake  member of inbound_intake: EXECUTE on the intake's functions
#   ibx_api     member of inbound_api: SELECT on what the API serves
#   ibx_audit   member of inbound_audit: appends to the audit chain only
# Each has a random password, kept in DATADIR/../roles.pass (mode 600)
# and the cluster's passfile (ibx_pg_passfile).  The grants themselves are
# in the migrations (deploy/sql/migrations/027_roles.sql).  Idempotent.
ibx_pg_roles() {
	local data=$1 port=$2 base role group pass
	base=$(dirname "$data")
	if [ ! -s "$base/roles.pass" ]; then
		(
			umask 077
			for role in ibx_owner ibx_intake ibx_api ibx_audit; do
				printf '%s %s\n' "$role" "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
			done >"$base/roles.pass"
		)
	fi
	for group in inbound_api inbound_intake inbound_audit; do
		ibx_pg_psql "$data" "$port" postgres "DO \$\$ BEGIN
			CREATE ROLE $group NOLOGIN;
		EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END \$\$" >/dev/null
	done
	while read -r role pass; do
		case $role in
		ibx_owner) group= ;;
		ibx_intake) group=inbound_intake ;;
		ibx_api) group=inbound_api ;;
		ibx_audit) group=inbound_audit ;;
		*) continue ;;
		esac
		# The password goes to the server in the SQL text on stdin, not
		# on psql's command line.
		ibx_pg_psql_stdin "$data" "$port" postgres <<SQL >/dev/null
SET client_min_messages = warning;
DO \$\$ BEGIN
	CREATE ROLE $role LOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END \$\$;
ALTER ROLE $role LOGIN NOSUPERUSER NOCREATEDB NOREPLICATION NOBYPASSRLS
	$([ "$role" = ibx_owner ] && echo CREATEROLE || echo NOCREATEROLE)
	PASSWORD '$pass';
$([ -z "$group" ] || echo "GRANT $group TO $role;")
SQL
	done <"$base/roles.pass"
	ibx_pg_passfile "$data" >/dev/null
}

# ibx_pg_psql_stdin DATADIR PORT DBNAME: as ibx_pg_psql, the SQL on stdin.
ibx_pg_psql_stdin() {
	PGPASSFILE=$(ibx_pg_passfile "$1") psql -h 127.0.0.1 -p "$2" \
		-U inbound -d "$3" -tAXq -v ON_ERROR_STOP=1
}

# ibx_pg_create_db DATADIR PORT DBNAME: create the database, owned by
# ibx_owner (ibx_pg_roles first), unless it exists.  One left by an older
# demo and owned by the superuser is made anew: its objects would belong to
# the superuser, and the intake's SECURITY DEFINER functions run as their
# owner.
ibx_pg_create_db() {
	local owner
	owner=$(ibx_pg_psql "$1" "$2" postgres "SELECT pg_get_userbyid(datdba)
		FROM pg_database WHERE datname = '$3'")
	[ "$owner" != ibx_owner ] || return 0
	if [ -n "$owner" ]; then
		echo "pg.sh: database $3 belongs to $owner, not ibx_owner: making it anew" >&2
		ibx_pg_psql "$1" "$2" postgres "DROP DATABASE $3 WITH (FORCE)" >/dev/null
	fi
	ibx_pg_psql "$1" "$2" postgres "CREATE DATABASE $3 OWNER ibx_owner" >/dev/null
}

# ibx_pg_dir_usable DIR: true when the cluster owner can reach DIR (as root,
# the 'postgres' user must be able to traverse every parent directory).
ibx_pg_dir_usable() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- test -x "$1" 2>/dev/null
	else
		test -x "$1"
	fi
}

# --- Streaming replication: a hot standby for the read-only API ----------
# (docs/replication.md).  The primary is a cluster made by ibx_pg_init; the
# standby is a copy taken with pg_basebackup over loopback that replays the
# primary's WAL as it streams in and answers read-only queries.  Both are
# started and stopped with ibx_pg_start / ibx_pg_stop, each on its own port.

# ibx_pg_psql DATADIR PORT DBNAME SQL: run SQL as the superuser on the
# cluster of DATADIR; prints the rows unaligned (| separated), no header.
ibx_pg_psql() {
	PGPASSFILE=$(ibx_pg_passfile "$1") psql -h 127.0.0.1 -p "$2" \
		-U inbound -d "$3" -tAXqc "$4"
}

# ibx_pg_allow_replication DATADIR PORT: on a running primary, create the
# login role 'ibx_replication' (REPLICATION, nothing else) with a random
# password kept in DATADIR/../replication.pass (mode 600), let it connect
# for replication from 127.0.0.1 only, and cap the WAL a replication slot
# may hold (max_slot_wal_keep_size = 1GB).  Idempotent.
ibx_pg_allow_replication() {
	local data=$1 port=$2 base pass wal
	base=$(dirname "$data")
	wal=$(ibx_pg_psql "$data" "$port" postgres "SHOW wal_level")
	if [ "$wal" = minimal ]; then
		echo "pg.sh: $data: wal_level is minimal; a standby needs replica" >&2
		return 1
	fi
	if [ ! -s "$base/replication.pass" ]; then
		(umask 077 && head -c 24 /dev/urandom | od -An -tx1 |
			tr -d ' \n' >"$base/replication.pass")
	fi
	pass=$(cat "$base/replication.pass")
	# The password on stdin, not on psql's command line.
	ibx_pg_psql_stdin "$data" "$port" postgres >/dev/null <<SQL
DO \$\$ BEGIN
	CREATE ROLE ibx_replication LOGIN REPLICATION;
EXCEPTION WHEN duplicate_object THEN NULL; END \$\$;
ALTER ROLE ibx_replication LOGIN REPLICATION PASSWORD '$pass';
SQL
	# A standby left stopped must not fill the disk through its slot: past
	# 1 GB of held WAL the slot is given up (the standby is then made anew).
	ibx_pg_psql "$data" "$port" postgres \
		"ALTER SYSTEM SET max_slot_wal_keep_size = '1GB'" >/dev/null
	if ! ibx_pg_as_owner grep -q '^host replication ibx_replication ' \
		"$data/pg_hba.conf"; then
		# shellcheck disable=SC2016
		ibx_pg_as_owner sh -c 'printf "%s\n" "$1" >>"$2"' sh \
			"host replication ibx_replication 127.0.0.1/32 scram-sha-256" \
			"$data/pg_hba.conf"
	fi
	ibx_pg_as_owner "$IBX_PG_BIN/pg_ctl" -D "$data" reload >/dev/null
}

# ibx_pg_standby_init PRIMARY_DATA PRIMARY_PORT STANDBY_DATA [SLOT]: unless
# STANDBY_DATA holds a standby of this primary (same system identifier,
# and its slot still holds the WAL it needs), make it a hot standby of the
# running primary (any other cluster there is stopped and replaced):
# pg_basebackup -R over 127.0.0.1 as 'ibx_replication', with a
# physical replication slot (default ibx_standby; an old slot of that name
# is dropped first) so the primary keeps the WAL the standby has not yet
# received.  The standby keeps the primary's superuser and its password
# (copied to STANDBY_DATA/../superuser.pass); start it with ibx_pg_start on
# a port of its own.
ibx_pg_standby_init() {
	local pdata=$1 pport=$2 data=$3 slot=${4:-ibx_standby} base pass
	base=$(dirname "$data")
	if [ -f "$data/PG_VERSION" ]; then
		if [ "$(ibx_pg_system_id "$data")" = "$(ibx_pg_psql "$pdata" "$pport" \
			postgres "SELECT system_identifier FROM pg_control_system()")" ] &&
			[ "$(ibx_pg_psql "$pdata" "$pport" postgres "SELECT wal_status
				FROM pg_replication_slots WHERE slot_name = '$slot'")" != lost ] &&
			[ -n "$(ibx_pg_psql "$pdata" "$pport" postgres "SELECT 1
				FROM pg_replication_slots WHERE slot_name = '$slot'")" ]; then
			return 0
		fi
		echo "pg.sh: $data is not a standby $pdata can feed (another" \
			"primary, or its slot $slot is gone); making a new one" >&2
		ibx_pg_stop "$data" || return 1
	fi
	ibx_pg_allow_replication "$pdata" "$pport" || return 1
	pass=$(cat "$(dirname "$pdata")/replication.pass")
	mkdir -p "$base"
	(umask 077 && cp "$(dirname "$pdata")/superuser.pass" "$base/superuser.pass" &&
		if [ -f "$(dirname "$pdata")/roles.pass" ]; then
			cp "$(dirname "$pdata")/roles.pass" "$base/roles.pass"
		fi)
	ibx_pg_psql "$pdata" "$pport" postgres "SELECT pg_drop_replication_slot(slot_name)
		FROM pg_replication_slots WHERE slot_name = '$slot' AND NOT active" >/dev/null
	rm -rf "$data"
	mkdir -p "$data"
	chmod 700 "$data"
	if [ "$(id -u)" -eq 0 ]; then chown postgres: "$data"; fi
	ibx_pg_as_owner env PGPASSWORD="$pass" "$IBX_PG_BIN/pg_basebackup" \
		-h 127.0.0.1 -p "$pport" -U ibx_replication -D "$data" \
		-R -X stream -C -S "$slot" -c fast >"$base/basebackup.log" 2>&1 || {
		cat "$base/basebackup.log" >&2
		rm -rf "$data"
		return 1
	}
	# -R wrote standby.signal and primary_conninfo to postgresql.auto.conf;
	# the lines below come after (the last wins) and name the standby so
	# the primary's pg_stat_replication says which one it is.
	# shellcheck disable=SC2016
	ibx_pg_as_owner sh -c 'cat >>"$1"' sh "$data/postgresql.auto.conf" <<CONF
# Inbound Exchange: a hot standby of 127.0.0.1:$pport (slot $slot).
hot_standby = on
hot_standby_feedback = on
primary_conninfo = 'host=127.0.0.1 port=$pport user=ibx_replication password=$pass application_name=$slot'
primary_slot_name = '$slot'
CONF
}

# ibx_pg_system_id DATADIR: the cluster's database system identifier
# (pg_controldata); a standby has its primary's.
ibx_pg_system_id() {
	ibx_pg_as_owner "$IBX_PG_BIN/pg_controldata" -D "$1" 2>/dev/null |
		sed -n 's/^Database system identifier: *//p'
}

# ibx_pg_wal_lsn DATADIR PORT: the primary's current WAL write position
# (a pg_lsn such as 0/3000148); every transaction committed before the
# call lies at or before it.
ibx_pg_wal_lsn() {
	ibx_pg_psql "$1" "$2" postgres "SELECT pg_current_wal_lsn()"
}

# ibx_pg_replay_lsn DATADIR PORT: how far the standby has replayed
# (pg_last_wal_replay_lsn()), empty before it has replayed anything.
ibx_pg_replay_lsn() {
	ibx_pg_psql "$1" "$2" postgres "SELECT pg_last_wal_replay_lsn()"
}

# ibx_pg_wait_replay DATADIR PORT LSN [SECONDS]: wait until the standby of
# DATADIR has replayed up to LSN (so a read there sees every transaction
# committed on the primary before LSN was taken): at most SECONDS x 10
# polls 0.1 s apart (SECONDS defaults to 30).  Returns 1 with a message
# when it has not got there.
ibx_pg_wait_replay() {
	local data=$1 port=$2 lsn=$3 limit=${4:-30} i
	for ((i = 0; i < limit * 10; i++)); do
		[ "$(ibx_pg_psql "$data" "$port" postgres \
			"SELECT coalesce(pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn, false)" \
			2>/dev/null)" = t ] && return 0
		sleep 0.1
	done
	echo "pg.sh: standby $data has not replayed up to $lsn in ${limit} s" \
		"(replayed: $(ibx_pg_replay_lsn "$data" "$port" 2>/dev/null || echo unknown))" >&2
	return 1
}
