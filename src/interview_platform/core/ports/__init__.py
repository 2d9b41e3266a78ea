"""The core's ports: the interfaces it needs from the outside world.

The core (domain and services) depends only on these; `storage`, `monitoring`, `providers`
and `communication` implement them, and `bootstrap` plugs the implementations in.
"""

from interview_platform.core.ports.chat import (
    BUILTIN,
    ChatMessage,
    ChatProvider,
    ChatResult,
    ProviderLookup,
)
from interview_platform.core.ports.data_store import DataStore
from interview_platform.core.ports.monitoring import AuditLog, Budget, UsageRecorder

__all__ = [
    "BUILTIN",
    "AuditLog",
    "Budget",
    "ChatMessage",
    "ChatProvider",
    "ChatResult",
    "DataStore",
    "ProviderLookup",
    "UsageRecorder",
]
