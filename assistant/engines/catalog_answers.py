"""How the catalog engine writes its answers: one short sentence and a Markdown list or table, one
row per practice, every figure cited to its sentence; practices without the figure listed as
"not stated" (never counted), with what their nearest sentence says when there are few."""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass, field

from assistant.engines import forms
from assistant.engines.figures import Figure, Reading
from assistant.engines.geography import places
from assistant.engines.index import Entry, Sentence
from assistant.engines.lexicon import expand
from assistant.engines.measures import BASE_UNIT, MONEY, YEAR, Condition, Measure
from assistant.engines.render import Citer, excerpt, place_of, plural, table
from assistant.engines.scope import FORM_WORDS, Scope
from assistant.question import is_foreign
from assistant.vocabulary import UNITS, fold

LONG_LIST = 20  # rows beyond which a list leaves out the description sentence
# rows a list or table shows in a chat answer (every practice of the 42 bundled ones); beyond, it
# says how many more there are and how to narrow the question (10,000 rows are not read in a chat)
SHOWN_ROWS = 50
CORE_NOUNS = {"members": ("member", "memb", "membership"), "staff": ("staff", "employee", "team")}
OUTSIDE_ROWS = 5  # practices outside a condition shown (those closest to it)
NAMED_MISSING = 40  # practices without the figure named in full; more are counted
QUOTED = 4  # practices without a figure up to which the answer quotes their nearest sentence
MORE_FIGURES = 3  # other figures of the same kind a listing shows beside the first
RANK_GAP = 4.0  # learned relevance below the best figure's by more than this: ranked after it
_URL = re.compile(r"https?://|www\.")


@dataclass
class Match:
    """A practice in the answer, with the sentence that shows it belongs (topic) and its figure."""

    entry: Entry
    evidence: Sentence | None = None
    score: float = 0.0
    reading: Reading | None = None
    value: float | None = None  # the figure on the common scale (money converted)
    more: list[Sentence] = field(default_factory=list)  # further sentences that describe it


def sentence_terms(entry: Entry) -> list[tuple[Sentence, frozenset[str]]]:
    """The practice's sentences that say something about it (not its links, contacts, sources),
    each with its content words."""
    found: list[tuple[Sentence, frozenset[str]]] = entry.kept(
        "described",
        lambda: [
            (s, entry.terms(s))
            for s in entry.sentences()
            if s.section.lower() not in ("further information", "good practice owner")
            and not _URL.search(s.text)
        ],
    )
    return found


def related(term: str, have: Set[str]) -> bool:
    """A text with these words uses the term: the word, a word of its concept class, or a word
    one of them begins ("compet" in "competition", "region" in "regional")."""
    if not expand(term).isdisjoint(have):
        return True
    if len(term) < 5:
        return False
    return any(len(word) >= 5 and (word.startswith(term) or term.startswith(word)) for word in have)


def weights_of(terms: Sequence[str], entries: Sequence[Entry]) -> dict[str, float]:
    """Rarer topic words weigh more: 1 / (share of practices that use the word)."""
    out = {}
    n = max(len(entries), 1)
    for term in terms:
        df = sum(1 for e in entries if any(related(term, have) for _, have in sentence_terms(e)))
        out[term] = n / (df + 1)
    return out


def predicate_of(question: str) -> str:
    """What the question says of the practices: 'Which practices involve district heating?' ->
    'involve district heating'."""
    first = re.split(r"(?<=[?.!])\s", question.strip())[0].rstrip("?.! ")
    first = re.split(r",?\s+and\s+(?=(what|how|which|who|when|where|why)\b)", first, flags=re.IGNORECASE)[0]
    match = re.search(r"\b(" + forms.KINDS + r"|practice)\b(.*)$", first, re.IGNORECASE)
    rest = match.group(2).strip() if match else ""
    rest = re.sub(r"^(are there|are|is|in the collection)\b\s*", lambda m: m.group(0), rest)
    return rest


