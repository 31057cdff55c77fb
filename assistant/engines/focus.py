"""Conversation state from the messages alone: which practices are in focus for this question.

Clients (the API, OpenAI-compatible ones) send only the messages, so the state is derived from
them each time: the practices an earlier turn named (in the user's question, else in the reply,
resolved against the store's titles and acronyms) carry over to a question that refers back
("it", "which one", "the other one", "what about X?"). A question that names a new scope (a
practice, a country, "which practices ...") starts fresh, and a refused turn ("The documents do
not say ...") is skipped: neither its question nor the practices its reply offered as pointers
become the topic of the next.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.engines import forms
from assistant.engines.geography import places
from assistant.engines.index import Snapshot
from assistant.engines.names import mentions, without_names
from assistant.engines.render import short_title
from assistant.routing import is_description
from assistant.types import Message
from assistant.vocabulary import content_terms, fold

REFUSAL = "The documents do not say"
SHORT_TERMS = 4  # a question with this few content words and no name of its own leans on the conversation

# Words by which a question points back at what was said, in the supported languages.
_BACK = re.compile(
    r"\b(it|its|they|them|their|this|that|these|those|one|ones|both|either|each|former|latter|"
    r"es|ihm|ihn|ihr|ihre|ihren|dies|diese|dieses|beide|beiden|davon|darunter|"
    r"il|elle|ils|elles|lui|leur|leurs|celui|celle|ceux|lequel|laquelle|"
    r"el|ella|ellos|ellas|este|esta|estos|esa|ese|cual|ambos|"
    r"esso|essa|essi|questo|questa|quello|quella|entrambi|"
    r"ono|ona|jego|jej|ich|ten|ta|to|tego|oba|obie|"
    r"jis|ji|jie|jo|jos|tas|ta|abu)\b"
)
_OTHER = re.compile(
    r"\b(the other( one)?|der andere|die andere|das andere|l'autre|el otro|la otra|l'altro|l'altra|"
    r"drugi|druga|drugie|kitas|kita)\b"
)
_WHAT_ABOUT = re.compile(
    r"^\s*(and\s+)?(what|how)\s+about\b|^\s*and\s+(for\s+)?(the\s+)?|^\s*(und|et|y|e|i|o|ir)\s+"
    r"|^\s*(was ist mit|und was ist mit|et pour|et qu'en est-il|y (que hay de|qué hay de)|e per|"
    r"a co z|o kaip)\b"
)
# "How does it compare with X?", "Is it older than X?": a named practice set against the one(s) in
# focus. The verbs of comparing (not a comparative adjective, which asks a measure of its own).
_COMPARING = re.compile(
    r"\b(compar\w*|versus|vs|than|differ\w*|stacks? up|measures? up|against|"
    r"vergleich\w*|als|confront\w*|porown\w*|niz|palygin\w*|lygin\w*|kaip)\b"
)
_COMPARING_VERB = re.compile(r"^(compar\w*|versus|vs|differ\w*|stack|measur\w*|against)$")
# the words by which a comparing question points at the practice in focus ("one", "each" do not)
_BACK_AT_FOCUS = re.compile(
    r"\b(it|its|they|them|their|this|that|these|those|es|il|elle|ils|elles|el|ella|ellos|esso|essa|"
    r"ono|ona|jis|ji|jie)\b"
)
_SCOPE = re.compile(
    r"\b(practices|schemes|initiatives|programmes|programs|projects|examples|collection|"
    r"praktiken|pratiques|practicas|pratiche|praktyki|praktyk|praktikos|praktiku)\b"
)


@dataclass(frozen=True)
class Turn:
    """One answered exchange of the history: the practices it was about."""

    question: str
    practices: tuple[str, ...]


@dataclass(frozen=True)
class Focus:
    """The practices this question is about.

    named: what the question itself names. carried: what it takes over from the conversation
    (empty when it starts fresh). other: "the other one(s)": practices of the last wider focus
    that the last turn left out. previous: the last answered question (for "what about X?").
    """

    named: tuple[str, ...] = ()
    carried: tuple[str, ...] = ()
    fresh: bool = True
    previous: str | None = None
    elliptic: bool = False  # "what about X?", "and for Sweden?": the previous question's ask, new subject
    history: tuple[Turn, ...] = field(default_factory=tuple)

    @property
    def practices(self) -> tuple[str, ...]:
        return self.named or self.carried


def is_refusal(reply: str) -> bool:
    return not reply.strip() or reply.lstrip().startswith(REFUSAL)


def answered_turns(history: Sequence[Message], snapshot: Snapshot) -> list[Turn]:
    """The exchanges that were answered, oldest first, each with the practices it was about: the
    ones its question named, else the ones its reply named."""
    turns: list[Turn] = []
    pending: str | None = None
    for message in history:
        if message.role == "user":
            pending = message.content
            continue
        if pending is None:
            continue
        if not is_refusal(message.content):
            asked = tuple(m.practice_id for m in mentions(pending, snapshot))
            asked = _set_against(fold(pending), asked, turns) + asked
            if len(asked) > 1:  # "Which is older, A or B?" - "B is older": B first
                given = [p for p in _titled(message.content, snapshot) if p in asked]
                asked = tuple(dict.fromkeys([*given, *asked]))
            if not asked:
                asked = _titled(message.content, snapshot) or tuple(
                    dict.fromkeys(m.practice_id for m in mentions(message.content, snapshot))
                )
            turns.append(Turn(pending, asked))
        pending = None
    return turns


def _titled(reply: str, snapshot: Snapshot) -> tuple[str, ...]:
    """The practices a reply gives by their full titles (the engines' replies always do; a
    verdict names its winner by the short title), in the order it gives them: a ranking's or a
    verdict's first is its winner."""
    found = []
    for entry in snapshot.entries:
        for name in dict.fromkeys((entry.title, short_title(entry.title))):  # a verdict's short title
            at = reply.find(name)
            if at >= 0:
                found.append((at, at + len(name), entry.id))
    found.sort(key=lambda item: (item[0], -item[1]))  # by position, the longer title first
    taken: list[str] = []  # a practice named twice is taken where it is named first
    spans: list[tuple[int, int]] = []
    for start, end, pid in found:
        if any(a <= start < b for a, b in spans):  # a title inside a longer one
            continue
        spans.append((start, end))
        if pid not in taken:
            taken.append(pid)
    return tuple(taken)


