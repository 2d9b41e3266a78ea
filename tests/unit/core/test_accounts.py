"""AccountService and SignedTokens on the in-memory store: passwords, sign-in, tokens."""

from __future__ import annotations

import base64
import json
import stat
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

import pytest
from argon2 import PasswordHasher

from interview_platform.core.accounts import (
    WRONG_NAME_OR_PASSWORD,
    AccountService,
    SignedTokens,
    kept_secret,
)
from interview_platform.core.models import utc_now
from interview_platform.errors import AccountExistsError, SignInError, ValidationError
from interview_platform.monitoring.logging_manager import LoggingConfig, LoggingManager
from interview_platform.storage.memory_store import InMemoryDataStore
from tests.conftest import make_session

SECRET = b"s" * 32
PASSWORD = "correct horse battery"


class Clock:
    def __init__(self) -> None:
        self.now = utc_now()

    def __call__(self) -> datetime:
        return self.now


class CountingHasher(PasswordHasher):
    """A cheap argon2 that counts its verifications."""

    def __init__(self, time_cost: int = 1) -> None:
        super().__init__(time_cost=time_cost, memory_cost=1024, parallelism=1)
        self.verified = 0
        self.running = 0
        self.most_at_once = 0
        self._count = threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        with self._count:
            self.verified += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            return super().verify(hash, password)
        finally:
            with self._count:
                self.running -= 1


@pytest.fixture
def store() -> InMemoryDataStore:
    return InMemoryDataStore()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def service(
    store: InMemoryDataStore, clock: Clock | None = None, hasher: PasswordHasher | None = None
) -> AccountService:
    tokens = SignedTokens(SECRET, timedelta(hours=12))
    return AccountService(store, tokens, hasher=hasher or CountingHasher(), clock=clock or Clock())


def test_a_registered_user_signs_in(store: InMemoryDataStore) -> None:
    accounts = service(store)
    accounts.register(" alice ", PASSWORD)
    assert accounts.sign_in("alice", PASSWORD) == "alice"


def test_only_an_argon2id_hash_is_stored(store: InMemoryDataStore) -> None:
    service(store).register("alice", PASSWORD)
    account = store.get_account("alice")
    assert account is not None
    assert account.password_hash.startswith("$argon2id$")
    assert PASSWORD not in account.password_hash and PASSWORD not in repr(account)


def test_a_wrong_password_and_an_unknown_name_read_the_same(store: InMemoryDataStore) -> None:
    hasher = CountingHasher()
    accounts = service(store, hasher=hasher)
    accounts.register("alice", PASSWORD)
    with pytest.raises(SignInError) as wrong_password:
        accounts.sign_in("alice", "correct horse battery!")
    with pytest.raises(SignInError) as unknown_name:
        accounts.sign_in("mallory", PASSWORD)
    assert str(wrong_password.value) == str(unknown_name.value) == WRONG_NAME_OR_PASSWORD
    assert hasher.verified == 2  # an unknown name costs the same argon2 work as a known one


