#!/usr/bin/env bash
# The integration tests' throwaway PostgreSQL cluster (a ctest fixture):
#   pg_fixture.sh start   initdb in a new temporary directory, start it on a
#                         free loopback port, record how to reach it in
#                         $IBX_PG_STATE/env
#   pg_fixture.sh stop    stop it and remove the directory
set -euo pipefail
. "$IBX_SOURCE/deploy/pg.sh"
. "$IBX_SOURCE/tests/integration/ports.sh"
state=${IBX_PG_STATE:?}

case "${1:-}" in
start)
	if [ -f "$state/env" ]; then
		# A cluster left by an interrupted run: stop it first.
		. "$state/env"
		ibx_pg_stop "$IBX_PG_DATA" || true
		rm -rf "$IBX_PG_TMP"
	fi
	mkdir -p "$state"
	tmp=$(mktemp -d /tmp/ibx-test-pg.XXXXXX)
	chmod 755 "$tmp"
	ibx_pg_init "$tmp/data"
	# A port found free may be taken before the server binds it: retry.
	for attempt in 1 2 3 4 5; do
		port=$(ibx_free_port)
		ibx_pg_start "$tmp/data" "$port" && break
		[ "$attempt" -lt 5 ] || exit 1
		echo "port $port was taken; trying another" >&2
	done
	# The hub's login roles (none a superuser) and the passfile.
	ibx_pg_roles "$tmp/data" "$port"
	cat >"$state/env" <<ENV
IBX_PG_TMP=$tmp
IBX_PG_DATA=$tmp/data
IBX_PG_PORT=$port
ENV
	echo "PostgreSQL test cluster on 127.0.0.1:$port in $tmp"
	;;
stop)
	[ -f "$state/env" ] || exit 0
	. "$state/env"
	ibx_pg_stop "$IBX_PG_DATA" || true
	rm -rf "$IBX_PG_TMP" "$state/env"
	echo "PostgreSQL test cluster stopped"
	;;
*)
	echo "usage: pg_fixture.sh start|stop" >&2
	exit 2
	;;
esac