def refers_back(question: str) -> bool:
    folded = fold(question)
    return bool(
        _BACK.search(folded) or _OTHER.search(folded) or _WHAT_ABOUT.search(folded) or _ORDINAL.search(folded)
    )


_ONE = re.compile(r"\b(it|its|this practice|that practice|this one|that one)\b")
# "the second one", "the first of them", "the last practice": one of the practices the last reply
# gave, by its place in it
_KIND_OR_ONE = (
    r"(one|practice|scheme|initiative|programme|project|example|of them|of these|of those|listed|on the list)"
)
_ORDINAL = re.compile(
    r"\bthe (first|second|third|fourth|fifth|last) " + _KIND_OR_ONE + r"\b(?! to\b)|"
    r"\b(der|die|das|den|dem) (erste|zweite|dritte|letzte)\w*\b|"
    r"\b(le|la) (premier|premiere|deuxieme|second|seconde|troisieme|dernier|derniere)\b|"
    r"\b(el|la) (primer|primero|primera|segundo|segunda|tercero|tercera|ultimo|ultima)\b|"
    r"\b(il|la) (primo|prima|secondo|seconda|terzo|terza|ultimo|ultima)\b|"
    r"\b(pierwsz\w+|drug(i|a|ie|iej|iego)|trzeci\w*|ostatni\w*)\b|"
    r"\b(pirm\w+|antr\w+|trec\w+|paskutin\w+)\b"
)
_PLACES = {
    "first": 0, "erste": 0, "premier": 0, "premiere": 0, "primer": 0, "primero": 0, "primera": 0, "primo": 0,
    "prima": 0, "pierwsz": 0, "pirm": 0,
    "second": 1, "zweite": 1, "deuxieme": 1, "seconde": 1, "segundo": 1, "segunda": 1, "secondo": 1,
    "seconda": 1, "drug": 1, "antr": 1,
    "third": 2, "dritte": 2, "troisieme": 2, "tercero": 2, "tercera": 2, "terzo": 2, "terza": 2, "trzeci": 2,
    "trec": 2,
    "fourth": 3, "fifth": 4,
    "last": -1, "letzte": -1, "dernier": -1, "derniere": -1, "ultimo": -1, "ultima": -1, "ostatni": -1,
    "paskutin": -1,
}  # fmt: skip
_PLACES_LONGEST_FIRST = sorted(_PLACES.items(), key=lambda item: -len(item[0]))


