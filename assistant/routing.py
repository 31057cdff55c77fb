"""Which engine answers a question: a small learned router, with the question's structure.

Two signals, in this order of authority:

1. What the question's structure settles: how many practices it names (or the conversation has
   in focus), and general question forms of the supported languages (assistant.engines.forms):
   "summarise ... in three points" about one practice is a summary; "which practice fits us" with
   no practice named is a transfer question; two practices and a comparative ("which is older,
   A or B") a comparison; "which practices ...", a threshold or a superlative over no named
   practice a catalog question; one named practice a lookup.
2. Otherwise, what the question means: a multinomial logistic regression over the multilingual
   embedder's vectors of labelled example questions (assistant/data/route_examples.jsonl, in the
   supported languages; the practices they name are invented), restricted to the routes the
   structure allows. No keyword list decides what a question is about.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.engines import forms
from assistant.engines.measures import measure_of
from assistant.engines.scope import names_only_a_place
from assistant.vocabulary import fold

log = logging.getLogger(__name__)

LOOKUP = "lookup"  # one practice, one fact
CATALOG = "catalog"  # list, count, filter, rank practices
COMPARE = "compare"  # two named practices, with a verdict
SUMMARY = "summary"  # one practice in a few cited points
TRANSFER = "transfer"  # which practice fits a region, and what it would take
ROUTES = (LOOKUP, CATALOG, COMPARE, SUMMARY, TRANSFER)
EXAMPLES_FILE = "route_examples.jsonl"
REGULARISATION = 0.01  # L2 weight of the logistic regression (on centred, scaled vectors)
TRAIN_STEPS = 400
MAX_COMPARED = 2  # more named practices than this are ranked by the catalog

# "the Lithuanian cluster mentoring project": a singular definite description of one practice
_KINDS = (
    r"(project|scheme|programme|program|cluster|network|"
    r"cooperative|association|initiative|service|centre|center|plan|voucher|label|model|farm|island|"
    r"agency|pilot|system|society|grant|hub|park|incubator|programa|proyecto|projet|programm|progetto|"
    r"projekt|projektas|approach|method|idea|concept)"
)
# ... not a plural ("the projects"), nor the modifier of one ("the innovation voucher schemes")
_ONE_KIND = _KINDS + r"\b(?![-'’]?s\b)(?!\s+" + _KINDS + r"(e?s)\b)"
_DESCRIBES_ONE = re.compile(r"\b(the|its|this|that)\s+([\w'’-]+\s+){0,4}" + _ONE_KIND)
# "the Lithuanian cluster mentoring approach": described by words of its own, not only "the model"
_DESCRIBED = re.compile(r"\b(the|its|this|that)\s+([\w'’-]+\s+){1,4}" + _ONE_KIND)


@dataclass(frozen=True)
class Signals:
    """What the question's context tells the router: the practices it names and, when it refers
    back, the practices the conversation has in focus."""

    named: int = 0
    in_focus: int = 0


@dataclass(frozen=True)
class Route:
    """The route of a question, how sure the learned signal is of it (its probability), the
    learned probabilities of every route, and what decided ("form" or "learned")."""

    name: str
    confidence: float
    votes: dict[str, float] = field(default_factory=dict)
    by: str = "learned"


def load_examples() -> list[tuple[str, str]]:
    """The packaged (route, question) examples."""
    text = resources.files("assistant.data").joinpath(EXAMPLES_FILE).read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [(row["route"], row["question"]) for row in rows]


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def train_logistic(x: np.ndarray, y: np.ndarray, classes: int, *, l2: float, steps: int) -> np.ndarray:
    """Weights (features + 1) x classes of a multinomial logistic regression, by gradient descent
    with an L2 penalty (deterministic: zero start, fixed steps)."""
    xb = np.hstack([x, np.ones((len(x), 1), dtype=x.dtype)])
    w = np.zeros((xb.shape[1], classes), dtype=np.float64)
    target = np.eye(classes)[y]
    rate = 0.5
    for _ in range(steps):
        p = _softmax(xb @ w)
        grad = xb.T @ (p - target) / len(xb) + l2 * np.vstack([w[:-1], np.zeros((1, classes))])
        w -= rate * grad
    return w


class Router:
    """Routes a question by its structure, then by a logistic regression over the embeddings of
    labelled examples."""

    def __init__(
        self,
        embeddings: Embeddings,
        examples: Sequence[tuple[str, str]] | None = None,
        *,
        cache_dir: Path | None = None,
        l2: float = REGULARISATION,
    ) -> None:
        self.embeddings = embeddings
        self.examples = list(examples) if examples is not None else load_examples()
        unknown = {route for route, _ in self.examples} - set(ROUTES)
        if unknown:
            raise ValueError(f"unknown routes in the examples: {sorted(unknown)}; use {ROUTES}")
        self.cache_dir = cache_dir
        self.l2 = l2
        self._weights: np.ndarray | None = None
        self._centre: np.ndarray | None = None
        self._scale = 1.0
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Embed the examples and fit the regression now rather than at the first question."""
        self._model()

    def _key(self) -> str:
        model = str(getattr(self.embeddings, "model_name", type(self.embeddings).__name__))
        return hashlib.sha256(
            json.dumps([model, self.examples], ensure_ascii=False).encode("utf-8")
        ).hexdigest()[:16]

    def _cache_file(self) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"route-examples-{self._key()}.npy"

    def _packaged_vectors(self) -> np.ndarray | None:
        """The example vectors shipped with the package, when they are of this embedder and
        these examples (so a first question does not wait for 150 example embeddings)."""
        try:
            raw = resources.files("assistant.data").joinpath(f"route-examples-{self._key()}.npy").read_bytes()
        except (FileNotFoundError, OSError):
            return None
        vectors = np.load(io.BytesIO(raw))
        return np.asarray(vectors, dtype=np.float64) if vectors.shape[0] == len(self.examples) else None

    def _example_vectors(self) -> np.ndarray:
        packaged = self._packaged_vectors()
        if packaged is not None:
            return packaged
        path = self._cache_file()
        if path is not None and path.exists():
            try:
                cached = np.load(path)
                if cached.shape[0] == len(self.examples):
                    return np.asarray(cached, dtype=np.float64)
            except (OSError, ValueError):
                log.warning("route example cache unreadable path=%s; re-embedding", path)
        vectors = np.asarray([self.embeddings.embed_query(q) for _, q in self.examples], dtype=np.float64)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                np.save(path, vectors.astype(np.float32))
            except OSError:
                log.warning("cannot write the route example cache path=%s", path)
        return vectors

    def _model(self) -> np.ndarray:
        with self._lock:
            if self._weights is None:
                # the embedder's vectors share a large common part: centred and scaled, the
                # regression sees what tells the examples apart
                x = _unit(self._example_vectors())
                self._centre = x.mean(axis=0)
                self._scale = 1.0 / max(float(np.sqrt(((x - self._centre) ** 2).sum(axis=1).mean())), 1e-9)
                y = np.asarray([ROUTES.index(r) for r, _ in self.examples])
                features = (x - self._centre) * self._scale
                self._weights = train_logistic(features, y, len(ROUTES), l2=self.l2, steps=TRAIN_STEPS)
            return self._weights

    def learned(self, question: str) -> dict[str, float]:
        """The regression's probability of each route."""
        weights = self._model()
        q = _unit(np.asarray([self.embeddings.embed_query(question)], dtype=np.float64))
        q = (q - self._centre) * self._scale
        p = _softmax(np.hstack([q, np.ones((1, 1))]) @ weights)[0]
        return {route: float(p[i]) for i, route in enumerate(ROUTES)}

    def route(self, question: str, signals: Signals | None = None) -> Route:
        """The route of a question (never raises for an odd question: lookup is the default)."""
        signals = signals or Signals()
        decided = by_form(question, signals)
        if decided is not None:  # no embedding needed
            return Route(decided, 1.0, {}, "form")
        votes = self.learned(question)
        allowed = allowed_routes(question, signals)
        name = max(allowed, key=lambda r: votes[r])
        return Route(name, votes[name], votes, "learned")


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)


