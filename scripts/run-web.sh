#!/usr/bin/env bash
# `make run`: serve the web platform with its demo data on http://127.0.0.1:8000/.
#
#   1. the secret key: $SAYLAU_SECRET_KEY, else the one in $SAYLAU_VAR_DIR/secret-key
#      (generated on the first run, mode 0600; it also keys the IINs on the voter roll, so keep it);
#   2. `migrate` the database (SQLite in $SAYLAU_VAR_DIR/saylau.sqlite3 unless DATABASE_URL is set);
#   3. `saylau_demo`: the demo data (idempotent: a second run adds nothing); the demo accounts'
#      passwords are in $SAYLAU_VAR_DIR/demo-accounts.txt (mode 0600): its path is printed, and
#      its content too when new accounts were made and stderr is a terminal (never into a log);
#   4. `collectstatic` into $SAYLAU_VAR_DIR/static (WhiteNoise serves it);
#   5. exec granian (WSGI), 2 worker processes of 8 threads, on 127.0.0.1:$SAYLAU_PORT (default
#      8000), plain HTTP
#      (SAYLAU_HTTPS=0: no TLS here; put a TLS proxy in front for anything but a local demo).
#      The access log is anonymised: method, path and status only — no client address, no time,
#      no query string, no user agent (nothing that links a voter to a ballot; web.credentials.privacy).
#
# Environment: SAYLAU_VAR_DIR (default: var/ in the checkout), SAYLAU_PORT, SAYLAU_WORKERS, SAYLAU_THREADS,
# SAYLAU_BIN (the venv's bin/, default .venv/bin), and every setting of saylau/web/settings.py.
set -Eeuo pipefail
me=run-web.sh
die() { echo "$me: ERROR: $*" >&2; exit 1; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${SAYLAU_BIN:-$ROOT/.venv/bin}
PORT=${SAYLAU_PORT:-8000}
WORKERS=${SAYLAU_WORKERS:-2}
[ -x "$BIN/python" ] || die "$BIN/python missing: run 'make venv' first"
THREADS=${SAYLAU_THREADS:-8}
[ -x "$BIN/granian" ] || die "$BIN/granian missing: run 'make venv' first"

export DJANGO_SETTINGS_MODULE=saylau.web.settings
export SAYLAU_VAR_DIR=${SAYLAU_VAR_DIR:-$ROOT/var}
export SAYLAU_HTTPS=${SAYLAU_HTTPS:-0}
mkdir -p "$SAYLAU_VAR_DIR"

if [ -z "${SAYLAU_SECRET_KEY:-}" ]; then
  key=$SAYLAU_VAR_DIR/secret-key
  if [ ! -s "$key" ]; then
    (umask 077 && "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$key.tmp" &&
      mv -f "$key.tmp" "$key") || die "cannot write $key"
    echo "$me: generated a secret key in $key (mode 0600)" >&2
  fi
  chmod 600 "$key"
  SAYLAU_SECRET_KEY=$(cat "$key")
  export SAYLAU_SECRET_KEY
fi

manage() { "$BIN/python" -m saylau.web.manage "$@"; }
manage migrate --noinput -v 0
accounts=$SAYLAU_VAR_DIR/demo-accounts.txt
before=$(sha256sum 2>/dev/null <"$accounts" || true)
manage saylau_demo
if [ -s "$accounts" ]; then
  echo "$me: demo accounts (user name, role, password): $accounts" >&2
  if [ "$(sha256sum <"$accounts")" != "$before" ]; then  # new accounts: show them once, on a terminal only
    if [ -t 2 ]; then
      grep -v '^#' "$accounts" >&2
    else
      echo "$me: (passwords not printed: this output is not a terminal; read the file)" >&2
    fi
  fi
fi
manage collectstatic --noinput -v 0

echo "$me: serving http://127.0.0.1:$PORT/ (Ctrl-C stops)" >&2
exec "$BIN/granian" --interface wsgi --host 127.0.0.1 --port "$PORT" --workers "$WORKERS" \
  --blocking-threads "$THREADS" --respawn-failed-workers --workers-kill-timeout 5 \
  --access-log --access-log-fmt '%(method)s %(path)s %(status)d' saylau.web.wsgi:application
