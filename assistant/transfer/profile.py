"""The importing region's profile: what a region brings to a transfer.

Keys (all optional): country, region_type (rural | urban | mixed | island | mountain |
cross-border), population (a number), budget (text such as "EUR 200000 per year" or "PLN 1 million
in total"), sector, assets (a list of strings: what exists already) and challenge (free text).
`parse_profile` validates a mapping (from JSON, YAML, form fields or CLI flags); `load_profile`
reads JSON or YAML text. Every problem raises `InvalidProfile` naming the key and what is accepted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assistant.errors import InvalidQuestion
from assistant.transfer.money import Money, parse_money
from assistant.transfer.places import REGION_TYPE_ALIASES, REGION_TYPES, canonical_country, countries_in

PROFILE_KEYS: tuple[str, ...] = (
    "country",
    "region_type",
    "population",
    "budget",
    "sector",
    "assets",
    "challenge",
)
MAX_TEXT = {"country": 100, "sector": 200, "challenge": 2000, "asset": 200}
MAX_ASSETS = 30
MAX_POPULATION = 2_000_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class InvalidProfile(InvalidQuestion):
    """A region profile has an unknown key or a value that cannot be used (the API answers 422)."""


@dataclass(frozen=True)
class RegionProfile:
    """A region that wants to import a practice. Every field may be missing."""

    country: str | None = None
    region_type: str | None = None
    population: int | None = None
    budget: Money | None = None
    sector: str | None = None
    assets: tuple[str, ...] = ()
    challenge: str | None = None

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.country,
                self.region_type,
                self.population,
                self.budget,
                self.sector,
                self.assets,
                self.challenge,
            )
        )

    def topic_text(self) -> str:
        """What the region wants, for matching practices by meaning: sector and challenge."""
        parts = [p.strip().rstrip(".") for p in (self.sector, self.challenge) if p and p.strip()]
        return ". ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """The profile as JSON: the keys it was given in, the budget parsed."""
        return {
            "country": self.country,
            "region_type": self.region_type,
            "population": self.population,
            "budget": self.budget.to_dict() if self.budget else None,
            "sector": self.sector,
            "assets": list(self.assets),
            "challenge": self.challenge,
        }

    def describe(self) -> list[tuple[str, str]]:
        """(label, value) lines for a briefing, in key order, only the keys given."""
        lines: list[tuple[str, str]] = []
        if self.country:
            lines.append(("Country", self.country))
        if self.region_type:
            lines.append(("Region type", self.region_type))
        if self.population:
            lines.append(("Population", f"{self.population:,}"))
        if self.budget:
            note = f" ({'; '.join(self.budget.assumptions)})" if self.budget.assumptions else ""
            lines.append(("Budget", f"{self.budget.text or self.budget.display()}{note}"))
        if self.sector:
            lines.append(("Sector", self.sector))
        if self.assets:
            lines.append(("What exists already", "; ".join(self.assets)))
        if self.challenge:
            lines.append(("Challenge", self.challenge))
        return lines


def _text(key: str, value: Any, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidProfile(f"{key} must be text, got {type(value).__name__} {value!r}")
    cleaned = " ".join(value.split())
    if _CONTROL.search(value):
        raise InvalidProfile(f"{key} contains control characters; send plain text")
    if len(cleaned) > limit:
        raise InvalidProfile(f"{key} is at most {limit} characters, got {len(cleaned)}")
    return cleaned or None


def _country(value: Any) -> str | None:
    text = _text("country", value, MAX_TEXT["country"])
    if text is None:
        return None
    if re.search(r"\d", text) or not re.search(r"[^\W\d_]{2}", text) or re.search(r"[<>{}\[\]=;|\\]", text):
        raise InvalidProfile(f"country must be a country name such as 'Poland', got {value!r}")
    # "United Kingdom (Wales)", "Polska / Poland": the first country name written in it
    named = countries_in(text)
    return canonical_country(text) or (named[0][0] if named else text)


def _region_type(value: Any) -> str | None:
    text = _text("region_type", value, 40)
    if text is None:
        return None
    lowered = text.lower()
    if lowered in REGION_TYPES:
        return lowered
    if lowered in REGION_TYPE_ALIASES:
        return REGION_TYPE_ALIASES[lowered]
    raise InvalidProfile(f"region_type must be one of {', '.join(REGION_TYPES)}, got {value!r}")


def _population(value: Any) -> int | None:
    if value is None:
        return None
    number: float
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidProfile(f"population must be a number of inhabitants such as 250000, got {value!r}")
    if isinstance(value, str):
        cleaned = re.sub(r"(?<=\d)[ ,.\u00a0'](?=\d{3}\b)", "", value.strip())
        match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(million|m|thousand|k)?", cleaned, re.IGNORECASE)
        if not match:
            raise InvalidProfile(f"population must be a number of inhabitants such as 250000, got {value!r}")
        factor = {"million": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3}.get((match.group(2) or "").lower(), 1)
        number = float(match.group(1)) * factor
    else:
        number = float(value)
    if number != number or not 1 <= number <= MAX_POPULATION:
        raise InvalidProfile(f"population must be from 1 to {MAX_POPULATION:,}, got {value!r}")
    return int(round(number))


def _budget(value: Any) -> Money | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidProfile(f"budget must be text such as 'EUR 200000 per year', got {value!r}")
    try:
        if isinstance(value, str):
            return parse_money(value, key="budget")
        if not value > 0:
            raise InvalidProfile(f"budget must be more than zero, got {value!r}")
        money = parse_money(f"EUR {value:f}".rstrip("0").rstrip("."), key="budget")
    except InvalidProfile:
        raise
    except InvalidQuestion as exc:
        raise InvalidProfile(str(exc)) from exc
    # a bare number: euros per year, and the user is told so
    return Money(money.amount, "EUR", True, None, str(value), None, ("a bare number: taken as EUR per year",))


def _assets(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [part for part in re.split(r"[;,\n]", value)]
    if not isinstance(value, list | tuple):
        raise InvalidProfile(f"assets must be a list of strings such as ['a university'], got {value!r}")
    if len(value) > MAX_ASSETS:
        raise InvalidProfile(f"assets holds at most {MAX_ASSETS} items, got {len(value)}")
    assets: list[str] = []
    for i, item in enumerate(value):
        text = _text(f"assets[{i}]", item, MAX_TEXT["asset"])
        if text and text not in assets:
            assets.append(text)
    return tuple(assets)


def parse_profile(data: Mapping[str, Any] | RegionProfile | None) -> RegionProfile:
    """A validated RegionProfile from a mapping with the keys in PROFILE_KEYS (all optional).

    Raises InvalidProfile for a non-mapping, an unknown key, or a bad value, naming the key and
    what it accepts.
    """
    if isinstance(data, RegionProfile):
        return data
    if data is None:
        return RegionProfile()
    if not isinstance(data, Mapping):
        raise InvalidProfile(f"a profile is an object with the keys {', '.join(PROFILE_KEYS)}")
    unknown = [str(k) for k in data if k not in PROFILE_KEYS]
    if unknown:
        raise InvalidProfile(
            f"unknown profile key{'s' if len(unknown) > 1 else ''} {', '.join(repr(k) for k in unknown)}; "
            f"use {', '.join(PROFILE_KEYS)}"
        )
    return RegionProfile(
        country=_country(data.get("country")),
        region_type=_region_type(data.get("region_type")),
        population=_population(data.get("population")),
        budget=_budget(data.get("budget")),
        sector=_text("sector", data.get("sector"), MAX_TEXT["sector"]),
        assets=_assets(data.get("assets")),
        challenge=_text("challenge", data.get("challenge"), MAX_TEXT["challenge"]),
    )


def load_profile(text: str | bytes) -> RegionProfile:
    """A profile from JSON or YAML text (a file given to `--profile`). Raises InvalidProfile."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidProfile("the profile file is not UTF-8 text") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise InvalidProfile(f"the profile is neither JSON nor YAML: {exc}") from exc
    if data is None:
        return RegionProfile()
    if not isinstance(data, dict):
        raise InvalidProfile(f"a profile is an object with the keys {', '.join(PROFILE_KEYS)}")
    return parse_profile(data)
