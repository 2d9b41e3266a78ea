"""The providers the app calls: built from the registry on first use, each wrapped in retries
behind one circuit breaker per provider, shared by every session."""

from __future__ import annotations

import threading

from interview_platform.config import Settings
from interview_platform.core.ports.chat import ChatProvider
from interview_platform.providers.registry import ProviderRegistry, default_registry
from interview_platform.providers.resilience import CircuitBreaker, ResilientProvider


class ProviderPool:
    """Callable as `pool(name, model)`, the AIInterviewer's provider factory."""

    def __init__(self, settings: Settings, registry: ProviderRegistry | None = None) -> None:
        self._settings = settings
        self._registry = registry
        self._breakers: dict[str, CircuitBreaker] = {}
        self._providers: dict[tuple[str, str | None], ResilientProvider] = {}
        self._lock = threading.Lock()

    @property
    def registry(self) -> ProviderRegistry:
        """The registry, built on first use: importing the SDKs takes a moment."""
        with self._lock:
            if self._registry is None:
                self._registry = default_registry()
            return self._registry

    def __call__(self, name: str, model: str | None = None) -> ChatProvider:
        registry = self.registry
        canonical = registry.resolve(name)
        with self._lock:
            key = (canonical, model or None)
            if key not in self._providers:
                inner = registry.create(canonical, self._settings, model)
                self._providers[key] = ResilientProvider(
                    inner,
                    breaker=self._breaker(canonical),
                    attempts=self._settings.ai.max_retries,
                    wait_multiplier=self._settings.ai.retry_delay_seconds,
                )
            return self._providers[key]

    def available(self) -> list[str]:
        """Configured providers (a key or a server URL is set), besides the built-in one."""
        return self.registry.available(self._settings)

    def breaker_states(self) -> dict[str, str]:
        """Each used provider's circuit breaker state, for health checks."""
        with self._lock:
            return {name: breaker.state for name, breaker in sorted(self._breakers.items())}

    def _breaker(self, provider: str) -> CircuitBreaker:
        if provider not in self._breakers:
            self._breakers[provider] = CircuitBreaker(
                failures=self._settings.ai.circuit_breaker_failures,
                reset_seconds=self._settings.ai.circuit_breaker_reset_seconds,
            )
        return self._breakers[provider]