def test_an_overlong_password_is_refused_like_a_wrong_one(store: InMemoryDataStore) -> None:
    accounts = service(store)
    accounts.register("alice", PASSWORD)
    with pytest.raises(SignInError, match="Wrong name or password"):
        accounts.sign_in("alice", PASSWORD + "x" * 5000)


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("alice", "short", "at least 10 characters"),
        ("alice", "x" * 1025, "at most 1024 characters"),
        ("alice1234567", "Alice1234567", "must not be the account's name"),
        ("al ice", PASSWORD, "letters, digits"),
        ("", PASSWORD, "letters, digits"),
        ("<script>", PASSWORD, "letters, digits"),
    ],
)
def test_registration_rules(
    store: InMemoryDataStore, name: str, password: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        service(store).register(name, password)
    assert store.list_accounts() == []


def test_a_name_is_registered_once(store: InMemoryDataStore) -> None:
    accounts = service(store)
    accounts.register("alice", PASSWORD)
    with pytest.raises(AccountExistsError):
        accounts.register("alice", "another long password")
    assert accounts.sign_in("alice", PASSWORD) == "alice"


def test_a_stranger_cannot_register_a_name_that_already_has_interviews(
    store: InMemoryDataStore,
) -> None:
    """Interviews kept under `local` before sign-in was turned on stay out of reach of
    whoever registers `local` first; an operator hands them over with claim_existing."""
    store.save_session(make_session("local"))
    accounts = service(store)
    with pytest.raises(AccountExistsError, match="taken"):
        accounts.register("local", PASSWORD)
    accounts.register("local", PASSWORD, claim_existing=True)
    assert accounts.sign_in("local", PASSWORD) == "local"


def test_a_new_password_replaces_the_old(store: InMemoryDataStore) -> None:
    accounts = service(store)
    accounts.register("alice", PASSWORD)
    accounts.set_password("alice", "a brand new passphrase")
    assert accounts.sign_in("alice", "a brand new passphrase") == "alice"
    with pytest.raises(SignInError):
        accounts.sign_in("alice", PASSWORD)


def test_a_hash_made_with_weaker_parameters_is_upgraded_on_sign_in(
    store: InMemoryDataStore,
) -> None:
    service(store, hasher=CountingHasher(time_cost=1)).register("alice", PASSWORD)
    stronger = service(store, hasher=CountingHasher(time_cost=2))
    assert stronger.sign_in("alice", PASSWORD) == "alice"
    account = store.get_account("alice")
    assert account is not None and ",t=2," in account.password_hash
    assert stronger.sign_in("alice", PASSWORD) == "alice"


def test_a_token_signs_in_its_user_until_it_expires(store: InMemoryDataStore, clock: Clock) -> None:
    accounts = service(store, clock)
    accounts.register("alice", PASSWORD)
    token = accounts.issue_token("alice")
    assert accounts.user_of_token(token) == "alice"
    clock.now += timedelta(hours=11, minutes=59)
    assert accounts.user_of_token(token) == "alice"
    clock.now += timedelta(minutes=2)
    assert accounts.user_of_token(token) is None


def _forged(token: str, user: str) -> str:
    payload, _, signature = token.partition(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["u"] = user
    changed = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{changed}.{signature}"


def test_a_token_cannot_be_changed_to_name_another_user(store: InMemoryDataStore) -> None:
    accounts = service(store)
    accounts.register("alice", PASSWORD)
    accounts.register("bob12", "bob's long password")
    assert accounts.user_of_token(_forged(accounts.issue_token("alice"), "bob12")) is None


def test_a_token_signed_with_another_secret_is_refused(store: InMemoryDataStore) -> None:
    accounts = service(store)
    accounts.register("alice", PASSWORD)
    elsewhere = SignedTokens(b"o" * 32, timedelta(hours=12)).issue("alice", utc_now())
    assert accounts.user_of_token(elsewhere) is None


@pytest.mark.parametrize("token", ["", ".", "alice", "x.y", "e30.", "!!!.???", "a" * 10_000])
def test_garbage_tokens_sign_in_nobody(store: InMemoryDataStore, token: str) -> None:
    accounts = service(store)
    accounts.register("alice", PASSWORD)
    assert accounts.user_of_token(token) is None


def test_a_token_of_a_name_without_an_account_signs_in_nobody(store: InMemoryDataStore) -> None:
    accounts = service(store)
    assert accounts.user_of_token(accounts.issue_token("ghost")) is None


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        SignedTokens(b"short", timedelta(hours=1))


def test_the_kept_secret_is_made_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "auth_secret"
    results: list[bytes] = []
    threads = [threading.Thread(target=lambda: results.append(kept_secret(path))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1 and len(results[0]) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert kept_secret(path) == results[0]


def test_argon2_runs_at_most_twice_at_once_however_many_sign_in(store: InMemoryDataStore) -> None:
    hasher = CountingHasher(time_cost=3)
    accounts = service(store, hasher=hasher)
    accounts.register("alice", PASSWORD)
    outcomes: list[str] = []

    def attempt(password: str) -> None:
        try:
            outcomes.append(accounts.sign_in("alice", password))
        except SignInError:
            outcomes.append("refused")

    threads = [
        threading.Thread(target=attempt, args=(PASSWORD if i % 2 else "a wrong password",))
        for i in range(12)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["alice"] * 6 + ["refused"] * 6
    assert hasher.verified == 12 and hasher.most_at_once <= 2


def test_refused_sign_ins_reach_the_audit_log_without_a_password(
    store: InMemoryDataStore, tmp_path: Path
) -> None:
    logger = LoggingManager(
        LoggingConfig(console=False, to_file=False, to_db=True, db_level="WARNING"), store
    )
    tokens = SignedTokens(SECRET, timedelta(hours=1))
    accounts = AccountService(store, tokens, hasher=CountingHasher(), logger=logger)
    accounts.register("alice", PASSWORD)
    for name, password in (("alice", "a wrong password"), ("my secret passphrase", PASSWORD)):
        with pytest.raises(SignInError):
            accounts.sign_in(name, password)
    accounts.sign_in("alice", PASSWORD)
    logger.close()
    entries = store.get_log_entries(min_level="WARNING")
    assert sorted((e.message, e.operation, e.metadata.get("account")) for e in entries) == [
        ("refused: no such account", "sign_in", None),
        ("refused: wrong password", "sign_in", "alice"),
    ]
    logged = " ".join(f"{e.message} {e.metadata}" for e in entries)
    assert "my secret passphrase" not in logged and "a wrong password" not in logged
