#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh: the database, then DATA_DIR/sessions.
#
#   scripts/restore.sh BACKUP_DIR [--docker] [--yes] [--project-dir DIR]
#
#   BACKUP_DIR     a backups/<timestamp> folder (db.dump or db.sqlite3, sessions.tar.gz, MANIFEST)
#   --docker       restore into the docker compose stack (a backup made with --docker)
#   --yes          do not ask for confirmation (for scripts; the current data is replaced)
#   --project-dir  the folder the app runs in, with its .env and data/ (default: the repository)
#
# It REPLACES the current database and session files. Stop the app first (Docker: the app is
# restarted for you). SQLite is written through the backup API, PostgreSQL with
# pg_restore --clean --single-transaction, so a failure leaves the database as it was.
# Environment: PYTHON, the interpreter with interview_platform installed (default .venv/bin/python).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
REPO_DIR="$(dirname "$SCRIPT_DIR")"
# shellcheck source=lib.sh
. "$SCRIPT_DIR/lib.sh"
PROJECT_DIR="$REPO_DIR"
BACKUP=""
DOCKER=0
YES=0

usage() {
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case "$1" in
    --docker) DOCKER=1 ;;
    --yes | -y) YES=1 ;;
    --project-dir)
        [ $# -ge 2 ] || die "--project-dir needs a folder"
        PROJECT_DIR="$2"
        shift
        ;;
    -h | --help)
        usage
        exit 0
        ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *)
        [ -z "$BACKUP" ] || die "one backup folder only (got '$BACKUP' and '$1')"
        BACKUP="$1"
        ;;
    esac
    shift
done

[ -n "$BACKUP" ] || die "name the backup folder, e.g. scripts/restore.sh backups/20250101T020000Z"
[ -d "$BACKUP" ] || die "$BACKUP is not a folder"
BACKUP="$(cd "$BACKUP" && pwd)"
[ -f "$BACKUP/MANIFEST" ] || die "$BACKUP has no MANIFEST: it is not a folder written by scripts/backup.sh"
[ -f "$BACKUP/sessions.tar.gz" ] || die "$BACKUP/sessions.tar.gz is missing"
kind="$(sed -n 's/^kind=//p' "$BACKUP/MANIFEST")"
created="$(sed -n 's/^created=//p' "$BACKUP/MANIFEST")"
source_name="$(sed -n 's/^source=//p' "$BACKUP/MANIFEST")"

cd "$PROJECT_DIR" || die "cannot enter $PROJECT_DIR"
choose_python

confirm() { # $1: what will be replaced
    [ "$YES" -eq 1 ] && return 0
    echo "This REPLACES $1"
    echo "with the backup of $created ($source_name)."
    local answer=""
    read -r -p "Type 'yes' to continue: " answer || true
    [ "$answer" = "yes" ] || die "not confirmed; nothing was changed."
}

if [ "$DOCKER" -eq 1 ]; then
    [ -f "$BACKUP/db.dump" ] || die "$BACKUP/db.dump is missing (a --docker restore needs a PostgreSQL backup)"
    command -v docker >/dev/null 2>&1 || die "Docker is not installed."
    confirm "the database of the docker compose stack and its /app/data/sessions"
    echo "Restoring PostgreSQL in the postgres container..."
    # shellcheck disable=SC2016  # expanded by the container's shell, where they are set
    docker compose exec -T postgres sh -c 'pg_restore -U "$POSTGRES_USER" -d "$POSTGRES_DB" --clean --if-exists --no-owner --single-transaction' <"$BACKUP/db.dump"
    echo "Restoring the session files in the app container..."
    docker compose exec -T app sh -c 'set -e; cd /app/data; rm -rf .sessions-restore; mkdir .sessions-restore; tar -xzf - -C .sessions-restore; rm -rf sessions; if [ -d .sessions-restore/sessions ]; then mv .sessions-restore/sessions sessions; fi; rm -rf .sessions-restore' <"$BACKUP/sessions.tar.gz"
    docker compose restart app
    echo "Restored $BACKUP into the docker compose stack; the app was restarted."
    exit 0
fi

read_app_settings

if [ "$KIND" = "sqlite" ]; then
    [ -f "$BACKUP/db.sqlite3" ] ||
        die "$BACKUP holds no SQLite copy (db.sqlite3); it is a $kind backup: configure DATABASE_URL for it"
    confirm "the SQLite database $SQLITE_PATH and $DATA_DIR/sessions"
    echo "Restoring SQLite $SQLITE_PATH..."
    mkdir -p "$(dirname "$SQLITE_PATH")"
    "$PYTHON" - "$BACKUP/db.sqlite3" "$SQLITE_PATH" <<'PY'
import sqlite3
import sys

source = sqlite3.connect(sys.argv[1])
check = source.execute("PRAGMA integrity_check").fetchone()[0]
if check != "ok":
    sys.exit(f"the backup copy is damaged ({check}); nothing was changed")
target = sqlite3.connect(sys.argv[2], timeout=30)
with target:
    source.backup(target)
target.close()
source.close()
PY
else
    [ -f "$BACKUP/db.dump" ] ||
        die "$BACKUP holds no PostgreSQL dump (db.dump); it is a $kind backup: unset DATABASE_URL to restore it into SQLite"
    command -v pg_restore >/dev/null 2>&1 ||
        die "pg_restore is not installed (Debian: apt-get install postgresql-client)."
    confirm "the PostgreSQL database $SOURCE and $DATA_DIR/sessions"
    echo "Restoring PostgreSQL $SOURCE..."
    export PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE
    [ -z "${PGSSLMODE:-}" ] || export PGSSLMODE
    pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$PGDATABASE" "$BACKUP/db.dump"
fi

echo "Restoring $DATA_DIR/sessions..."
mkdir -p "$DATA_DIR"
staging="$(mktemp -d "$DATA_DIR/.sessions-restore.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
tar -xzf "$BACKUP/sessions.tar.gz" -C "$staging"
rm -rf "$DATA_DIR/sessions"
if [ -d "$staging/sessions" ]; then
    mv "$staging/sessions" "$DATA_DIR/sessions"
fi
echo "Restored $BACKUP. Start the app again; 'interview-platform doctor' checks the setup."
