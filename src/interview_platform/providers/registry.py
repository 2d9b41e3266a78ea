"""Provider plug-ins looked up by name or alias; adding a provider never edits this file.

A plug-in says everything the rest of the app needs to know about its provider: the settings
it reads (their environment names, which of them are secrets), its default model, its list
prices and where `doctor` probes it. Besides the built-in plug-ins, an installed package can
add providers through the `interview_platform.providers` entry point group.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType

from pydantic import SecretStr

from interview_platform.config import Settings
from interview_platform.core.ports.chat import ChatProvider
from interview_platform.core.pricing import DatedPrice
from interview_platform.errors import ConfigurationError

ENTRY_POINT_GROUP = "interview_platform.providers"
ProviderFactory = Callable[[Settings, str | None], ChatProvider]
Precondition = Callable[[Settings], bool]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProviderSetting:
    """A setting a plug-in reads, by the environment name users put in `.env`.

    `required`: the provider is offered only when every required setting is set.
    `secret`: the value never appears in a log line."""

    variable: str
    secret: bool = False
    required: bool = False


@dataclass(frozen=True)
class Reachability:
    """Where the health checks and `doctor` probe a configured provider: a TCP connection to
    the host of the URL in `url_setting`, else of `default_url` (no request is sent, so no key
    leaves the machine). No URL at all: nothing is probed."""

    url_setting: str = ""
    default_url: str = ""

    def url(self, settings: Settings) -> str:
        configured = settings.value_of(self.url_setting) if self.url_setting else None
        return configured or self.default_url


@dataclass(frozen=True)
class ProviderPlugin:
    name: str
    factory: ProviderFactory
    is_available: Precondition
    note: str  # why it is offered, e.g. "key set" or "local server"
    aliases: tuple[str, ...] = ()
    requires: str = ""  # the setting that makes it available, e.g. "OPENAI_API_KEY"
    settings: tuple[ProviderSetting, ...] = ()
    default_model: str = ""
    prices: tuple[DatedPrice, ...] = ()
    reachability: Reachability = Reachability()

    def secrets(self, settings: Settings) -> tuple[str, ...]:
        """The values of its secret settings that are set (what logs must mask)."""
        values = (settings.value_of(s.variable) for s in self.settings if s.secret)
        return tuple(value for value in values if value)


class ProviderRegistry:
    def __init__(self) -> None:
        self._plugins: dict[str, ProviderPlugin] = {}
        self._aliases: dict[str, str] = {}
        self.skipped: dict[str, str] = {}  # why each broken entry-point plug-in was left out

    def register(
        self,
        name: str,
        factory: ProviderFactory,
        *,
        available: Precondition | None = None,
        note: str,
        aliases: tuple[str, ...] = (),
        requires: str = "",
        settings: tuple[ProviderSetting, ...] = (),
        default_model: str = "",
        prices: tuple[DatedPrice, ...] = (),
        reachability: Reachability = Reachability(),
    ) -> None:
        """Add a plug-in; its name and aliases must not be taken yet.

        `settings` are what it reads; unless `available` is given, it is offered when every
        required one is set (always, if none is). `requires` says what a user sets to make it
        available (shown by `interview-platform doctor`); by default, its required settings."""
        needed = [setting.variable for setting in settings if setting.required]
        plugin = ProviderPlugin(
            _canonical(name),
            factory,
            available if available is not None else _all_set(tuple(needed)),
            note,
            aliases,
            requires or " and ".join(needed),
            settings,
            default_model,
            prices,
            reachability,
        )
        foreign = [price for price in prices if _canonical(price.provider) != plugin.name]
        if foreign:
            raise ConfigurationError(
                f"AI provider '{plugin.name}' lists a price for another provider, "
                f"'{foreign[0].provider}'; its prices must name '{plugin.name}'."
            )
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

    def plugins(self) -> list[ProviderPlugin]:
        """Every plug-in, by name."""
        return [self._plugins[name] for name in self.names()]

    def secrets(self, settings: Settings) -> tuple[str, ...]:
        """Every plug-in's secret values that are set: API keys the logs must mask."""
        return tuple(secret for plugin in self.plugins() for secret in plugin.secrets(settings))

    def model_for(self, name: str, settings: Settings) -> str:
        """The model a provider uses when a session names none."""
        plugin = self.plugin(name)
        return configured_model(settings, plugin.name, plugin.default_model)

    def prices(self) -> tuple[DatedPrice, ...]:
        """Every plug-in's dated list prices."""
        return tuple(price for plugin in self.plugins() for price in plugin.prices)

    def load_entry_points(self) -> None:
        """Let each installed package in the `interview_platform.providers` entry point group
        register its plug-ins. One that fails is skipped, with the reason logged and kept in
        `skipped`, so a broken package never stops the app."""
        for entry in entry_points(group=ENTRY_POINT_GROUP):
            try:
                _registrar(entry.load())(self)
            except Exception as exc:  # a third party's code: any failure skips it
                reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                self.skipped[entry.name] = f"skipped ({entry.value}{_from(entry)}): {reason}"
                log.warning(
                    "The AI provider plug-in '%s' was %s", entry.name, self.skipped[entry.name]
                )

    def _known(self) -> str:
        def described(plugin: ProviderPlugin) -> str:
            return f"{plugin.name} ({', '.join(plugin.aliases)})" if plugin.aliases else plugin.name

        return ", ".join(described(self._plugins[name]) for name in self.names())


def default_registry() -> ProviderRegistry:
    """The built-in plug-ins (OpenAI, Anthropic, Ollama, OpenAI-compatible), then those that
    installed packages add through the `interview_platform.providers` entry points."""
    from interview_platform.providers import anthropic, ollama, openai

    registry = ProviderRegistry()
    for plugin in (openai, anthropic, ollama):
        plugin.register(registry)
    registry.load_entry_points()
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


def _all_set(variables: tuple[str, ...]) -> Precondition:
    return lambda settings: all(settings.value_of(variable) for variable in variables)


def _registrar(loaded: object) -> Callable[[ProviderRegistry], None]:
    """What an entry point names: a module with `register(registry)`, or that function."""
    register = getattr(loaded, "register", None) if isinstance(loaded, ModuleType) else loaded
    if not callable(register):
        raise TypeError("it names neither a function nor a module with register(registry)")
    return register  # type: ignore[no-any-return]


def _from(entry: EntryPoint) -> str:
    distribution = entry.dist
    return f" from the package {distribution.name}" if distribution is not None else ""
