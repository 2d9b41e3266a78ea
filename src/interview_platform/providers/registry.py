"""Provider plug-ins looked up by name or alias; adding a provider never edits this file."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import SecretStr

from interview_platform.config import Settings
from interview_platform.errors import ConfigurationError
from interview_platform.providers.base import ChatProvider

ProviderFactory = Callable[[Settings, str | None], ChatProvider]
Precondition = Callable[[Settings], bool]


@dataclass(frozen=True)
class ProviderPlugin:
    name: str
    factory: ProviderFactory
    is_available: Precondition
    note: str  # why it is offered, e.g. "key set" or "local server"
    aliases: tuple[str, ...] = ()
    requires: str = ""  # the setting that makes it available, e.g. "OPENAI_API_KEY"


class ProviderRegistry:
    def __init__(self) -> None:
        self._plugins: dict[str, ProviderPlugin] = {}
        self._aliases: dict[str, str] = {}

    def register(
        self,
        name: str,
        factory: ProviderFactory,
        *,
        available: Precondition,
        note: str,
        aliases: tuple[str, ...] = (),
        requires: str = "",
    ) -> None:
        """Add a plug-in; its name and aliases must not be taken yet. `requires` says what a
        user sets to make it available (shown by `interview-platform doctor`)."""
        plugin = ProviderPlugin(_canonical(name), factory, available, note, aliases, requires)
        labels = {_key(label): label for label in (name, *aliases)}
        for key, label in labels.items():
            if key in self._aliases:
                raise ConfigurationError(f"AI provider name '{label}' is registered twice.")
        self._aliases.update(dict.fromkeys(labels, plugin.name))
        self._plugins[plugin.name] = plugin

    def resolve(self, name: str) -> str:
        """The canonical provider name for a name or alias."""
        try:
            return self._aliases[_key(name)]
        except KeyError:
            raise ConfigurationError(
                f"Unknown AI provider '{name}'. Known providers: {self._known()}. "
                "Set AI__DEFAULT_PROVIDER (or choose in the app) to one of them."
            ) from None

    def create(self, name: str, settings: Settings, model: str | None = None) -> ChatProvider:
        """A configured provider; `model` None means the settings' model for it."""
        return self._plugins[self.resolve(name)].factory(settings, model)

    def names(self) -> list[str]:
        return sorted(self._plugins)

    def available(self, settings: Settings) -> list[str]:
        """Providers whose precondition holds (a key or a server URL is configured)."""
        return [name for name in self.names() if self._plugins[name].is_available(settings)]

    def note(self, name: str) -> str:
        return self._plugins[self.resolve(name)].note

    def plugin(self, name: str) -> ProviderPlugin:
        return self._plugins[self.resolve(name)]

    def _known(self) -> str:
        def described(plugin: ProviderPlugin) -> str:
            return f"{plugin.name} ({', '.join(plugin.aliases)})" if plugin.aliases else plugin.name

        return ", ".join(described(self._plugins[name]) for name in self.names())


def default_registry() -> ProviderRegistry:
    """The registry with the built-in plug-ins: OpenAI, Anthropic, Ollama, OpenAI-compatible."""
    from interview_platform.providers import anthropic, ollama, openai

    registry = ProviderRegistry()
    for plugin in (openai, anthropic, ollama):
        plugin.register(registry)
    return registry


def configured_model(settings: Settings, provider: str, default: str) -> str:
    """The model the settings name for a provider (`AI__MODELS__<PROVIDER>`), else `default`."""
    return settings.ai.models.get(provider) or default


def require_setting(value: object, variable: str, advice: str) -> Callable[[], None]:
    """A `validate()` check: ConfigurationError naming `variable` when it is not set."""

    def check() -> None:
        if value is None or value == "":
            raise ConfigurationError(f"{variable} is not set. {advice}")

    return check


def secret_values(*secrets: SecretStr | None) -> tuple[str, ...]:
    """The raw secrets, so that error messages can mask them."""
    return tuple(secret.get_secret_value() for secret in secrets if secret is not None)


def _canonical(name: str) -> str:
    """A plug-in's own name as the app shows and stores it, e.g. `openai_compatible`."""
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def _key(label: str) -> str:
    """What a name or alias is looked up by: letters and digits only, lower case, so that
    `LM-Studio`, `lm_studio`, `LM Studio` and `lmstudio` are one name."""
    return "".join(character for character in label.lower() if character.isalnum())
