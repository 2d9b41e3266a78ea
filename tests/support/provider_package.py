"""A third-party package that adds an AI provider, installed for real into a folder: its module
and a `*.dist-info` with `METADATA` and `entry_points.txt`, which importlib.metadata finds once
the folder is on `sys.path` (or PYTHONPATH for a subprocess). Nothing of the app is edited.

The provider is "acme": ACME_API_KEY (a secret) makes it available, ACME_BASE_URL says where
its API is, its default model is `acme-chat-1`.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

PROVIDER = "acme"
KEY = "ACME_API_KEY"
BASE_URL = "ACME_BASE_URL"
DEFAULT_MODEL = "acme-chat-1"
MODULE = "acme_interview_provider"

PLUGIN_SOURCE = textwrap.dedent(
    f'''
    """The Acme provider for interview-platform: its own settings, model, prices and URL."""

    from datetime import date

    from interview_platform.core.pricing import DatedPrice
    from interview_platform.errors import AIProviderError
    from interview_platform.providers.registry import (
        ProviderRegistry,
        ProviderSetting,
        Reachability,
    )


    def create(settings, model=None):
        raise AIProviderError("Acme is a test provider; nothing is called.")


    def register(registry: ProviderRegistry) -> None:
        registry.register(
            "{PROVIDER}",
            create,
            note="key set",
            settings=(
                ProviderSetting("{KEY}", secret=True, required=True),
                ProviderSetting("{BASE_URL}"),
            ),
            default_model="{DEFAULT_MODEL}",
            prices=(DatedPrice("{PROVIDER}", "{DEFAULT_MODEL}", date(2026, 1, 1), 0.001, 0.002),),
            reachability=Reachability("{BASE_URL}", "https://api.acme.invalid"),
        )
    '''
)


def install_provider_package(folder: Path, *also: str) -> Path:
    """Write the package into `folder` (made if needed) and return it. `also`: more entry
    points in its group, as `name = target` lines (e.g. a damaged one)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{MODULE}.py").write_text(PLUGIN_SOURCE, encoding="utf-8")
    info = folder / "acme_interview_provider-1.0.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: acme-interview-provider\nVersion: 1.0\n", encoding="utf-8"
    )
    lines = [f"{PROVIDER} = {MODULE}:register", *also]
    entry_points = "[interview_platform.providers]\n" + "".join(f"{line}\n" for line in lines)
    (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")
    return folder