def _two_alternatives(question: str) -> bool:
    """Offers two described things to choose between, neither a number ("A or B")."""
    offered = forms.alternatives(question)
    return len(offered) == 2 and all(
        len(re.findall(r"[^\W\d_]{3,}", part)) >= 2 and not re.search(r"\d", part) for part in offered
    )


def describes_one(question: str) -> bool:
    """Names one practice by description ("the Tipperary community wind farm")."""
    folded = fold(question)
    return bool(_DESCRIBES_ONE.search(folded)) and not re.search(r"\bthe (collection|documents)\b", folded)


def describes_one_in_own_words(question: str) -> bool:
    """Names one practice by words of its own ("the Lithuanian cluster mentoring approach"), not
    only by its kind ("the network")."""
    return bool(_DESCRIBED.search(fold(question)))


# a phrase that is itself such a description: "the Alpine network of ...", not "the funding of
# the project"
_LEADS_WITH_DESCRIPTION = re.compile(
    r"^\s*(the\s+)?(?:(?!(of|the|for|in|on|to)\b)[\w'’-]+\s+){1,4}" + _ONE_KIND
)
# ... which picks one of those in focus rather than describing another ("the older scheme")
_PICKS = re.compile(r"\b(first|second|third|last|other|same|former|latter)\b")


