"""The criteria besides the budget: challenge and sector (topic), scale and preconditions, evidence
strength, country and region type. Each returns reasons with a verdict, the points they add,
and the sentence they rest on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from assistant.transfer.places import canonical_country, countries_in
from assistant.transfer.profile import RegionProfile
from assistant.transfer.reading import ABOUT, TRANSFER, Condition, PracticeReading, Sentence
from assistant.transfer.reasons import FITS, NO_FIT, NOT_STATED, PARTLY, Reason
from assistant.transfer.topic import TopicMatch
from assistant.types import Citation
from assistant.vocabulary import content_terms, sentence_spans

Cite = Callable[[str, int, int], Citation]

TOPIC_POINTS = 4.0  # times the relevance (0..1): the challenge weighs most
TOPIC_FITS, TOPIC_PARTLY = 0.7, 0.35  # relevance thresholds of the topic verdicts
ASSET_POINTS, MISSING_POINTS = 0.4, -0.05  # per condition met by an asset / not in the profile
MAX_ASSET_POINTS, MIN_MISSING_POINTS = 1.0, -0.3
MAX_CONDITIONS = 3
SCALE_POINTS = {FITS: 0.3, PARTLY: 0.0, NO_FIT: -0.3}
EVIDENCE_POINTS = {FITS: 0.5, PARTLY: 0.25, NO_FIT: -0.1, NOT_STATED: 0.0}
PLACE_POINTS = {FITS: 0.5, PARTLY: 0.15, NO_FIT: -0.6, NOT_STATED: 0.0}
COUNTRY_POINTS = {FITS: 0.25, PARTLY: 0.0, NOT_STATED: 0.0}

# stems too general to show that an asset meets a condition ("a strong local network")
GENERIC = frozenset(
    """region area local regional public strong good exist new support partner organis organisation
    other willing small large big many sector model practice resourc resource system servic service
    network need work help time level way type group place people person first whole wide high low
    own main key real specific common national international european project programme activ
    compan company firm member develop manag base use community""".split()
)


def _terms(text: str) -> set[str]:
    return {t for t in content_terms(text) if t not in GENERIC and len(t) > 2}


def match_asset(item: str, assets: Sequence[str]) -> str | None:
    """The first asset that shares a specific word (stemmed) with a condition phrase."""
    wanted = _terms(item)
    for asset in assets:
        if wanted & _terms(asset):
            return asset
    return None


# -- topic ----------------------------------------------------------------------------------------


def _best_sentence(reading: PracticeReading, match: TopicMatch, query: str) -> Sentence | None:
    chunk = match.chunk
    if chunk is None:
        return None
    wanted = set(content_terms(query))
    best: tuple[int, Sentence] | None = None
    for a, b in sentence_spans(reading.practice.text, chunk.start, chunk.end):
        sentence = reading.sentence_at(a)
        if sentence is None or sentence.end > chunk.end + 1 or sentence.start < chunk.start:
            continue
        overlap = len(wanted & set(content_terms(reading.practice.text[a:b])))
        if best is None or overlap > best[0]:
            best = (overlap, sentence)
    return best[1] if best else None


def topic_reason(
    reading: PracticeReading, match: TopicMatch | None, query: str, total: int, cite: Cite
) -> Reason:
    if not query or match is None:
        return Reason("topic", NOT_STATED, "Your profile states no challenge or sector to match.")
    sentence = _best_sentence(reading, match, query)
    if sentence is None:
        return Reason(
            "topic", NOT_STATED, "No passage of the practice could be compared with your challenge."
        )
    verdict = FITS if match.relevance >= TOPIC_FITS else PARTLY if match.relevance >= TOPIC_PARTLY else NO_FIT
    quote = reading.text(sentence)
    lead = {
        FITS: "Close to your challenge",
        PARTLY: "Partly related to your challenge",
        NO_FIT: "Far from your challenge",
    }[verdict]
    return Reason(
        "topic",
        verdict,
        f"{lead} ({_ordinal(match.rank)} closest of {total}): {quote!r}",
        (quote,),
        cite(sentence.section, sentence.start, sentence.end),
        TOPIC_POINTS * match.relevance,
    )


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# -- scale and preconditions ------------------------------------------------------------------------


def _condition_reason(
    reading: PracticeReading, condition: Condition, profile: RegionProfile, cite: Cite
) -> Reason:
    text = reading.practice.text
    place_spans = [(a, b) for _, a, b in condition.region_types]
    items = [
        (a, b)
        for a, b in condition.items
        if not any(pa >= a and pb <= b for pa, pb in place_spans) or len(_terms(text[a:b])) > 1
    ]
    matched = [(text[a:b], match_asset(text[a:b], profile.assets)) for a, b in items]
    met = [(item, asset) for item, asset in matched if asset]
    missing = [item for item, asset in matched if not asset]
    sentence = condition.sentence
    citation = cite(sentence.section, sentence.start, sentence.end)
    if not items:
        return Reason("preconditions", NOT_STATED, "")
    parts = [f"{item!r} (you have {asset!r})" for item, asset in met]
    parts += [f"{item!r} (not in your profile)" for item in missing]
    verdict = FITS if met and not missing else PARTLY
    points = min(MAX_ASSET_POINTS, ASSET_POINTS * len(met)) + max(
        MIN_MISSING_POINTS, MISSING_POINTS * len(missing)
    )
    return Reason(
        "preconditions",
        verdict,
        "Needs " + "; ".join(parts) + ".",
        tuple(item for item, _ in matched),
        citation,
        points,
    )


def _scale_reason(reading: PracticeReading, profile: RegionProfile, cite: Cite) -> Reason | None:
    if not profile.population or not reading.populations:
        return None
    sentence, value, (a, b) = reading.populations[0]
    ratio = profile.population / value
    verdict = FITS if 0.25 <= ratio <= 4 else PARTLY if 0.05 <= ratio <= 20 else NO_FIT
    stated = reading.practice.text[a:b]
    size = (
        "a similar size"
        if verdict == FITS
        else f"{ratio:.1f} times the size"
        if ratio > 1
        else f"{1 / ratio:.1f} times smaller"
    )
    return Reason(
        "preconditions",
        verdict,
        f"It started in a place of {stated!r}; your {profile.population:,} inhabitants are {size}.",
        (stated,),
        cite(sentence.section, sentence.start, sentence.end),
        SCALE_POINTS[verdict],
    )


def precondition_reasons(reading: PracticeReading, profile: RegionProfile, cite: Cite) -> list[Reason]:
    """What the practice says a region must have, met or not by the profile's assets; its scale."""
    reasons: list[Reason] = []
    scale = _scale_reason(reading, profile, cite)
    if scale:
        reasons.append(scale)
    ordered = sorted(reading.conditions, key=lambda c: (c.sentence.section != TRANSFER, c.sentence.start))
    points = 0.0
    for condition in ordered:
        reason = _condition_reason(reading, condition, profile, cite)
        if reason.verdict == NOT_STATED:
            continue
        # the total of condition points stays within the caps whatever the number of sentences
        allowed = min(MAX_ASSET_POINTS, max(MIN_MISSING_POINTS, points + reason.points)) - points
        points += allowed
        reasons.append(
            Reason(reason.criterion, reason.verdict, reason.text, reason.stated, reason.citation, allowed)
        )
        if len(reasons) >= MAX_CONDITIONS + (1 if scale else 0):
            break
    if not reasons:
        reasons.append(
            Reason("preconditions", NOT_STATED, "The documents state no condition a region must meet.")
        )
    return reasons


