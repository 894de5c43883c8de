#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server:  bash scripts/with-postgres.sh CMD [ARG...]
#
# Installs Debian's `postgresql` if it is missing (apt-get update only then; run as root),
# creates a cluster in a temporary directory (initdb as the `postgres` user: initdb refuses
# root), starts it on 127.0.0.1 at a free port with its socket in that directory, trust
# authentication and no fsync (test data only), creates the database `saylau`, exports
#     DATABASE_URL=postgres://postgres@127.0.0.1:PORT/saylau
# runs CMD, then stops the server and deletes the directory — also when CMD fails or the
# script is interrupted — and exits with CMD's status. Anything missing is an error.
set -Eeuo pipefail
me=with-postgres.sh
die() { echo "$me: ERROR: $*" >&2; exit 1; }
trap 'die "command failed (line $LINENO): $BASH_COMMAND"' ERR

[ $# -gt 0 ] || die "usage: $me CMD [ARG...]"
[ "$(id -u)" = 0 ] || die "must run as root (installs postgresql, runs initdb as the postgres user)"

if [[ $(dpkg-query -W -f='${Status}' postgresql 2>/dev/null) != *" ok installed" ]]; then
  echo "$me: installing postgresql ..." >&2
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql >&2
fi
id postgres >/dev/null 2>&1 || die "no 'postgres' user after installing postgresql"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pg_ctl" ] ||
  die "no initdb/pg_ctl in /usr/lib/postgresql/*/bin"
command -v python3 >/dev/null || die "python3 missing (used to find a free port)"

DIR=$(mktemp -d /tmp/saylau-pg.XXXXXX)
chmod 755 "$DIR"   # the socket directory: readable by the tests' user (root) and postgres
chown postgres: "$DIR"
as_postgres() { su postgres -s /bin/sh -c "$1"; }
started=0
cleanup() {
  if [ -f "$DIR/data/postmaster.pid" ]; then   # a server runs (or a start half-succeeded)
    as_postgres "'$PGBIN/pg_ctl' -D '$DIR/data' -m fast -w stop >/dev/null" || {
      echo "$me: WARNING: pg_ctl stop failed; the server's log:" >&2
      tail -n 20 "$DIR/pg.log" >&2 || true
    }
  fi
  rm -rf -- "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

t0=${EPOCHREALTIME/./}
as_postgres "'$PGBIN/initdb' -D '$DIR/data' -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >'$DIR/initdb.log' 2>&1" ||
  { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
# A free port: ask the kernel for one; if another process takes it first, try again.
for attempt in 1 2 3 4 5; do
  PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if as_postgres "'$PGBIN/pg_ctl' -D '$DIR/data' -l '$DIR/pg.log' -w -t 60 -o \"-c listen_addresses=127.0.0.1 -p $PORT -k '$DIR' -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start >/dev/null"; then
    started=1
    break
  fi
  echo "$me: start on port $PORT failed (attempt $attempt)" >&2
done
[ "$started" = 1 ] || { cat "$DIR/pg.log" >&2 || true; die "PostgreSQL did not start"; }
as_postgres "'$PGBIN/createdb' -h 127.0.0.1 -p $PORT -U postgres saylau" || die "createdb saylau failed"
version=$(as_postgres "'$PGBIN/psql' -h 127.0.0.1 -p $PORT -U postgres -d saylau -Atc 'show server_version'") ||
  die "psql cannot connect"
ms=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
echo "$me: PostgreSQL $version on 127.0.0.1:$PORT, ready in $ms ms" >&2

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/saylau"
status=0
"$@" || status=$?
exit "$status"
