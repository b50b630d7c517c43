#!/bin/sh
# pgtmp.sh: a throwaway PostgreSQL 15 + PostGIS 3 cluster for the tests.
#
#   scripts/pgtmp.sh start DIR   initdb in DIR (created), start the server on
#                                a Unix socket in DIR (no TCP, no system
#                                service), create database `sp` with the
#                                postgis extension; prints the GDAL
#                                connection string "PG:host=DIR dbname=sp
#                                user=USER" on stdout
#   scripts/pgtmp.sh stop DIR    stop that server and remove DIR
#   scripts/pgtmp.sh avail       exit 0 when the packages are installed
#
# As root the server runs as the `postgres` user (initdb refuses root);
# otherwise as the calling user. Exit status 77 means "cannot run here"
# (packages missing), so callers can skip with a visible message.
set -eu
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
cmd=${1:-}
dir=${2:-}

avail() {
	[ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pg_ctl" ] &&
		ls /usr/share/postgresql/15/extension/postgis.control >/dev/null 2>&1
}

as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case "$cmd" in
avail)
	avail || exit 77
	;;
start)
	[ -n "$dir" ] || { echo "usage: $0 start DIR" >&2; exit 1; }
	avail || { echo "pgtmp: PostgreSQL 15 / PostGIS 3 not installed" >&2; exit 77; }
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$dir"
		# the server's user must reach DIR: open the folders above it for traversal
		d=$(dirname "$dir")
		while [ "$d" != / ]; do
			runuser -u postgres -- test -x "$d" || chmod o+x "$d"
			d=$(dirname "$d")
		done
		user=postgres
	else
		user=$(id -un)
	fi
	as_owner "$PGBIN/initdb" -D "$dir/data" -A trust -U "$user" -E UTF8 --locale=C.UTF-8 \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
	as_owner "$PGBIN/psql" -h "$dir" -U "$user" -d postgres -q -v ON_ERROR_STOP=1 \
		-c "CREATE DATABASE sp" >/dev/null
	as_owner "$PGBIN/psql" -h "$dir" -U "$user" -d sp -q -v ON_ERROR_STOP=1 \
		-c "CREATE EXTENSION postgis" >/dev/null
	echo "PG:host=$dir dbname=sp user=$user"
	;;
stop)
	[ -n "$dir" ] || { echo "usage: $0 stop DIR" >&2; exit 1; }
	if [ -d "$dir/data" ]; then
		as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: $0 start DIR | stop DIR | avail" >&2
	exit 1
	;;
esac
