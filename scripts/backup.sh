#!/usr/bin/env bash
# Back up the database and the session files into backups/<timestamp>/.
#
#   scripts/backup.sh [--docker] [--output DIR] [--project-dir DIR]
#
#   (default)  the database the app is configured with (DATABASE_URL, .env, config.yaml), read
#              through the app's own settings:
#                PostgreSQL: pg_dump --format=custom  -> db.dump
#                SQLite:     a consistent copy through SQLite's backup API -> db.sqlite3
#              plus DATA_DIR/sessions -> sessions.tar.gz
#   --docker   the docker compose stack: pg_dump in the postgres container, and the sessions
#              from the app container's /app/data volume.
#   --output   where the <timestamp> folders go (default: PROJECT/backups).
#   --project-dir  the folder the app runs in, with its .env and data/ (default: the repository).
#
# Restore with scripts/restore.sh BACKUP_DIR (docs/operations.md). The password never appears on
# a command line: pg_dump gets it through PGPASSWORD.
# Environment: PYTHON, the interpreter with interview_platform installed (default .venv/bin/python).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
REPO_DIR="$(dirname "$SCRIPT_DIR")"
# shellcheck source=lib.sh
. "$SCRIPT_DIR/lib.sh"
PROJECT_DIR="$REPO_DIR"
OUTPUT=""
DOCKER=0

usage() {
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case "$1" in
    --docker) DOCKER=1 ;;
    --output)
        [ $# -ge 2 ] || die "--output needs a folder"
        OUTPUT="$2"
        shift
        ;;
    --project-dir)
        [ $# -ge 2 ] || die "--project-dir needs a folder"
        PROJECT_DIR="$2"
        shift
        ;;
    -h | --help)
        usage
        exit 0
        ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
done

cd "$PROJECT_DIR" || die "cannot enter $PROJECT_DIR"
OUTPUT="${OUTPUT:-backups}"
choose_python

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUTPUT"
# Backups hold the whole database: keep them out of git whatever .gitignore says.
[ -e "$OUTPUT/.gitignore" ] || printf '*\n' >"$OUTPUT/.gitignore"
target="$(cd "$OUTPUT" && pwd)/$stamp"
mkdir "$target" 2>/dev/null || die "$target already exists; wait a second and try again."
chmod 700 "$target"
on_exit() {
    local status=$?
    if [ "$status" -ne 0 ]; then
        rm -rf "$target"
        echo "Backup failed; nothing was kept." >&2
    fi
}
trap on_exit EXIT

if [ "$DOCKER" -eq 1 ]; then
    command -v docker >/dev/null 2>&1 || die "Docker is not installed; without --docker the configured database is backed up."
    echo "Dumping PostgreSQL from the postgres container..."
    # shellcheck disable=SC2016  # expanded by the container's shell, where they are set
    docker compose exec -T postgres sh -c 'pg_dump -U "$POSTGRES_USER" -d "$POSTGRES_DB" --format=custom' >"$target/db.dump"
    echo "Archiving the session files from the app container..."
    docker compose exec -T app sh -c 'cd /app/data && if [ -d sessions ]; then tar -czf - sessions; else tar -czf - -T /dev/null; fi' >"$target/sessions.tar.gz"
    kind="docker"
    source_name="docker compose stack (postgres service, appdata volume)"
else
    read_app_settings
    if [ "$KIND" = "sqlite" ]; then
        [ -f "$SQLITE_PATH" ] || die "there is no database at $SQLITE_PATH yet: nothing to back up."
        echo "Copying SQLite $SQLITE_PATH (backup API, consistent while the app runs)..."
        "$PYTHON" - "$SQLITE_PATH" "$target/db.sqlite3" <<'PY'
import sqlite3
import sys

source = sqlite3.connect(sys.argv[1])
copy = sqlite3.connect(sys.argv[2])
with copy:
    source.backup(copy)
check = copy.execute("PRAGMA integrity_check").fetchone()[0]
copy.close()
source.close()
if check != "ok":
    sys.exit(f"the copy failed its integrity check: {check}")
PY
        source_name="SQLite $SQLITE_PATH"
    else
        command -v pg_dump >/dev/null 2>&1 ||
            die "pg_dump is not installed (Debian: apt-get install postgresql-client); or use --docker."
        echo "Dumping PostgreSQL $SOURCE..."
        export PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE
        [ -z "${PGSSLMODE:-}" ] || export PGSSLMODE
        pg_dump --format=custom --file="$target/db.dump"
        source_name="PostgreSQL $SOURCE"
    fi
    echo "Archiving $DATA_DIR/sessions..."
    if [ -d "$DATA_DIR/sessions" ]; then
        tar -czf "$target/sessions.tar.gz" -C "$DATA_DIR" sessions
    else
        tar -czf "$target/sessions.tar.gz" -T /dev/null
    fi
    kind="$KIND"
fi

cat >"$target/MANIFEST" <<EOF
kind=$kind
created=$stamp
source=$source_name
EOF

size="$(du -sh "$target" | cut -f1)"
restore="scripts/restore.sh $target"
[ "$kind" = "docker" ] && restore="scripts/restore.sh --docker $target"
[ "$PROJECT_DIR" = "$REPO_DIR" ] || restore="$restore --project-dir $PROJECT_DIR"
cat <<EOF
Backup written to $target ($size): $(cd "$target" && echo db.* sessions.tar.gz MANIFEST)
Restore it (stop the app first; asks for confirmation):
  $restore
EOF
