"""`interview-platform user ...`: the accounts of password mode (AUTH__MODE=password)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from interview_platform.bootstrap import build_accounts, build_data_store
from interview_platform.config import load_settings
from interview_platform.core.accounts import AccountService
from interview_platform.core.models import utc_now
from interview_platform.errors import InterviewPlatformError

PASSWORD_STDIN = click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of a prompt.",
)


@click.group()
def user() -> None:
    """Accounts for sign-in (AUTH__MODE=password)."""


@user.command("add")
@click.argument("name")
@PASSWORD_STDIN
@click.option(
    "--claim-existing",
    is_flag=True,
    help="Give the account the interviews and resume already kept under NAME.",
)
def add(name: str, password_stdin: bool, claim_existing: bool) -> None:
    """Create an account NAME; its password is asked for (twice), never an argument."""
    password = _password(password_stdin)
    with _accounts() as accounts:
        account = accounts.register(name, password, claim_existing=claim_existing)
    click.echo(f"Created the account {account.user_id}.")


@user.command("passwd")
@click.argument("name")
@PASSWORD_STDIN
def passwd(name: str, password_stdin: bool) -> None:
    """Set a new password for the account NAME."""
    password = _password(password_stdin)
    with _accounts() as accounts:
        accounts.set_password(name, password)
    click.echo(f"Changed the password of {name.strip()}.")


@user.command("list")
def list_users() -> None:
    """Every account, with when it was made."""
    with _accounts() as accounts:
        found = accounts.list_accounts()
    for account in found:
        click.echo(f"{account.user_id}\t{account.created_at:%Y-%m-%d %H:%M}")
    if not found:
        click.echo("No accounts yet: add one with `interview-platform user add NAME`.")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@contextmanager
def _accounts() -> Iterator[AccountService]:
    """The account service on the configured database (migrated first); platform errors
    become the command's message."""
    try:
        settings = load_settings()
        store = build_data_store(settings)
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        store.initialize_schema()
        yield build_accounts(settings, store, utc_now)
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
