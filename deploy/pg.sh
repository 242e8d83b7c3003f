# Throwaway and embedded PostgreSQL clusters, for the demo (./var/pg) and the
# tests (a temporary directory).  Source this file; it defines functions.
#
# initdb and postgres refuse to run as root, so as root they run as the
# 'postgres' system user that the postgresql-15 package creates.  A cluster
# listens on 127.0.0.1 only (no Unix socket), on its own port, with
# scram-sha-256 password authentication for the superuser 'inbound' whose
# random password is kept in DATADIR/../superuser.pass (mode 600).

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

# ibx_pg_dsn DATADIR PORT [DBNAME]: the libpq connection string.
ibx_pg_dsn() {
	local base
	base=$(dirname "$1")
	printf 'host=127.0.0.1 port=%s dbname=%s user=inbound password=%s' \
		"$2" "${3:-postgres}" "$(cat "$base/superuser.pass")"
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
