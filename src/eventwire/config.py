"""Typed, layered settings, validated at start-up.

Order (later wins, key by key): package defaults → a TOML file (``--config`` or
``EVENTWIRE_CONFIG``, else ``./eventwire.toml`` if present) → environment variables
``EVENTWIRE_<NAME>`` (e.g. ``EVENTWIRE_DB``, ``EVENTWIRE_MAX_BYTES``). Every setting is listed
in docs/settings.md; a test checks that.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import tomllib
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ConfigError


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    db: str = Field("sqlite:///eventwire.db", description="SQLAlchemy URL of the store.")
    max_bytes: int = Field(
        50_000_000,
        gt=0,
        description="Largest input file read; bigger files are rejected without being read.",
    )
    max_warc_bytes: int = Field(
        4_000_000_000,
        gt=0,
        description="Largest WARC file read (each of its records is also held to max_bytes); bigger "
        "files are rejected without being read. A Common Crawl news WARC is about 1 GB.",
    )
    max_article_chars: int = Field(
        100_000,
        gt=0,
        description="Length budget of one article body. A longer article is split at paragraph "
        "boundaries into parts within the budget (long_articles=split) or rejected with its "
        "length (long_articles=reject). A 950,000-character article took 4 minutes and 2.9 GB.",
    )
    long_articles: Literal["split", "reject"] = Field(
        "split", description="What happens to an article over max_article_chars: split or reject."
    )
    batch_size: int = Field(32, gt=0, description="Articles per nlp.pipe batch.")
    kb_paths: list[str] = Field(
        default_factory=list, description="Extra actor knowledge-base files (YAML/JSONL) to load."
    )
    executor: str = Field("local", description="Executor: local or dask.")
    workers: int = Field(1, gt=0, description="Worker processes for the executor.")
    scheduler: str | None = Field(None, description="Dask scheduler address (tcp://HOST:8786).")
    token: str | None = Field(None, description="Bearer token for write API endpoints; unset = off.")
    reviewers: dict[str, str] = Field(
        default_factory=dict,
        description="Named write tokens, one per reviewer (`{alice = \"TOKEN\"}` in TOML; "
        "`alice=TOKEN,bob=TOKEN` in the environment): each works like `token`, and the review "
        "records the name of the token that made it (`token` alone reviews as `editor`).",
    )
    tile_url: str | None = Field(None, description="Map tile URL template; unset = offline basemap.")
    host: str = Field("127.0.0.1", description="Address `serve` binds.")
    port: int = Field(8000, gt=0, lt=65536, description="Port `serve` binds.")
    max_request_bytes: int = Field(5_000_000, gt=0, description="Largest API request body.")
    user_agent: str = Field(
        "eventwire/0.1 (+https://github.com/eventwire/eventwire)",
        description="User-Agent for fetching URLs and feeds.",
    )
    fetch_timeout: float = Field(20.0, gt=0, description="Seconds before a fetch times out.")
    host_delay: float = Field(1.0, ge=0, description="Minimum seconds between requests to one host.")
    cluster: bool = Field(True, description="Link near-duplicates and cluster stories at ingest.")
    coder: str = Field("learned.v1", description="Event coder: learned.v1 (trained classifier) or rules.v1 (lexicon).")
    coder_model: str | None = Field(
        None, description="Path of a model written by `eventwire train`; unset = the shipped model."
    )
    min_confidence: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Events below this calibrated confidence are hidden from listings and exports "
        "(0 shows all; chosen from the reliability table in docs/events.md).",
    )
    fetch_allow: tuple[str, ...] = Field(
        (),
        description="Hosts (`intranet.example`, `.example.org` with subdomains) or networks "
        "(`10.0.0.0/8`, `127.0.0.1`) that URL and feed fetches may reach although they are "
        "loopback, private or link-local; empty = public addresses only. Comma-separated in the "
        "environment.",
    )

    allowed_hosts: tuple[str, ...] = Field(
        ("localhost", "127.0.0.1", "::1"),
        description="Host names `serve` answers to (the request's Host header, port ignored): "
        "`news.example.org`, `.example.org` for the domain and its subdomains, `*` for any. Other "
        "hosts get 400, so a web page cannot read the API through DNS rebinding. The `host` setting, "
        "when it is a concrete address, is allowed too. Comma-separated in the environment.",
    )

    @field_validator("reviewers", mode="before")
    @classmethod
    def _split_reviewers(cls, v: Any) -> Any:
        if isinstance(v, str):  # the environment: name=token,name=token
            pairs = [p.strip() for p in v.split(",") if p.strip()]
            bad = [p.split("=", 1)[0] for p in pairs if "=" not in p or not p.split("=", 1)[1].strip()]
            if bad:
                raise ValueError(f"give reviewers as name=token,name=token (no token for {bad[0]!r})")
            return {n.strip(): t.strip() for n, t in (p.split("=", 1) for p in pairs)}
        return v

    @field_validator("reviewers")
    @classmethod
    def _check_reviewers(cls, v: dict[str, str]) -> dict[str, str]:
        for name, tok in v.items():
            if not name.strip() or len(name) > 100:
                raise ValueError("a reviewer name has 1 to 100 characters")
            if len(tok) < 8:
                raise ValueError(f"reviewer {name!r}: a token has at least 8 characters")
        if len(set(v.values())) != len(v):
            raise ValueError("two reviewers share a token: the review could not say who made it")
        return v

    @field_validator("fetch_allow", "allowed_hosts", mode="before")
    @classmethod
    def _split_allow(cls, v: Any) -> Any:
        # Commas, not the path separator: IPv6 networks contain colons.
        return tuple(x.strip() for x in v.split(",") if x.strip()) if isinstance(v, str) else v


def _env_overrides() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, f in Settings.model_fields.items():
        raw = os.environ.get(f"EVENTWIRE_{name.upper()}")
        if raw is None:
            continue
        if f.annotation == list[str]:
            out[name] = [p for p in raw.split(os.pathsep) if p]
        else:
            out[name] = raw
    return out


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Build settings from defaults, a TOML file, the environment and explicit overrides."""
    data: dict[str, Any] = {}
    cfg = path or os.environ.get("EVENTWIRE_CONFIG")
    if cfg is None and Path("eventwire.toml").is_file():
        cfg = "eventwire.toml"
    if cfg is not None:
        try:
            with open(cfg, "rb") as fh:
                data.update(tomllib.load(fh))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"config file {cfg}: {exc}; fix or remove it") from exc
    data.update(_env_overrides())
    data.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings(**data)
    except ValidationError as exc:
        probs = "; ".join(
            f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"invalid settings: {probs}") from exc
