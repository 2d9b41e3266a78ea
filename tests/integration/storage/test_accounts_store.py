"""Accounts in the DataStore contract: in memory, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from interview_platform.core.models import Account, utc_now
from interview_platform.core.ports.data_store import DataStore
from interview_platform.errors import AccountExistsError, NotFoundError
from tests.conftest import make_session


def test_an_account_round_trips(store: DataStore) -> None:
    made = utc_now().replace(microsecond=0) - timedelta(days=1)
    store.create_account(Account("alice", "$argon2id$v=19$m=8,t=1,p=1$abc$def", made))
    found = store.get_account("alice")
    assert found == Account("alice", "$argon2id$v=19$m=8,t=1,p=1$abc$def", made)


def test_an_unknown_account_is_none(store: DataStore) -> None:
    store.create_account(Account("alice", "hash-a"))
    assert store.get_account("bob") is None
    assert store.get_account("ALICE") is None  # names are exact, as session owners are


def test_a_name_has_one_account(store: DataStore) -> None:
    store.create_account(Account("alice", "hash-a"))
    with pytest.raises(AccountExistsError, match="already an account named alice"):
        store.create_account(Account("alice", "hash-b"))
    found = store.get_account("alice")
    assert found is not None and found.password_hash == "hash-a"


def test_a_password_hash_is_replaced_only_on_its_account(store: DataStore) -> None:
    store.create_account(Account("alice", "hash-a"))
    store.create_account(Account("bob", "hash-b"))
    store.set_password_hash("alice", "hash-a2")
    alice, bob = store.get_account("alice"), store.get_account("bob")
    assert alice is not None and alice.password_hash == "hash-a2"
    assert bob is not None and bob.password_hash == "hash-b"
    with pytest.raises(NotFoundError, match="no account named carol"):
        store.set_password_hash("carol", "hash-c")


def test_accounts_are_listed_by_name(store: DataStore) -> None:
    for name in ("carol", "alice", "bob"):
        store.create_account(Account(name, f"hash-{name}"))
    assert [a.user_id for a in store.list_accounts()] == ["alice", "bob", "carol"]


def test_an_account_and_the_sessions_of_its_name_live_side_by_side(store: DataStore) -> None:
    """Sessions made before sign-in was on (their owner has only a profile row) do not stop
    an account of that name, and the account does not change them."""
    session = make_session("alice")
    store.save_session(session)
    store.create_account(Account("alice", "hash-a"))
    assert store.get_session(session.id).user_id == "alice"
    assert store.count_sessions(user_id="alice") == 1