# what may begin a predicate and takes no verb ending ("from Austria", "on an island")
_NO_VERB = frozenset(
    """about across after against along among around at before behind between by during for from in
    inside into like near of on outside over since that through to under which who whose with within
    without""".split()
)
_IRREGULAR = {"are": "is", "have": "has", "were": "was", "do": "does", "go": "goes"}
# past forms that do not end in -ed: they agree with one practice as they are
_PAST = frozenset(
    """got made began went took ran won had did came grew built brought gave saw paid sold spent led met
    kept held became found""".split()
)


def singular(predicate: str) -> str:
    """The predicate of one practice: "are on an island" -> "is on an island", "involve district
    heating" -> "involves district heating"; "from Austria" and "got started" stay."""
    first, _, rest = predicate.partition(" ")
    word = first.lower()
    if word in _IRREGULAR:
        verb = _IRREGULAR[word]
    elif not word.isalpha() or word in _NO_VERB | _PAST or word.endswith(("ed", "s")) or len(word) < 2:
        return predicate
    elif word.endswith(("sh", "ch", "x", "z")):
        verb = word + "es"
    elif word.endswith("y") and word[-2:-1] not in "aeiou":
        verb = word[:-1] + "ies"
    else:
        verb = word + "s"
    return f"{verb} {rest}".strip()


def _mentions_scope(predicate: str, scope: Scope) -> bool:
    folded = fold(predicate)
    words = [*scope.regions, *scope.themes]
    return (
        bool(scope.places and any(folded[a:b].strip() for a, b in scope.places.spans if a < len(folded)))
        and (any(fold(w) in folded for w in words) or not words)
        and _predicate_has_place(predicate, scope)
    )


def _predicate_has_place(predicate: str, scope: Scope) -> bool:
    return set(places(predicate).countries) >= set(scope.places.countries)


def _row_label(entry: Entry) -> str:
    return f"**{entry.title}** ({place_of(entry)})"


def listing(question: str, scope: Scope, matches: list[Match], citer: Citer, *, counting: bool) -> str:
    # what a question in another language says of the practices is not English: the answer
    # describes them by its scope alone ("6 practices from Spain"), or says they match
    english = "" if is_foreign(question) else predicate_of(question)
    predicate = english or scope.describe() or "match"
    n = len(matches)
    if n == 0:
        return f"No practice in the collection matches: {question.strip()}"
    head = f"{plural(n, 'practice')} {singular(predicate) if n == 1 else predicate}".strip()
    described = scope.describe()
    if described and described not in head and not _mentions_scope(predicate, scope):
        head += f" ({described})"
    head += ":"
    lines = [head, ""]
    for match in matches[:SHOWN_ROWS]:
        entry = match.entry
        if match.evidence is not None and n <= LONG_LIST:
            said = sorted([match.evidence, *match.more], key=lambda s: s.start)
            quoted = " ".join(f"{excerpt(s)} [{citer.cite(entry, s)}]" for s in said)
            lines.append(f"- **{entry.title}**: {quoted} ({place_of(entry)})")
        elif n <= LONG_LIST:
            first = next((s for s in entry.sentences() if not s.section.lower().startswith("further")), None)
            if first is not None:
                marker = citer.cite(entry, first)
                lines.append(
                    f"- **{entry.title}**: {excerpt(first, limit=160)} [{marker}] ({place_of(entry)})"
                )
            else:
                lines.append(f"- {_row_label(entry)}")
        else:
            citer.read(entry)
            lines.append(f"- {_row_label(entry)}")
    lines += _more(n)
    return "\n".join(lines)


