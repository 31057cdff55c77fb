"""What a key fact is: its kinds, their labels, the Fact record and its (de)serialisation.

Every fact keeps where it came from: the section and the offsets of its sentence in
`Practice.text` (`start`, `end`) and of the matched words (`match_start`, `match_end`), so
`practice.text[fact.start:fact.end]` is the evidence to cite. Facts taken from the metadata file
(country, region) that the text does not mention have no offsets (`origin == "metadata"`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from assistant.types import Practice

# Bump when the rules change: stored facts of an older version are re-extracted on read.
FACTS_VERSION = 8

FACT_KINDS: tuple[str, ...] = (
    "start_year",  # int year
    "budget",  # money the practice costs, spends, receives or distributes
    "grant",  # money one beneficiary can receive
    "amount",  # other money (prices, turnover, savings, thresholds); shown, never filtered on
    "staff",
    "members",
    "beneficiaries",
    "duration",  # months
    "funding_source",  # text
    "result",  # another counted outcome
    "owner",  # text
    "country",  # text, from metadata
    "region",  # text, from metadata
)
MONEY_KINDS = frozenset({"budget", "grant", "amount"})
COUNT_KINDS = frozenset({"staff", "members", "beneficiaries", "result"})
TEXT_KINDS = frozenset({"funding_source", "owner", "country", "region"})

# Human labels, in the order facts are shown.
KIND_LABELS: dict[str, str] = {
    "start_year": "Start year",
    "budget": "Budget / cost",
    "grant": "Grant per beneficiary",
    "staff": "Staff",
    "members": "Members",
    "beneficiaries": "Beneficiaries",
    "duration": "Duration",
    "funding_source": "Funding source",
    "result": "Results (figures)",
    "amount": "Other amounts",
    "owner": "Owner",
    "country": "Country",
    "region": "Region",
}


@dataclass(frozen=True)
class Fact:
    """One key fact and the sentence it came from."""

    kind: str
    value: float | int | str  # year, amount, count, months, or text
    text: str  # the matched words, e.g. "around 100 000 per cluster in 3 years"
    section: str
    start: int | None  # the evidence sentence: Practice.text[start:end]
    end: int | None
    match_start: int | None = None  # the matched words: Practice.text[match_start:match_end]
    match_end: int | None = None
    value_max: float | None = None  # upper end of a range ("7-10 person-years")
    currency: str | None = None  # ISO code when the document states one
    period: str | None = None  # "per year", "per cluster in 3 years"
    qualifier: str | None = None  # "about", "more than", "up to", "at least", ...
    subject: str | None = None  # what is counted: "automotive companies"
    origin: str = "text"  # "text" or "metadata"

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def display(self) -> str:
        """A short human rendering: 'about EUR 250,000 per year', 'more than 70 new members'."""
        if self.kind in TEXT_KINDS:
            return str(self.value)
        if self.kind == "start_year":
            return str(self.value)
        if self.kind == "duration":
            return self.text
        number = _format_number(float(self.value))
        if self.value_max is not None:
            number += f"-{_format_number(self.value_max)}"
        if self.kind in MONEY_KINDS:
            number = f"{self.currency} {number}" if self.currency else f"{number} (currency not stated)"
        parts = [p for p in (self.qualifier, number) if p]
        if self.subject and self.kind not in MONEY_KINDS:
            parts.append(self.subject)
        if self.period:
            parts.append(self.period)
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Every field plus `label` and `display`: what the API and the UI show."""
        data = asdict(self)
        data["label"] = self.label
        data["display"] = self.display()
        return data

    def to_record(self) -> dict[str, Any]:
        """Every field and nothing else: what the store keeps (from_dict reads it back)."""
        return asdict(self)

    def cited(self, practice: Practice) -> dict[str, Any]:
        """to_dict() plus what a citation needs: the evidence sentence and the source file."""
        data = self.to_dict()
        data["practice_id"] = practice.id
        data["source"] = practice.source if self.origin == "text" else f"{practice.source} (metadata)"
        data["evidence"] = practice.text[self.start : self.end] if self.start is not None else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fact:
        """The fact of to_dict() or to_record(); keys that are not fields are ignored."""
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


def _format_number(value: float) -> str:
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= size and (value / size) * 100 == int((value / size) * 100):
            return f"{value / size:,.2f}".rstrip("0").rstrip(".") + f" {word}"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