# -- evidence -------------------------------------------------------------------------------------


def evidence_reason(reading: PracticeReading, cite: Cite) -> Reason:
    evidence = reading.evidence
    text = reading.practice.text
    if not evidence.present:
        return Reason("evidence", NOT_STATED, "The documents have no 'Evidence of success' section.")
    if evidence.figures:
        sentence, figures = max(evidence.figures, key=lambda pair: len(pair[1]))
        count = len(evidence.figures)
        verdict = FITS if count >= 3 or (count >= 2 and evidence.evaluations) else PARTLY
        shown = tuple(text[f.start : f.end].strip() for f in figures[:3])
        lead = "Measured results" if verdict == FITS else "Some measured results"
        evaluated = (
            f", and {len(evidence.evaluations)} on an evaluation or survey" if evidence.evaluations else ""
        )
        return Reason(
            "evidence",
            verdict,
            f"{lead}: {count} sentence{'s' if count > 1 else ''} of 'Evidence of success' "
            f"give figures{evaluated}, "
            f"e.g. {', '.join(repr(s) for s in shown)}.",
            shown,
            cite(sentence.section, sentence.start, sentence.end),
            EVIDENCE_POINTS[verdict],
        )
    if evidence.negatives:
        sentence, (a, b) = evidence.negatives[0]
        stated = text[a:b]
        return Reason(
            "evidence",
            NO_FIT,
            f"No measured results: the documents say {stated!r}.",
            (stated,),
            cite(sentence.section, sentence.start, sentence.end),
            EVIDENCE_POINTS[NO_FIT],
        )
    if evidence.evaluations or evidence.statements:
        sentence = (evidence.evaluations or evidence.statements)[0]
        quote = reading.text(sentence)
        verdict = PARTLY if evidence.evaluations else NO_FIT
        return Reason(
            "evidence",
            verdict,
            f"Statements without figures, e.g. {quote!r}.",
            (quote,),
            cite(sentence.section, sentence.start, sentence.end),
            EVIDENCE_POINTS[verdict],
        )
    return Reason("evidence", NOT_STATED, "The 'Evidence of success' section is empty.")