def by_country(question: str, scope: Scope, matches: list[Match], citer: Citer, *, whole: bool) -> str:
    """The practices grouped by country, the countries with most practices first: the whole
    collection ("How many practices are there, and from which countries?") or the practices on a
    topic ("Which countries have practices on tourism?"). Each practice's title, cited to the
    sentence that put it on the topic (the whole collection: the titles alone); past SHOWN_ROWS
    practices, the count of each country alone."""
    groups: dict[str, list[Match]] = {}
    for match in matches:
        groups.setdefault(match.entry.meta("country") or "Country not given", []).append(match)
    order = sorted(groups, key=lambda c: (-len(groups[c]), c))
    n = len(matches)
    if n == 0:
        return f"No practice in the collection matches: {question.strip()}"
    spread = f"from {plural(len(groups), 'country')}"
    if whole:
        head = f"The collection holds {plural(n, 'practice')} {spread}:"
    else:
        english = "" if is_foreign(question) else predicate_of(question)
        said = english or scope.describe()
        head = f"{plural(n, 'practice')} {singular(said) if n == 1 else said} {spread}:".replace("  ", " ")
    lines = [head, ""]
    for name in order:
        members = groups[name]
        if n > SHOWN_ROWS:
            for match in members:
                citer.read(match.entry)
            lines.append(f"- **{name}**: {plural(len(members), 'practice')}")
            continue
        titles = []
        for match in members:
            if match.evidence is not None:
                titles.append(f"{match.entry.title} [{citer.cite(match.entry, match.evidence)}]")
            else:
                citer.read(match.entry)
                titles.append(match.entry.title)
        lines.append(f"- **{name}** ({len(members)}): " + "; ".join(titles))
    return "\n".join(lines)


def _more(n: int) -> list[str]:
    """The line after a list or table cut at SHOWN_ROWS of its n rows (none when nothing was cut)."""
    if n <= SHOWN_ROWS:
        return []
    return [
        "",
        f"… and {n - SHOWN_ROWS:,} more. Add a country, a theme or a figure to the question to narrow "
        "the list.",
    ]


def _figure_cell(
    figure: Figure, measure: Measure, value: float | None, target: str, citer: Citer, entry: Entry
) -> str:
    marker = citer.cite(entry, figure.sentence)
    shown = figure.display
    if figure.derived:
        shown = f"{_base_display(figure.value, measure)} ({figure.derived})"
    if measure.dimension == MONEY and figure.currency and figure.currency != target and value is not None:
        shown += f" (≈ {target} {_amount(value)})"
    return f"{shown} [{marker}]"


def _amount(value: float) -> str:
    if value >= 1e9:
        return f"{value / 1e9:,.1f} billion".replace(".0 billion", " billion")
    if value >= 1e6:
        return f"{value / 1e6:,.1f} million".replace(".0 million", " million")
    return f"{value:,.0f}"


def _base_display(value: float, measure: Measure) -> str:
    if measure.dimension in UNITS:
        number = f"{value:,.2f}".rstrip("0").rstrip(".")
        return f"{number} {BASE_UNIT[measure.dimension]}"
    return f"{value:,.0f}"


def _meets(value: float, condition: Condition, qualifier: str | None = None) -> bool:
    """The value meets the condition; "more than 100 members" meets "more than 100"."""
    if qualifier == "more than" and condition.op in (">", ">=") and value >= condition.value:
        return True
    if qualifier == "less than" and condition.op in ("<", "<=") and value <= condition.value:
        return True
    return {
        "<": value < condition.value,
        "<=": value <= condition.value,
        ">": value > condition.value,
        ">=": value >= condition.value,
    }[condition.op]


def _rows(
    matches: Sequence[Match], measure: Measure, target: str, citer: Citer, *, listing: bool = False
) -> list[list[str]]:
    rows = []
    for match in matches:
        assert match.reading is not None and match.reading.best is not None
        best = match.reading.best
        cells = [_figure_cell(best, measure, match.value, target, citer, match.entry)]
        if listing:  # every figure of the same kind ("up to EUR 10,000"; "up to EUR 50,000")
            for other in match.reading.others[:MORE_FIGURES]:
                if (
                    other.kind == best.kind
                    and other.per_unit == best.per_unit
                    and other.display != best.display
                ):
                    cells.append(_figure_cell(other, measure, None, target, citer, match.entry))
        rows.append(
            [
                f"**{match.entry.title}**",
                "; ".join(cells),
                excerpt(best.sentence, around=best.display.split(" ")[-1]),
                place_of(match.entry),
            ]
        )
    return rows


