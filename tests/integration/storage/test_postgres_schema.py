"""The migrated PostgreSQL schema, read back from the catalog, against the design's DDL."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from interview_platform.storage.database import head_revision
from interview_platform.storage.sql_store import SQLDataStore

pytestmark = pytest.mark.postgres

TZ = "timestamp with time zone"

# table -> column -> (type as rendered from information_schema, NOT NULL?)
EXPECTED_COLUMNS: dict[str, dict[str, tuple[str, bool]]] = {
    "resumes": {
        "id": ("bigint", True),
        "user_id": ("character varying(100)", True),
        "name": ("character varying(200)", False),
        "email": ("character varying(200)", False),
        "experience_level": ("character varying(20)", True),
        "years_of_experience": ("integer", True),
        "domain_expertise": ("jsonb", True),
        "work_experience": ("jsonb", True),
        "education": ("jsonb", True),
        "skills": ("jsonb", True),
        "raw_text": ("text", False),
        "created_at": (TZ, False),
        "updated_at": (TZ, False),
    },
    "sessions": {
        "id": ("uuid", True),
        "user_id": ("character varying(100)", True),
        "created_at": (TZ, False),
        "ended_at": (TZ, False),
        "status": ("character varying(20)", True),
        "enabled_modes": ("jsonb", True),
        "ai_provider": ("character varying(50)", True),
        "ai_model": ("character varying(100)", True),
        "metadata": ("jsonb", False),
        "version": ("integer", True),
    },
    "conversations": {
        "id": ("bigint", True),
        "session_id": ("uuid", True),
        "timestamp": (TZ, False),
        "role": ("character varying(20)", True),
        "content": ("text", True),
        "metadata": ("jsonb", False),
    },
    "evaluations": {
        "id": ("bigint", True),
        "session_id": ("uuid", True),
        "overall_score": ("numeric(5,2)", True),
        "competency_scores": ("jsonb", True),
        "feedback": ("jsonb", True),
        "improvement_plan": ("jsonb", True),
        "communication_analysis": ("jsonb", True),
        "created_at": (TZ, False),
    },
    "media_files": {
        "id": ("bigint", True),
        "session_id": ("uuid", True),
        "file_type": ("character varying(20)", True),
        "file_path": ("text", True),
        "file_size_bytes": ("bigint", False),
        "timestamp": (TZ, False),
        "metadata": ("jsonb", False),
    },
    "token_usage": {
        "id": ("bigint", True),
        "session_id": ("uuid", False),
        "user_id": ("character varying(100)", False),
        "timestamp": (TZ, False),
        "operation": ("character varying(50)", True),
        "provider": ("character varying(50)", True),
        "model": ("character varying(100)", True),
        "input_tokens": ("integer", True),
        "output_tokens": ("integer", True),
        "total_tokens": ("integer", True),
        "estimated": ("boolean", True),  # 0005: usage kept raw, priced when read
        "duration_ms": ("integer", False),
        "estimated_cost": ("numeric(10,6)", False),  # 0005: legacy, never read
    },
    "audit_logs": {
        "id": ("bigint", True),
        "timestamp": (TZ, False),
        "level": ("character varying(20)", True),
        "component": ("character varying(100)", True),
        "operation": ("character varying(100)", True),
        "session_id": ("uuid", False),
        "user_id": ("character varying(100)", False),
        "message": ("text", True),
        "stack_trace": ("text", False),
        "metadata": ("jsonb", False),
    },
    "accounts": {  # 0004: password mode's sign-in
        "id": ("bigint", True),
        "user_id": ("character varying(100)", True),
        "password_hash": ("character varying(255)", True),
        "created_at": (TZ, False),
    },
}

# index -> (table, column list as PostgreSQL prints it, quotes removed)
EXPECTED_INDEXES: dict[str, tuple[str, str]] = {
    "idx_resumes_user_id": ("resumes", "user_id"),
    "idx_resumes_experience_level": ("resumes", "experience_level"),
    "idx_sessions_user_id": ("sessions", "user_id"),
    "idx_sessions_status": ("sessions", "status"),
    "idx_sessions_created_at": ("sessions", "created_at DESC"),
    "idx_conversations_session": ("conversations", "session_id, timestamp"),
    "idx_evaluations_session": ("evaluations", "session_id"),
    "idx_media_files_session": ("media_files", "session_id, file_type"),
    "idx_token_usage_session": ("token_usage", "session_id"),
    "idx_token_usage_timestamp": ("token_usage", "timestamp DESC"),
    "idx_token_usage_user": ("token_usage", "user_id"),
    "idx_audit_logs_timestamp": ("audit_logs", "timestamp DESC"),
    "idx_audit_logs_level": ("audit_logs", "level"),
    "idx_audit_logs_session": ("audit_logs", "session_id"),
    "idx_audit_logs_component": ("audit_logs", "component"),
}

EXPECTED_FOREIGN_KEYS: set[tuple[str, str]] = {
    ("sessions", "FOREIGN KEY (user_id) REFERENCES resumes(user_id) ON DELETE CASCADE"),
    *(
        (table, "FOREIGN KEY (session_id) REFERENCES sessions(id) ON DELETE CASCADE")
        for table in ("conversations", "evaluations", "media_files", "token_usage")
    ),
    ("audit_logs", "FOREIGN KEY (session_id) REFERENCES sessions(id) ON DELETE SET NULL"),
}


@pytest.fixture(scope="module")
def engine(postgres_url: str) -> Iterator[Engine]:
    created = create_engine(postgres_url)
    yield created
    created.dispose()


def _type_of(data_type: str, length: int | None, precision: int | None, scale: int | None) -> str:
    if data_type == "character varying":
        return f"{data_type}({length})"
    if data_type == "numeric":
        return f"numeric({precision},{scale})"
    return data_type


def _constraints(engine: Engine, contype: str) -> set[tuple[str, str]]:
    query = text(
        "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = :contype AND connamespace = 'public'::regnamespace"
    )
    with engine.connect() as connection:
        return {(t, d) for t, d in connection.execute(query, {"contype": contype})}


def test_exactly_the_design_tables_and_alembic_version_exist(engine: Engine) -> None:
    with engine.connect() as connection:
        tables = set(
            connection.execute(
                text(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                )
            ).scalars()
        )
        versions = list(connection.execute(text("SELECT version_num FROM alembic_version")))
    assert tables == set(EXPECTED_COLUMNS) | {"alembic_version"}
    assert [tuple(row) for row in versions] == [("0005",)]
    assert head_revision() == "0005"


@pytest.mark.parametrize("table", sorted(EXPECTED_COLUMNS))
def test_columns_types_and_nullability_match_the_design(engine: Engine, table: str) -> None:
    query = text(
        "SELECT column_name, data_type, character_maximum_length, numeric_precision, "
        "numeric_scale, is_nullable FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = :table"
    )
    with engine.connect() as connection:
        actual = {
            name: (_type_of(data_type, length, precision, scale), nullable == "NO")
            for name, data_type, length, precision, scale, nullable in connection.execute(
                query, {"table": table}
            )
        }
    assert actual == EXPECTED_COLUMNS[table]


def test_defaults_match_the_design(engine: Engine) -> None:
    query = text(
        "SELECT table_name, column_name, column_default FROM information_schema.columns "
        "WHERE table_schema = 'public' AND column_default IS NOT NULL"
    )
    with engine.connect() as connection:
        defaults = {(t, c): d for t, c, d in connection.execute(query)}
    for table, columns in EXPECTED_COLUMNS.items():
        if "id" in columns and table != "sessions":
            assert defaults[(table, "id")].startswith("nextval("), table  # BIGSERIAL
        for column in ("created_at", "updated_at", "timestamp"):
            if column in columns:
                assert defaults[(table, column)] == "CURRENT_TIMESTAMP", (table, column)
        if "metadata" in columns:
            assert defaults[(table, "metadata")] == "'{}'::jsonb", table
    assert defaults[("sessions", "id")] == "gen_random_uuid()"
    assert defaults[("sessions", "version")] == "0"


def test_every_design_index_exists_on_the_right_columns(engine: Engine) -> None:
    query = text(
        "SELECT indexname, tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'"
    )
    with engine.connect() as connection:
        found: dict[str, tuple[str, str]] = {}
        for name, table, definition in connection.execute(query):
            match = re.search(r"USING btree \((.*)\)$", definition)
            assert match is not None, definition
            found[name] = (table, match.group(1).replace('"', ""))
    for name, expected in EXPECTED_INDEXES.items():
        assert found.get(name) == expected, name


def test_foreign_keys_and_their_delete_rules(engine: Engine) -> None:
    assert _constraints(engine, "f") == EXPECTED_FOREIGN_KEYS


def test_unique_and_primary_key_constraints(engine: Engine) -> None:
    assert _constraints(engine, "u") == {
        ("resumes", "UNIQUE (user_id)"),
        ("evaluations", "UNIQUE (session_id)"),
        ("accounts", "UNIQUE (user_id)"),
    }
    assert _constraints(engine, "p") == {
        *((table, "PRIMARY KEY (id)") for table in EXPECTED_COLUMNS),
        ("alembic_version", "PRIMARY KEY (version_num)"),
    }


def test_deleting_a_resume_cascades_through_sessions_and_nulls_audit_logs(
    engine: Engine, postgres_store: SQLDataStore
) -> None:
    user = f"cascade-{uuid.uuid4().hex[:8]}"
    session_id = str(uuid.uuid4())
    children = ("conversations", "evaluations", "media_files", "token_usage")
    params = {"user": user, "sid": session_id}
    inserts = [
        "INSERT INTO resumes (user_id, experience_level, years_of_experience, "
        "domain_expertise, work_experience, education, skills) "
        "VALUES (:user, 'mid', 4, '[]', '[]', '[]', '[]')",
        "INSERT INTO sessions (id, user_id, status, enabled_modes, ai_provider, ai_model) "
        "VALUES (:sid, :user, 'active', '[\"text\"]', 'builtin', 'rubric')",
        "INSERT INTO conversations (session_id, role, content) "
        "VALUES (:sid, 'interviewer', 'Hello'), (:sid, 'candidate', 'Hi')",
        "INSERT INTO evaluations (session_id, overall_score, competency_scores, feedback, "
        "improvement_plan, communication_analysis) VALUES (:sid, 71.25, '{}', '{}', '{}', '{}')",
        "INSERT INTO media_files (session_id, file_type, file_path) "
        "VALUES (:sid, 'audio', 'sessions/x/audio/recording_001.wav')",
        "INSERT INTO token_usage (session_id, operation, provider, model, input_tokens, "
        "output_tokens, total_tokens, estimated_cost) "
        "VALUES (:sid, 'evaluation', 'builtin', 'rubric', 1, 2, 3, 0.000123)",
        "INSERT INTO audit_logs (level, component, operation, session_id, message) "
        "VALUES ('INFO', 'test', 'cascade', :sid, 'kept after delete')",
    ]
    count_sql = "SELECT count(*) FROM {} WHERE session_id = :sid"
    try:
        with engine.begin() as connection:
            for statement in inserts:
                connection.execute(text(statement), params)
        with engine.connect() as connection:
            before = {
                t: connection.execute(text(count_sql.format(t)), params).scalar_one()
                for t in children
            }
        assert before == {"conversations": 2, "evaluations": 1, "media_files": 1, "token_usage": 1}

        with engine.begin() as connection:
            connection.execute(text("DELETE FROM resumes WHERE user_id = :user"), params)

        with engine.connect() as connection:
            sessions_left = connection.execute(
                text("SELECT count(*) FROM sessions WHERE id = :sid"), params
            ).scalar_one()
            after = {
                t: connection.execute(text(count_sql.format(t)), params).scalar_one()
                for t in children
            }
            orphaned_logs = connection.execute(
                text("SELECT session_id FROM audit_logs WHERE message = 'kept after delete'")
            ).all()
        assert sessions_left == 0
        assert after == dict.fromkeys(children, 0)
        assert [tuple(row) for row in orphaned_logs] == [(None,)]
    finally:
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM audit_logs WHERE component = 'test'"))
            connection.execute(text("DELETE FROM resumes WHERE user_id = :user"), params)
