# Shared by backup.sh and restore.sh (sourced, not run): the interpreter and the app's storage.

die() {
    echo "Error: $*" >&2
    exit 1
}

choose_python() { # the interpreter with interview_platform: $PYTHON, else .venv, else python3
    PYTHON="${PYTHON:-}"
    if [ -z "$PYTHON" ]; then
        if [ -x "$REPO_DIR/.venv/bin/python" ]; then PYTHON="$REPO_DIR/.venv/bin/python"; else PYTHON=python3; fi
    fi
}

read_app_settings() { # sets KIND, DATA_DIR, SQLITE_PATH, SOURCE and PG* from the app's settings
    # PostgreSQL credentials come back as PG* variables (shell-quoted), so the password is
    # never on a command line.
    local settings
    settings="$("$PYTHON" - <<'PY'
import shlex

from sqlalchemy.engine import make_url

from interview_platform.config import load_settings

settings = load_settings()
url = make_url(settings.effective_database_url)
values = {"DATA_DIR": str(settings.data_dir.resolve())}
if url.get_backend_name() == "sqlite":
    values.update(KIND="sqlite", SQLITE_PATH=str(url.database or ""))
else:
    values.update(
        KIND="postgresql",
        PGHOST=url.host or "localhost",
        PGPORT=str(url.port or 5432),
        PGUSER=url.username or "",
        PGPASSWORD=url.password or "",
        PGDATABASE=url.database or "",
        SOURCE=url.render_as_string(hide_password=True),
    )
    if "sslmode" in url.query:
        values["PGSSLMODE"] = str(url.query["sslmode"])
for key, value in values.items():
    print(f"{key}={shlex.quote(value)}")
PY
)" || die "could not read the app's settings with $PYTHON (set PYTHON to the interpreter that has interview_platform)."
    KIND="" DATA_DIR="" SQLITE_PATH="" SOURCE=""
    eval "$settings"
}