def _not_stated(missing: Sequence[Match], measure: Measure, citer: Citer, *, quote: bool = False) -> str:
    """The practices that give no figure; with `quote`, what the nearest sentence of each says
    on the matter (a member count may be missing while the members are described)."""
    if not missing:
        return ""
    quoted: list[str] = []
    names: list[str] = []
    for i, match in enumerate(missing):
        entry = match.entry
        if i < NAMED_MISSING:
            citer.read(entry)
        nearest = _nearest(entry, measure) if quote and len(missing) <= QUOTED else None
        if nearest is None:
            names.append(entry.title)
        else:
            said = [nearest, *_next_sentence(entry, nearest)]
            text = " ".join(f"{excerpt(s)} [{citer.cite(entry, s)}]" for s in said)
            quoted.append(f"- **{entry.title}** gives no figure; it says: {text}")
    lines = []
    if names:
        label = measure.label.lower()
        shown = "; ".join(names[:NAMED_MISSING])
        if len(names) > NAMED_MISSING:
            shown += f"; and {len(names) - NAMED_MISSING} more"
        lines.append(f"Not stated ({label} not given in the document, so not counted): {shown}.")
    if quoted:
        lines += [f"Not stated ({measure.label.lower()}), so not counted:", *quoted]
    return "\n".join(lines)


def _next_sentence(entry: Entry, sentence: Sentence) -> list[Sentence]:
    """The sentence after this one in its section, when the two are short enough to quote."""
    sentences = entry.sentences()
    at = sentences.index(sentence)
    if at + 1 < len(sentences):
        following = sentences[at + 1]
        if following.section == sentence.section and len(sentence.text) + len(following.text) <= 520:
            return [following]
    return []


def _nearest(entry: Entry, measure: Measure) -> Sentence | None:
    """The sentence that speaks most of what the measure is about, if any does (its own nouns,
    "member", count three times the question's other words)."""
    words = [w for w in measure.words if w not in FORM_WORDS] or list(measure.noun)
    core = measure.noun or frozenset(CORE_NOUNS.get(measure.dimension, ()))
    best: tuple[int, Sentence] | None = None
    for sentence, have in sentence_terms(entry):
        hits = sum(1 for w in words if related(w, have)) + 3 * sum(1 for w in core if w in have)
        if hits and (best is None or hits > best[0]):
            best = (hits, sentence)
    return best[1] if best else None


def filtered(
    question: str,
    scope: Scope,
    stated: list[Match],
    missing: list[Match],
    measure: Measure,
    condition: Condition,
    citer: Citer,
    target: str,
) -> str:
    inside = [
        m
        for m in stated
        if m.value is not None
        and _meets(m.value, condition, m.reading.best.qualifier if m.reading and m.reading.best else None)
    ]
    chosen = {id(m) for m in inside}
    outside = [m for m in stated if id(m) not in chosen]
    order = (
        (lambda m: m.value)
        if measure.dimension == YEAR or condition.op.startswith("<")
        else (lambda m: -(m.value or 0))
    )
    inside.sort(key=order)
    outside.sort(key=order)
    total = len(stated) + len(missing)
    within = scope.describe()
    pool = f"{plural(total, 'practice')} {within}".strip()
    header = ["Practice", measure.label, "Evidence", "Place"]
    lines = []
    if inside:
        verb = "meets" if len(inside) == 1 else "meet"
        lines.append(f"{len(inside)} of the {pool} {verb} the condition ({condition.text}):")
        lines += ["", table(header, _rows(inside[:SHOWN_ROWS], measure, target, citer))]
        lines += _more(len(inside))
    else:
        lines.append(f"None of the {pool} states a figure that meets the condition ({condition.text}).")
    if outside and inside:
        # the answer is the practices that meet it; the others are counted, not listed
        lines += [
            "",
            f"{plural(len(outside), 'other practice')} {'states' if len(outside) == 1 else 'state'} a "
            f"figure outside the condition ({measure.label.lower()}).",
        ]
    elif outside:  # none meets it: the nearest figures show how far they are
        shown = sorted(outside, key=lambda m: abs((m.value or 0) - condition.value))[:OUTSIDE_ROWS]
        shown.sort(key=order)
        lines += ["", "Outside the condition:", "", table(header, _rows(shown, measure, target, citer))]
        if len(outside) > len(shown):
            lines.append(
                f"… and {len(outside) - len(shown)} more practices whose figures are further from it."
            )
    note = _not_stated(missing, measure, citer)
    if note:
        lines += ["", note]
    return "\n".join(lines)


