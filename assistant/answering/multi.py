"""Questions about several practices ("which practices ...", "how do A and B differ"): the best
answering sentence of each practice that is about the question, for each part of the question.

A stopgap until list / count / rank / compare get engines of their own: it keeps the extractive
answer to such questions working, with the same signals as a lookup (learned relevance, the asked
kind of answer, the template sections).
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answering.answerability import answers
from assistant.answering.relevance import Relevance
from assistant.answering.scoring import Scored, idf, score, share
from assistant.answering.sentences import Sentence
from assistant.question import Intent, analyse, parts, selects_practices
from assistant.vocabulary import REFERS_BACK, WORD, content_terms

CANDIDATES = 8  # sentences per practice judged by the relevance model (the likeliest by words)
MULTI_RELEVANCE = 0.0  # a practice's best sentence must reach this to count as about the question


def answer_several(
    relevance: Relevance | None,
    max_practices: int,
    question: str,
    intent: Intent,
    found: list[Sentence],
    k: int,
) -> list[Sentence]:
    """The chosen sentences, practice by practice in retrieval order (at most max_practices)."""
    order = list(dict.fromkeys(s.practice for s in found if s.rank < k))
    titles = {s.practice: s.title for s in found}
    named = _named(question, order, titles)
    # a practice the question names needs only a sentence of the asked kind; others must be about it
    floor = float("-inf") if named else MULTI_RELEVANCE
    if named:
        order = named
    weights = idf(list(dict.fromkeys(intent.terms)), found)
    pieces = parts(question)
    questions: list[tuple[str, Intent]] = []
    for n, part in enumerate(pieces):
        if len(pieces) > 1 and n == 0 and selects_practices(part):
            continue  # "which practices are X, and what ...": the later parts ask something of each
        about = part if n == 0 or not REFERS_BACK.search(part) else f"{part} {pieces[0]}"
        questions.append((about, analyse(about) if len(pieces) > 1 else intent))
    chosen: list[Sentence] = []
    for pid in order:
        own = [s for s in found if s.practice == pid]
        mine: list[Sentence] = []
        for about, part_intent in questions or [(question, intent)]:
            best = _best(relevance, about, part_intent, own, weights, titles[pid], floor)
            if best is not None and all(not best.sentence.overlaps(x) for x in mine):
                mine.append(best.sentence)
        chosen.extend(mine)
        if len({s.practice for s in chosen}) >= max_practices:
            break
    return chosen


def _best(
    relevance: Relevance | None,
    query: str,
    intent: Intent,
    own: Sequence[Sentence],
    weights: dict[str, float],
    title: str,
    floor: float,
) -> Scored | None:
    terms = [t for t in intent.terms if t in weights]
    likely = sorted(own, key=lambda s: share(terms, weights, s.terms) - 0.02 * s.rank, reverse=True)
    scored = score(relevance, query, intent, likely[:CANDIDATES], weights, frozenset(content_terms(title)))
    for c in scored:
        if answers(intent, c.sentence) and c.relevance >= floor:
            return c
    return None


def names_several(question: str, found: Sequence[Sentence]) -> bool:
    """The question names two or more of the practices of these sentences ("do A and B ...")."""
    order = list(dict.fromkeys(s.practice for s in found))
    return len(_named(question, order, {s.practice: s.title for s in found})) >= 2


def _named(question: str, order: list[str], titles: dict[str, str]) -> list[str]:
    """ "How do Alpha Valley and the Beta Cluster compare": the practices the question names by a
    capitalised word of their title that at most two practices share (two or more of them)."""
    capitalised = {w.lower() for w in WORD.findall(question)[1:] if w[:1].isupper()}
    if not capitalised or selects_practices(question):
        return []
    words = {pid: {w.lower() for w in WORD.findall(titles[pid])} for pid in order}
    names = {w for w in capitalised if 1 <= sum(1 for pid in order if w in words[pid]) <= 2}
    named = [pid for pid in order if names & words[pid]]
    # each by a word of its own: in "the Cluj IT Cluster", "Cluster" names no second practice
    named = [
        pid for pid in named if (names & words[pid]) - set().union(*(words[o] for o in named if o != pid))
    ]
    return named if len(named) >= 2 else []
