"""Instructions about an answer's form, as an OpenAI client gives them in a system message.

Praxis's answers quote the documents, so tone, persona, language or style instructions cannot
change them; a limit on the number of sentences can be honoured. `sentence_limit(text)` reads one
from English instructions ("answer in one sentence", "at most 3 sentences", "no more than two
sentences", "fewer than four sentences", "keep it to a single sentence"); `shorten(answer, n)`
keeps the first n sentences of an answer and the citations they carry, and `shortened(events, n)`
does the same to an answer stream. An abstention ("the documents do not say ...") is never cut:
its pointers to the nearest practices are the useful part.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator

from assistant.types import Answer, Completed, Event, TextDelta
from assistant.vocabulary import MARKER, number_words_to_digits

MAX_SENTENCE_LIMIT = 20  # a larger "limit" is not one an answer of a few sentences would meet

# "<count> [short|full|...] sentence(s)", after number words became digits
_COUNTED = re.compile(
    r"(?P<before>(?:\b[\w'’]+\W+){0,3})(?P<n>\b\d{1,2}|\ba single|\bone single|\bsingle)\s+"
    r"(?:(?:short|brief|full|complete|concise|clear|simple)\s+)?sentences?\b",
    re.IGNORECASE,
)
# words before a count that make it a minimum, not a limit
_MINIMUM = re.compile(
    r"\b(at least|(?<!no )(?<!not )(?<!never )more than|over|minimum|min|no fewer than|no less than)\W*$",
    re.IGNORECASE,
)
_FEWER_THAN = re.compile(r"\b(fewer|less) than\W*$", re.IGNORECASE)

# the end of an answer sentence: . ! ? (closing quotes or brackets), the citation markers that
# follow it, then white space and the start of the next sentence; or a line break
_END = re.compile(r"[.!?…]+[\"'”’)]*(?P<markers>(?:\s*\[\d{1,3}\])*)(?=\s)|\n")
_OPENERS = "\"'“‘(•-–*"
# a full stop without citation markers after it that ends an abbreviation or an initial, not a
# sentence: "e.g.", "i.e.", "etc.", "approx.", "J." (English usage)
_ABBREVIATION = re.compile(
    r"(?:\b(?:[a-z]\.){2,}|\b(?:etc|vs|cf|approx|incl|excl|esp|resp|no|nr|ca|mr|mrs|ms|dr|prof|st)\.|\b[A-Z]\.)$",
    re.IGNORECASE,
)


def sentence_limit(instructions: str) -> int | None:
    """The most sentences an answer may have, as the instructions state it, or None when they
    state no limit. The smallest of several limits wins; a minimum ("at least 3 sentences") is
    not a limit."""
    limits = []
    for match in _COUNTED.finditer(number_words_to_digits(instructions)):
        before, count = match.group("before"), match.group("n").lower()
        if _MINIMUM.search(before):
            continue
        n = int(count) if count.isdigit() else 1
        if _FEWER_THAN.search(before):
            n -= 1
        if 1 <= n <= MAX_SENTENCE_LIMIT:
            limits.append(n)
    return min(limits) if limits else None


def sentence_ends(text: str) -> list[int]:
    """Where each complete sentence of an answer ends (after its citation markers).

    A sentence is complete when the start of the next one follows it (a capital, a digit, an
    opening quote or bullet) or a line break does, so the ends found in the first part of a
    streamed answer are ends of the whole answer too.
    """
    ends: list[int] = []
    for match in _END.finditer(text):
        line_break = match.group() == "\n"
        end = match.start() if line_break else match.end()
        rest = text[match.end() :].lstrip()
        starts_next = bool(rest) and (rest[0].isupper() or rest[0].isdigit() or rest[0] in _OPENERS)
        if starts_next and not match.group("markers") and _ABBREVIATION.search(text[: match.end()]):
            continue
        if (line_break or starts_next) and text[ends[-1] if ends else 0 : end].strip():
            ends.append(end)
    return ends


def shorten_text(text: str, n: int) -> str:
    """The first n sentences of an answer text (all of it when it has no more)."""
    ends = sentence_ends(text)
    return text[: ends[n - 1]].rstrip() if len(ends) >= n else text


def shorten(answer: Answer, n: int) -> Answer:
    """The answer cut to its first n sentences, with only the citations whose markers remain.
    Abstentions are returned whole."""
    if answer.abstained:
        return answer
    text = shorten_text(answer.text, n)
    if text == answer.text:
        return answer
    kept = {int(m) for m in MARKER.findall(text)}
    return dataclasses.replace(answer, text=text, citations=[c for c in answer.citations if c.n in kept])


def shortened(events: Iterable[Event], n: int) -> Iterator[Event]:
    """An answer stream cut to its first n sentences: TextDeltas that join to exactly the text of
    the final Completed, which carries `shorten(answer, n)`. Text is passed on as soon as it is
    known to belong to the first n sentences."""
    received = sent = ""
    for event in events:
        if isinstance(event, TextDelta):
            received += event.text
            ends = sentence_ends(received)
            upto = ends[n - 1] if len(ends) >= n else len(received.rstrip())
            if upto > len(sent):
                yield TextDelta(received[len(sent) : upto])
                sent = received[:upto]
            continue
        assert isinstance(event, Completed)
        final = shorten(event.answer, n)
        # what was sent is a prefix of the final text: an end once found stays an end
        if final.text.startswith(sent) and len(final.text) > len(sent):
            yield TextDelta(final.text[len(sent) :])
        yield Completed(final)
