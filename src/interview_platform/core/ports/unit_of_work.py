"""UnitOfWork: several writes that land together or not at all.

In the manner of cosmicpython's: a service opens one with `store.transaction()`, writes through
its `store`, and calls `commit()`; leaving the block without committing (an error, a crash, a
lost race) rolls every write back. Work outside the database (deleting files) is queued with
`after_commit` and runs only once the rows are committed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interview_platform.core.ports.data_store import DataStore


class UnitOfWork(ABC):
    def __init__(self) -> None:
        self._after_commit: list[Callable[[], object]] = []
        self._committed = False

    @property
    @abstractmethod
    def store(self) -> DataStore:
        """The data store whose writes belong to this unit of work."""

    def __enter__(self) -> UnitOfWork:
        self._begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                self._rollback()
        finally:
            self._close()

    def commit(self) -> None:
        """Make every write of the unit permanent, then run the `after_commit` actions."""
        self._commit()
        self._committed = True
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            action()

    def after_commit(self, action: Callable[[], object]) -> None:
        """Run `action` once the unit has committed (never if it rolls back)."""
        self._after_commit.append(action)

    @abstractmethod
    def _begin(self) -> None: ...

    @abstractmethod
    def _commit(self) -> None: ...

    @abstractmethod
    def _rollback(self) -> None: ...

    @abstractmethod
    def _close(self) -> None:
        """Release what `_begin` took (a connection, a lock)."""


class JoinedUnitOfWork(UnitOfWork):
    """A unit opened inside another: its writes are the outer unit's, committed or rolled back
    with it, and its `after_commit` actions wait for the outer commit."""

    def __init__(self, outer: UnitOfWork) -> None:
        super().__init__()
        self._outer = outer

    @property
    def store(self) -> DataStore:
        return self._outer.store

    def after_commit(self, action: Callable[[], object]) -> None:
        self._outer.after_commit(action)

    def _begin(self) -> None:
        """The outer unit has begun."""

    def _commit(self) -> None:
        """The outer unit commits."""

    def _rollback(self) -> None:
        """The outer unit rolls back when the error reaches it."""

    def _close(self) -> None:
        """The outer unit closes."""
