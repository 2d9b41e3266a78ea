#!/usr/bin/env bash
# Start the Docker stack of docker-compose.yml: PostgreSQL and the app.
#
#   scripts/startup.sh
#
# Checks Docker and .env (created from .env.template, with a generated POSTGRES_PASSWORD, when
# missing), builds and starts the stack, waits for PostgreSQL (pg_isready) and for the app's
# health endpoint, and prints where the app is. The app applies the database migrations itself
# when it starts. Without Docker, use `make run` instead (SQLite, no services).
set -euo pipefail

cd "$(dirname "$0")/.."

APP_URL="http://localhost:8501"
PG_WAIT_SECONDS=60
APP_WAIT_SECONDS=180
HEALTH_PROBE="import urllib.request as u; u.build_opener(u.ProxyHandler({})).open('http://127.0.0.1:8501/_stcore/health', timeout=5)"

die() {
    echo "Error: $*" >&2
    exit 1
}

env_value() { # the last value of $1 in .env, without surrounding quotes
    sed -n "s/^[[:space:]]*$1=//p" .env | tail -n 1 | sed -e 's/^["'\'']//' -e 's/["'\'']$//'
}

set_env_value() { # replace (or add) the line $1=$2 in .env, keeping every other line
    local tmp
    tmp="$(mktemp .env.XXXXXX)"
    awk -v key="$1" -v value="$2" '
        $0 ~ "^[[:space:]]*" key "=" { if (!done) print key "=" value; done = 1; next }
        { print }
        END { if (!done) print key "=" value }
    ' .env >"$tmp"
    chmod 600 "$tmp"
    mv "$tmp" .env
}

# --- Docker -----------------------------------------------------------------------------------
command -v docker >/dev/null 2>&1 ||
    die "Docker is not installed. Install Docker Engine 20.10+ with the Compose plugin, or run the app without Docker: make run"
docker compose version >/dev/null 2>&1 ||
    die "'docker compose' (Compose v2) is missing. Install the docker-compose-plugin package."
docker info >/dev/null 2>&1 ||
    die "The Docker daemon is not reachable. Start it (e.g. 'sudo systemctl start docker') and check that your user may use it."

# --- .env -------------------------------------------------------------------------------------
if [ ! -f .env ]; then
    [ -f .env.template ] || die ".env.template is missing; restore it from the repository."
    cp .env.template .env
    chmod 600 .env
    echo "Created .env from .env.template: it works as it is (built-in interviewer);"
    echo "add an API key there later if you want one."
fi

password="$(env_value POSTGRES_PASSWORD)"
if [ -z "$password" ]; then
    if command -v openssl >/dev/null 2>&1; then
        password="$(openssl rand -hex 20)"
    else
        password="$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')"
    fi
    set_env_value POSTGRES_PASSWORD "$password"
    echo "Generated a random POSTGRES_PASSWORD in .env."
fi
[[ "$password" =~ ^[A-Za-z0-9_-]+$ ]] ||
    die "POSTGRES_PASSWORD in .env may hold only letters, digits, '-' and '_' (it goes into DATABASE_URL)."

# --- Start ------------------------------------------------------------------------------------
echo "Building and starting the stack (the first build takes a few minutes)..."
docker compose up -d --build

echo -n "Waiting for PostgreSQL"
waited=0
until docker compose exec -T postgres sh -c 'pg_isready -q -U "$POSTGRES_USER" -d "$POSTGRES_DB"' >/dev/null 2>&1; do
    if [ "$waited" -ge "$PG_WAIT_SECONDS" ]; then
        echo
        docker compose logs --tail 30 postgres >&2 || true
        die "PostgreSQL was not ready after ${PG_WAIT_SECONDS} s; see the log above."
    fi
    echo -n "."
    sleep 1
    waited=$((waited + 1))
done
echo " ready."

echo -n "Waiting for the app (it applies the migrations first)"
waited=0
until docker compose exec -T app python -c "$HEALTH_PROBE" >/dev/null 2>&1; do
    if [ "$waited" -ge "$APP_WAIT_SECONDS" ]; then
        echo
        docker compose logs --tail 50 app >&2 || true
        die "The app did not answer on /_stcore/health after ${APP_WAIT_SECONDS} s; see the log above."
    fi
    echo -n "."
    sleep 2
    waited=$((waited + 2))
done
echo " ready."

cat <<EOF

The AI Mock Interview Platform is running: ${APP_URL}
  Logs:    docker compose logs -f app
  Health:  docker compose exec app interview-platform doctor
  Backup:  scripts/backup.sh --docker
  Stop:    docker compose down        (the data stays in the pgdata and appdata volumes)
EOF