def _ordinal(folded: str) -> int | None:
    """The place a question points at among the last reply's practices ("the second one": 1,
    "the last one": -1), or None."""
    match = _ORDINAL.search(folded)
    if not match:
        return None
    for word in (g for g in match.groups() if g):
        for start, place in _PLACES_LONGEST_FIRST:
            if word.startswith(start):
                return place
    return None


_SEVERAL = re.compile(r"\b(?:the|these|those) (two|three|four)\b|\b(both)\b")
_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "both": 2}


def _how_many_meant(folded: str) -> int | None:
    """How many practices an English back-reference means: "it" one, "the two" / "both" two;
    None when it does not say ("they", "which one" picks among them)."""
    several = _SEVERAL.search(folded)
    if several:
        return _COUNT_WORDS[several.group(1) or several.group(2)]
    if _ONE.search(folded) and not re.search(r"\b(which|what) (one|of)\b", folded):
        return 1
    return None


def _subject(folded: str) -> tuple[str, str]:
    """The X of "what about X?" and what the question says after it."""
    match = _WHAT_ABOUT.search(folded)
    rest = folded[match.end() :] if match else folded
    subject, *after = re.split(r"[—–?,;:(]| - ", rest, maxsplit=1)
    return subject, " ".join(after)


def _asks_more(folded: str) -> bool:
    return bool(content_terms(_subject(folded)[1]))


def asks_its_own(question: str) -> bool:
    """'What about X - is any Slovenian place part of it?' asks its own question after naming X;
    'And X?' asks the previous one."""
    return _asks_more(fold(question))


def _describes_another(folded: str) -> bool:
    """'What about X?' where X describes a practice of its own ("the Alpine network of car-free
    holiday villages"), not an attribute of the one in focus ("the budget", "its members")."""
    match = _WHAT_ABOUT.search(folded)
    if match is None or match.start() > 0:
        return False
    subject = _subject(folded)[0]
    return is_description(subject) and not _BACK.search(subject)


MAX_SET_AGAINST = 2  # "compare it with X and Y" sets at most this many named practices against it


def _sets_against_focus(folded: str) -> bool:
    """'How does it compare with X?', 'Is it older than X?', 'X versus them?'."""
    return bool(_COMPARING.search(folded)) and bool(_BACK_AT_FOCUS.search(folded))


def _set_against(folded: str, named: tuple[str, ...], turns: Sequence[Turn]) -> tuple[str, ...]:
    """The practices in focus that a comparing question sets its named practice against ("How
    does it compare with X?": the one the last answered turn was about), or () when it does not
    compare with them."""
    if not named or len(named) > MAX_SET_AGAINST or not _sets_against_focus(folded):
        return ()
    last = next((t for t in reversed(turns) if t.practices), None)
    if last is None:
        return ()
    others = tuple(p for p in last.practices if p not in named)
    return others[: 2 if _how_many_meant(folded) == 2 else 1]