# -- country and region type ----------------------------------------------------------------------

_OPPOSITE = {"rural": "urban", "urban": "rural"}


def _country_reason(reading: PracticeReading, profile: RegionProfile, cite: Cite) -> Reason | None:
    if not profile.country:
        return None
    practice = reading.practice
    own = canonical_country(practice.metadata.get("country", "")) or practice.metadata.get("country")
    if not own:
        return Reason("region", NOT_STATED, "The documents do not say which country the practice is in.")
    for sentence in reading.sentences:
        for country, a, b in countries_in(reading.text(sentence)):
            if country != own:
                continue
            stated = reading.text(sentence)[a:b]
            same = own == profile.country
            verdict = FITS if same else PARTLY
            text = (
                f"From {stated!r}, your country: the same national rules and funding apply."
                if same
                else f"From {own} ({stated!r}), you are in {profile.country}: "
                "check that national rules and funding allow it."
            )
            return Reason(
                "region",
                verdict,
                text,
                (stated,),
                cite(sentence.section, sentence.start, sentence.end),
                COUNTRY_POINTS[verdict],
            )
    return Reason("region", NOT_STATED, f"The text does not name its country ({own} in the catalogue).")


def _place_verdict(kind: str, named: set[str]) -> str | None:
    if kind in named:
        return FITS
    if kind == "mixed":
        return PARTLY if named & {"rural", "urban"} else None
    if kind in _OPPOSITE and _OPPOSITE[kind] in named:
        return NO_FIT
    if kind in ("island", "mountain") and "rural" in named:
        return PARTLY
    return None


def _region_type_reason(reading: PracticeReading, profile: RegionProfile, cite: Cite) -> Reason | None:
    kind = profile.region_type
    if not kind:
        return None
    # where the practice says whom it suits weighs more than where it happened
    for condition in reading.conditions:
        named = {k for k, _, _ in condition.region_types}
        verdict = _place_verdict(kind, named)
        if verdict:
            return _place_reason(
                reading, condition.sentence, condition.region_types, kind, verdict, cite, "suits"
            )
    named_all = {k for k, _, _ in reading.places}
    verdict = _place_verdict(kind, named_all)
    if verdict is None:
        return Reason("region", NOT_STATED, f"The documents do not say whether it suits {kind} regions.")
    wanted = {kind} if verdict == FITS else ({"rural", "urban"} if kind == "mixed" else named_all)
    for k, sentence, _ in sorted(reading.places, key=lambda p: (p[1].section != ABOUT, p[1].start)):
        if k in wanted:
            spans = tuple((k2, a, b) for k2, s2, (a, b) in reading.places if s2 == sentence)
            return _place_reason(reading, sentence, spans, kind, verdict, cite, "happened in")
    return None


def _place_reason(
    reading: PracticeReading,
    sentence: Sentence,
    spans: Sequence[tuple[str, int, int]],
    kind: str,
    verdict: str,
    cite: Cite,
    how: str,
) -> Reason:
    text = reading.practice.text
    words = tuple(dict.fromkeys(text[a:b] for _, a, b in spans))
    said = ", ".join(repr(w) for w in words)
    outcome = {
        FITS: f"like your {kind} region",
        PARTLY: f"close to your {kind} region",
        NO_FIT: f"not your {kind} setting",
    }[verdict]
    return Reason(
        "region",
        verdict,
        f"It {how} places described as {said}: {outcome}.",
        words,
        cite(sentence.section, sentence.start, sentence.end),
        PLACE_POINTS[verdict],
    )


def region_reasons(reading: PracticeReading, profile: RegionProfile, cite: Cite) -> list[Reason]:
    reasons = [
        r for r in (_region_type_reason(reading, profile, cite), _country_reason(reading, profile, cite)) if r
    ]
    return reasons or [Reason("region", NOT_STATED, "Your profile gives no country or region type.")]
