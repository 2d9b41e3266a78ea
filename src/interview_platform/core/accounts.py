"""Password mode: accounts with argon2 hashes, sign-in, and the signed token that keeps a
browser signed in across reloads.

A wrong name and a wrong password get the same message and cost the same argon2 work, so a
sign-in page does not tell which names have accounts. A token is `payload.signature`: the
payload names the user and an expiry, the signature is an HMAC-SHA256 of it under the
server's secret, so it cannot be made or changed without the secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import NoReturn

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from interview_platform.core.models import Account, clean_text, utc_now
from interview_platform.core.ports.data_store import DataStore
from interview_platform.core.ports.monitoring import AuditLog
from interview_platform.errors import (
    AccountExistsError,
    ConfigurationError,
    SignInError,
    ValidationError,
)

NAME_PATTERN = re.compile(r"^[A-Za-z0-9_.@-]{1,100}$")
MAX_PASSWORD_CHARS = 1024  # argon2 takes any length; this bounds the work one request asks for
COMPONENT = "AccountService"
WRONG_NAME_OR_PASSWORD = "Wrong name or password. Check both and try again."


class SignedTokens:
    """Issues and checks `user + expiry` tokens signed with HMAC-SHA256."""

    def __init__(self, secret: bytes, lifetime: timedelta) -> None:
        if len(secret) < 32:
            raise ValueError("a token secret needs at least 32 bytes")
        self._secret = secret
        self._lifetime = lifetime

    def issue(self, user_id: str, now: datetime) -> str:
        expires = int((now + self._lifetime).timestamp())
        payload = _b64(json.dumps({"u": user_id, "e": expires}, separators=(",", ":")).encode())
        return f"{payload}.{self._sign(payload)}"

    def user_of(self, token: str, now: datetime) -> str | None:
        """The user the token names, if its signature is right and it has not expired."""
        payload, _, signature = token.partition(".")
        if not hmac.compare_digest(signature.encode(), self._sign(payload).encode()):
            return None
        try:
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            user, expires = str(claims["u"]), int(claims["e"])
        except (ValueError, KeyError, TypeError):
            return None
        return user if now.timestamp() < expires else None

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._secret, payload.encode(), hashlib.sha256).digest())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


class AccountService:
    """Creates accounts, checks passwords and issues the sign-in token."""

    def __init__(
        self,
        store: DataStore,
        tokens: SignedTokens,
        *,
        min_password_length: int = 10,
        hasher: PasswordHasher | None = None,
        clock: Callable[[], datetime] = utc_now,
        concurrent_hashes: int = 2,
        logger: AuditLog | None = None,
    ) -> None:
        """At most `concurrent_hashes` argon2 computations run at once (each takes 64 MiB
        with the default parameters), however many sign-ins arrive together."""
        self._store = store
        self._tokens = tokens
        self._min_length = min_password_length
        self._hasher = hasher or PasswordHasher()
        self._clock = clock
        self._slots = threading.BoundedSemaphore(concurrent_hashes)
        self._logger = logger
        self._decoy_hash = self._hash("a password no account has")

    def register(self, user_id: str, password: str, *, claim_existing: bool = False) -> Account:
        """Create an account; AccountExistsError if the name is taken. Interviews or a resume
        kept under the name (from before sign-in was on) go with it only when an operator
        says so (`claim_existing`): a stranger registering that name is refused."""
        name = _check_name(user_id)
        self._check_password(name, password)
        if not claim_existing and self._has_data(name):
            raise AccountExistsError(f"The name {name} is taken; choose another.")
        account = Account(name, self._hash(password), self._clock())
        self._store.create_account(account)
        return account

    def set_password(self, user_id: str, password: str) -> None:
        """Replace an account's password (an operator's reset); NotFoundError if none."""
        name = _check_name(user_id)
        self._check_password(name, password)
        self._store.set_password_hash(name, self._hash(password))

    def sign_in(self, user_id: str, password: str) -> str:
        """The signed-in user's id; SignInError, saying neither which, on a wrong name or
        password."""
        account = self._store.get_account(clean_text(user_id).strip())
        if account is None or len(password) > MAX_PASSWORD_CHARS:
            self._verify(self._decoy_hash, password[:MAX_PASSWORD_CHARS])
            self._refused(None)
        elif not self._verify(account.password_hash, password):
            self._refused(account.user_id)
        if self._hasher.check_needs_rehash(account.password_hash):
            self._store.set_password_hash(account.user_id, self._hash(password))
        if self._logger is not None:
            self._logger.info(COMPONENT, "sign_in", "signed in", account=account.user_id)
        return account.user_id

    def _refused(self, user_id: str | None) -> NoReturn:
        """Log a refused sign-in (naming only an existing account: a name typed by mistake
        may be a password) and raise the one message for every refusal."""
        if self._logger is not None:
            reason = "wrong password" if user_id else "no such account"
            self._logger.warning(COMPONENT, "sign_in", f"refused: {reason}", account=user_id)
        raise SignInError(WRONG_NAME_OR_PASSWORD)

    def issue_token(self, user_id: str) -> str:
        return self._tokens.issue(user_id, self._clock())

    def user_of_token(self, token: str) -> str | None:
        """The user a token signs in, if it is valid, unexpired and their account exists."""
        user = self._tokens.user_of(token, self._clock())
        if user is None or self._store.get_account(user) is None:
            return None
        return user

    def list_accounts(self) -> list[Account]:
        return self._store.list_accounts()

    def _has_data(self, user_id: str) -> bool:
        has_sessions = self._store.count_sessions(user_id=user_id) > 0
        return has_sessions or self._store.get_resume(user_id) is not None

    def _hash(self, password: str) -> str:
        with self._slots:
            return self._hasher.hash(clean_text(password))

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            with self._slots:
                return self._hasher.verify(password_hash, clean_text(password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _check_password(self, user_id: str, password: str) -> None:
        if len(password) < self._min_length:
            raise ValidationError(
                f"A password needs at least {self._min_length} characters; "
                "a few words strung together are easy to remember."
            )
        if len(password) > MAX_PASSWORD_CHARS:
            raise ValidationError(f"A password may have at most {MAX_PASSWORD_CHARS} characters.")
        if password.strip().lower() == user_id.lower():
            raise ValidationError("A password must not be the account's name.")


def _check_name(user_id: str) -> str:
    name = clean_text(user_id).strip()
    if not NAME_PATTERN.fullmatch(name):
        raise ValidationError("A name may use letters, digits and . _ @ - (up to 100 characters).")
    return name


def kept_secret(path: Path) -> bytes:
    """The secret in `path`, made (32 random bytes, readable by the owner only) if missing;
    two processes starting at once keep the same one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32))
    return _read_secret(path)


def _read_secret(path: Path) -> bytes:
    for _ in range(50):  # another process may be between creating the file and writing it
        secret = path.read_text(encoding="ascii").strip()
        if secret:
            return secret.encode()
        time.sleep(0.02)
    raise ConfigurationError(
        f"{path} is empty. Delete it to have a new secret made, or set AUTH__SECRET."
    )