def _asks_of_its_own(question: str, snapshot: Snapshot) -> bool:
    """Whether a comparing question says what it compares ("How does it compare with X in
    funding?") or leaves it to the previous question ("How does it compare with X on that?")."""
    rest = without_names(question, snapshot)
    return any(not _COMPARING_VERB.match(term) for term in content_terms(rest))


def new_scope(question: str) -> bool:
    """The question sets its own scope: a country or a set of practices."""
    return bool(places(question)) or bool(_SCOPE.search(fold(question)))


def the_other_way(question: str, history: Sequence[Message]) -> tuple[str, list[Message]] | None:
    """ "And the smallest?" after a ranking: the ranking's question asked the other way round, with
    the history it was asked in (so "these" still means what it meant then); None otherwise."""
    folded = fold(question)
    if not _WHAT_ABOUT.search(folded) or _asks_more(folded):
        return None
    for at in range(len(history) - 2, -1, -1):  # the last answered question
        message, reply = history[at], history[at + 1]
        if message.role == "user" and reply.role == "assistant" and not is_refusal(reply.content):
            turned = forms.at_the_other_end(_subject(folded)[0], message.content)
            return (turned, list(history[:at])) if turned else None
    return None


def focus_of(question: str, history: Sequence[Message], snapshot: Snapshot) -> Focus:
    """What the question is about, given the conversation so far."""
    named = tuple(m.practice_id for m in mentions(question, snapshot))
    turns = answered_turns(history, snapshot)
    previous = turns[-1].question if turns else None
    folded = fold(question)
    elliptic = bool(_WHAT_ABOUT.search(folded)) and previous is not None
    against = _set_against(folded, named, turns)
    if against:
        # "How does it compare with X on that?": the one in focus and X; "on that" (nothing asked
        # of its own) takes the previous question's ask
        own = _asks_of_its_own(question, snapshot)
        return Focus(against + named, (), False, previous, not own, tuple(turns))
    if named or not turns:
        return Focus(named, (), True, previous, elliptic and bool(named), tuple(turns))
    if elliptic and _describes_another(folded):  # "what about the Alpine network of ...?": a new subject
        # ... with the previous question's ask unless it asks its own ("... - is X part of it?")
        return Focus((), (), True, previous, not _asks_more(folded), tuple(turns))
    short = len(content_terms(question)) <= SHORT_TERMS
    # "What about the one in Estonia?": a place names a new subject, even said as "the one"
    if new_scope(question) and (elliptic or not refers_back(question)):
        return Focus((), (), True, previous, elliptic, tuple(turns))
    if not (refers_back(question) or short):
        return Focus((), (), True, previous, False, tuple(turns))
    last = next((t for t in reversed(turns) if t.practices), None)
    if last is None:
        return Focus((), (), True, previous, elliptic, tuple(turns))
    carried = last.practices
    place = _ordinal(folded)
    if place is not None and len(carried) > 1 and (place < len(carried)):
        return Focus((), (carried[place],), False, previous, elliptic, tuple(turns))
    wanted = _how_many_meant(folded)
    if wanted == 1 and len(carried) > 1 and not _OTHER.search(folded):
        carried = carried[:1]  # "it" after a ranking or a list: the one given first
    elif wanted and wanted > len(carried):  # "which of the two": this turn's and the ones before
        for turn in reversed(turns):
            carried = tuple(dict.fromkeys(carried + turn.practices))
            if len(carried) >= wanted:
                break
        carried = carried[:wanted]
    if _OTHER.search(folded):
        wider = next((t for t in reversed(turns) if len(t.practices) > len(carried)), None)
        if wider is not None:
            carried = tuple(p for p in wider.practices if p not in last.practices) or carried
        elif len(turns) >= 2 and len(carried) >= 2:
            carried = tuple(p for p in carried if p not in turns[-1].practices) or carried
    return Focus((), carried, False, previous, elliptic, tuple(turns))