def ranked(
    question: str,
    scope: Scope,
    stated: list[Match],
    missing: list[Match],
    measure: Measure,
    citer: Citer,
    target: str,
    *,
    listing: bool = False,
) -> str:
    """A ranking (the first named, then every practice's figure) or, for "which practices ...,
    and what are the amounts", every figure of each practice, without a winner."""
    if not stated:
        pool = f"{plural(len(missing), 'practice')} {scope.describe()}".strip()
        return f"None of the {pool} states a figure for this ({measure.label.lower()})." + (
            "\n\n" + _not_stated(missing, measure, citer, quote=True) if missing else ""
        )
    # figures whose sentences match the question best are ranked first ("funding won for members'
    # projects" is not the members' turnover)
    best = {id(m): m.reading.best for m in stated if m.reading and m.reading.best}
    top = max(f.relevance for f in best.values())
    gap = RANK_GAP if top > 6 or any(f.relevance < 0 for f in best.values()) else 1
    tier = {key: int(f.relevance >= top - gap) for key, f in best.items()}
    stated.sort(key=lambda m: (-tier[id(m)], (m.value or 0) if measure.low else -(m.value or 0)))
    # the figures of the second tier go below the ranking, in their own order: one table sorted
    # by value but for them read as a wrong ranking ("EUR 5,000" after "EUR 4,106")
    first_tier = [m for m in stated if tier[id(m)]]
    second_tier = [m for m in stated if not tier[id(m)]] if not listing else []
    if second_tier:
        stated = first_tier
    lines: list[str] = []
    if listing:
        lines.append(
            f"{plural(len(stated), 'practice')} {scope.describe()} "
            f"state a figure ({measure.label.lower()}):".replace("  ", " ")
        )
    else:
        first = stated[0]
        figure = best[id(first)]
        assert figure is not None
        cell_text = _figure_cell(figure, measure, first.value, target, citer, first.entry)
        rank_word = "lowest" if measure.low else "highest"
        if measure.dimension == YEAR:
            rank_word = "earliest" if measure.low else "latest"
        lines.append(f"**{first.entry.title}** has the {rank_word} figure: {cell_text}.")
    if len(stated) > 1 or missing or listing:
        rows = _rows(stated[:SHOWN_ROWS], measure, target, citer, listing=listing)
        lines += ["", table(["Practice", measure.label, "Evidence", "Place"], rows)]
        lines += _more(len(stated))
    if second_tier:
        rows = _rows(second_tier[:SHOWN_ROWS], measure, target, citer)
        lines += [
            "",
            f"Not ranked: {plural(len(second_tier), 'practice')} "
            f"{'states' if len(second_tier) == 1 else 'state'} a figure in a sentence that reads less "
            f"clearly as {measure.label.lower()}:",
            "",
            table(["Practice", measure.label, "Evidence", "Place"], rows),
        ]
        lines += _more(len(second_tier))
    note = _not_stated(missing, measure, citer, quote=True)
    if note:
        lines += ["", note]
    return "\n".join(lines)
