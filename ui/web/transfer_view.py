"""HTML of the Transfer tab: the practices that fit a region, best first, each with its score and,
per criterion, its points and reasons; every reason that rests on a sentence quotes it with its
section and a button that opens it in the tab's reader.

Pure functions of a ranking (`FitResult.to_dict()`) and a language. What a reader needs, not how
the data is stored: no file names or offsets. Everything from documents is escaped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assistant.phrases import detect_language, section_name
from assistant.transfer.places import REGION_TYPES
from assistant.transfer.reasons import CRITERIA, FITS, NO_FIT, NOT_STATED, PARTLY
from assistant.vocabulary import fold
from ui.web.chat_view import esc
from ui.web.reader_view import placeholder
from ui.web.strings import text

ANY = ""  # the region type dropdown's "not given"
VERDICT_KEYS = {
    FITS: "verdict_fits",
    PARTLY: "verdict_partly",
    NO_FIT: "verdict_no_fit",
    NOT_STATED: "verdict_not_stated",
}
VERDICT_CLASSES = {FITS: "fits", PARTLY: "partly", NO_FIT: "no-fit", NOT_STATED: "not-stated"}
FORM_KEYS = ("country", "region_type", "population", "budget", "sector", "assets", "challenge")


def region_type_key(region_type: str) -> str:
    return "rt_" + region_type.replace("-", "_")


def region_type_choices(lang: str) -> list[tuple[str, str]]:
    """(label, value) of the region types, "not given" first."""
    return [(text("any_region_type", lang), ANY)] + [
        (text(region_type_key(t), lang), t) for t in REGION_TYPES
    ]


def profile_of(*values: str | None) -> dict[str, str]:
    """The profile the form describes, in FORM_KEYS order: the fields filled in, as typed (the
    advisor validates them; "assets" is one text it splits at commas)."""
    return {
        key: value.strip() for key, value in zip(FORM_KEYS, values, strict=True) if value and value.strip()
    }


def place(practice: dict[str, Any]) -> str:
    """'Region, Country' (the region alone when it already names the country)."""
    region, country = practice.get("region") or "", practice.get("country") or ""
    if region and country and fold(country) not in fold(region):
        return f"{region}, {country}"
    return region or country


def citations_of(result: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """n -> the citation of every reason that cites a sentence."""
    found: dict[int, dict[str, Any]] = {}
    for practice in result.get("practices", []):
        for reason in practice["reasons"]:
            if reason.get("citation"):
                found[int(reason["citation"]["n"])] = reason["citation"]
    return found


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value else "0"


def _verdict(verdict: str, lang: str) -> str:
    return (
        f"<span class='verdict v-{VERDICT_CLASSES.get(verdict, 'not-stated')}'>"
        f"{esc(text(VERDICT_KEYS.get(verdict, 'verdict_not_stated'), lang))}</span>"
    )


def _quote(citation: dict[str, Any], lang: str) -> str:
    n = int(citation["n"])
    section = section_name(str(citation["section"]), lang)
    label = (
        f"{text('show_in_document', lang)}: {citation['title']}, {text('section_of', lang, section=section)}"
    )
    return (
        f"<blockquote class='reason-quote'><q lang='{detect_language(citation['text'])}'>"
        f"{esc(' '.join(str(citation['text']).split()))}</q>"
        f"<p class='reason-source'>[{n}] {esc(text('section_of', lang, section=section))} "
        f"<button type='button' class='cite' data-action='cite' data-n='{n}' aria-label='{esc(label)}'>"
        f"{esc(text('show_in_document', lang))}</button></p></blockquote>"
    )


def _reasons(practice: dict[str, Any], lang: str) -> Iterator[str]:
    """One block per criterion: its points, then each reason with its verdict and quote."""
    points = practice.get("points", {})
    for criterion in CRITERIA:
        reasons = [r for r in practice["reasons"] if r["criterion"] == criterion]
        if not reasons:
            continue
        items = "".join(
            f"<li class='reason'>{_verdict(r['verdict'], lang)} "
            f"<span class='reason-text'>{esc(r['text'])}</span>"
            f"{_quote(r['citation'], lang) if r.get('citation') else ''}</li>"
            for r in reasons
        )
        yield (
            f"<section class='criterion' data-criterion='{esc(criterion)}'>"
            f"<h3>{esc(text('crit_' + criterion, lang))} "
            f"<span class='points'>{esc(text('points', lang, points=_number(points.get(criterion, 0.0))))}"
            f"</span></h3><ul class='reasons'>{items}</ul></section>"
        )


def _card(rank: int, practice: dict[str, Any], lang: str) -> str:
    pid, title = esc(practice["practice_id"]), esc(practice["title"])
    score = esc(text("score", lang, score=_number(float(practice["score"]))))
    return (
        f"<li class='fit' data-practice='{pid}'>"
        f"<div class='fit-head'><h2><span class='rank'>{rank}.</span> "
        f"<button type='button' class='card-open' data-action='open' data-practice='{pid}'>"
        f"{title}</button></h2>"
        f"<p class='fit-meta'><span class='card-meta'>{esc(place(practice))}</span>"
        f"<span class='score'>{score}</span></p></div>"
        f"{''.join(_reasons(practice, lang))}"
        f"<button type='button' class='brief' data-action='brief' data-practice='{pid}'>"
        f"{esc(text('choose_briefing', lang))}</button></li>"
    )


def ranked_html(result: dict[str, Any] | None, lang: str) -> str:
    """The ranking as cards, best first; before any ranking, what to do."""
    if result is None:
        return placeholder(text("transfer_empty", lang))
    practices = result.get("practices", [])
    if not practices:
        return placeholder(text("no_practices", lang))
    cards = "".join(_card(i, p, lang) for i, p in enumerate(practices, start=1))
    return (
        f"<p class='count' role='status'>{esc(text('ranked', lang, count=len(practices)))}</p>"
        f"<ol class='fits'>{cards}</ol>"
    )


def error_html(message: str, lang: str) -> str:
    return f"<p class='praxis-error' role='alert'>{esc(text('transfer_invalid', lang, error=message))}</p>"


def alert_html(message: str) -> str:
    return f"<p class='praxis-error' role='alert'>{esc(message)}</p>"