def is_description(phrase: str) -> bool:
    """The phrase describes one practice in its own words ("the Alpine network of car-free holiday
    villages", "the Swedish cluster programme"), not an attribute of one ("the funding of the
    project") nor only its kind ("the network")."""
    if forms.comparative(phrase) or forms.superlative(phrase) or _PICKS.search(fold(phrase)):
        return False
    return bool(_LEADS_WITH_DESCRIPTION.search(fold(phrase)))


def by_form(question: str, signals: Signals) -> str | None:
    """The route the question's structure settles, or None to let the learned signal choose."""
    named = signals.named
    in_scope = named or signals.in_focus
    if forms.summary(question) and in_scope <= 1:
        return SUMMARY
    if named == 0 and forms.own_situation(question) and not describes_one(question):
        return TRANSFER
    if in_scope >= 2 and (forms.comparative(question) or forms.superlative(question)):
        return COMPARE if in_scope <= MAX_COMPARED else CATALOG
    if named == 0 and signals.in_focus == 2 and not forms.picks_among(question) and measure_of(question):
        return COMPARE  # "What about their budgets?" after two practices were compared
    if (
        in_scope < 2
        and (forms.comparative(question) or forms.superlative(question))
        and _two_alternatives(question)
    ):
        # practices named by description ("which started first, A or B?"): the compare engine
        # looks them up
        return COMPARE
    if named <= 1 and signals.in_focus == 0 and forms.about_collection(question):
        return CATALOG
    if named == 0 and signals.in_focus == 0 and names_only_a_place(question):
        return CATALOG  # "How many come from Finland?"
    if (
        named == 0
        and signals.in_focus == 0
        and forms.asks_countries(question)
        and not describes_one(question)
    ):
        return CATALOG  # "Which countries do the practices come from?"
    if named == 0 and signals.in_focus == 0:
        one = describes_one(question)
        if not one and (forms.selects(question) or forms.superlative(question) or forms.threshold(question)):
            return CATALOG
    if named == 1:
        return LOOKUP
    return None


def allowed_routes(question: str, signals: Signals) -> list[str]:
    """The routes the structure leaves open: a comparison needs two practices, a summary at most
    one, a transfer question names none."""
    in_scope = signals.named or signals.in_focus
    one = forms.asks_one_practice(question) or (signals.named == 0 and describes_one(question))
    allowed = [LOOKUP] if one else [LOOKUP, CATALOG]
    if in_scope >= 2:
        allowed.append(COMPARE)
    if in_scope <= 1:
        allowed.append(SUMMARY)
    if signals.named == 0 and not describes_one_in_own_words(question):  # "would the X approach fit us?"
        allowed.append(TRANSFER)
    return allowed
