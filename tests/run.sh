#!/usr/bin/env bash
# The test command (README): installs everything the tests need on a fresh machine (Python 3.11,
# root or sudo): the Python packages, Debian's chromium for the browser tests, Debian's
# postgresql for the storage tests and Debian's nginx for the deployment tests (deploy/);
# starts a throwaway PostgreSQL server on 127.0.0.1, runs pytest, and stops the server.
# What is already installed is not installed again.  Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
{ command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null 2>&1 || need+=(nginx)
# WeasyPrint (the Laporan monev PDF) loads Pango; the timeline picture and the PDF use DejaVu fonts
ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || need+=(libpango-1.0-0 libpangoft2-1.0-0)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# pip only when a package is missing or too old: a second run installs nothing
python tests/requirements_met.py requirements-dev.txt 2>/dev/null || python -m pip install -q -r requirements-dev.txt

# style first (pyproject.toml [tool.ruff]): a finding fails the run
python -m ruff check .
python -m ruff format --check .
# then the types (pyproject.toml [tool.mypy]: the whole of zi_dashboard/): an error fails the run
python -m mypy

# a throwaway PostgreSQL cluster, owned by the postgres user, listening on loopback only
PGBIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1)")
PGDIR=$(mktemp -d /tmp/zi-pg.XXXXXX)
PGPORT=${ZI_TEST_PGPORT:-54329}
run_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
run_pg "'$PGBIN/initdb' -D '$PGDIR/data' -U postgres -A trust >/dev/null"
run_pg "'$PGBIN/pg_ctl' -D '$PGDIR/data' -l '$PGDIR/log' -o \"-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDIR\" -w start >/dev/null"
stop_pg() { run_pg "'$PGBIN/pg_ctl' -D '$PGDIR/data' -m fast -w stop >/dev/null" || true; rm -rf "$PGDIR"; }
trap stop_pg EXIT
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres zi_test
export ZI_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/zi_test"

# two workers (pytest-xdist), a test file each at a time: a file's servers and browser are
# started once; each worker has its own PostgreSQL database (tests/conftest.py postgres_url)
python -m pytest -n 2 --dist loadfile "$@"
