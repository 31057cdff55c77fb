"""Which fields of a JSON/JSONL/CSV export record hold the title, the sections and the metadata.

Field names are matched without regard to case, spaces or punctuation ("Resources needed",
"resources_needed" and "RESOURCES-NEEDED" are one name); "a.b" reaches into nested objects.
For each target the first listed field that has a value wins. Overrides replace the list of one
target and keep the defaults of the others, e.g.

    {"title": "practice_name", "country": "location.country",
     "sections": {"Resources needed": ["budget_text", "resources"]}}

A heading under "sections" that is not in the template becomes an extra section of that name.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from assistant.errors import ConfigError
from assistant.types import SECTION_NAMES

METADATA_TARGETS = ("country", "region", "theme", "url", "owner")

DEFAULT_SECTIONS: dict[str, tuple[str, ...]] = {
    "About this good practice": ("about_this_good_practice", "about", "description", "summary"),
    "Expert opinion": ("expert_opinion",),
    "Resources needed": ("resources_needed", "resources"),
    "Evidence of success": ("evidence_of_success", "evidence", "results"),
    "Potential for learning or transfer": ("potential_for_learning_or_transfer", "transferability"),
    "Further information": ("further_information", "more_information"),
    "Good practice owner": ("good_practice_owner", "contact"),
}
assert tuple(DEFAULT_SECTIONS) == SECTION_NAMES


def normalise(name: str) -> str:
    """The comparable form of a field name: lower-case words joined by "_"."""
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


@dataclass(frozen=True)
class FieldMap:
    """Record field names for each part of a practice (first field with a value wins)."""

    id: tuple[str, ...] = ("id", "practice_id", "uuid", "slug")
    title: tuple[str, ...] = ("title", "name", "practice_title")
    country: tuple[str, ...] = ("country", "country_name")
    region: tuple[str, ...] = ("region", "region_name", "nuts_region")
    theme: tuple[str, ...] = ("theme", "topic", "themes", "topics")
    url: tuple[str, ...] = ("url", "link", "source_url", "source", "web_page")
    owner: tuple[str, ...] = ("owner", "organisation", "organization", "owner_organisation")
    sections: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_SECTIONS))
    # a field holding {"heading": "text", ...} or [{"heading"/"name": ..., "text": ...}, ...]
    sections_field: tuple[str, ...] = ("sections",)

    @classmethod
    def from_overrides(cls, overrides: Mapping[str, Any] | None) -> FieldMap:
        """The defaults with overrides applied. Raises ConfigError naming a bad key or value."""
        if not overrides:
            return cls()
        if not isinstance(overrides, Mapping):
            raise ConfigError('the record field mapping must be a JSON object, e.g. {"title": "name"}')
        known = {f for f in cls.__dataclass_fields__}
        changes: dict[str, Any] = {}
        for key, value in overrides.items():
            if key not in known:
                raise ConfigError(
                    f"unknown record field target {key!r}; use one of {', '.join(sorted(known))}"
                )
            if key == "sections":
                if not isinstance(value, Mapping):
                    raise ConfigError(
                        '"sections" must map a heading to field names, e.g. {"Resources needed": "budget"}'
                    )
                merged = dict(cls().sections)
                for heading, names in value.items():
                    merged[str(heading)] = _names(f"sections.{heading}", names)
                changes[key] = merged
            else:
                changes[key] = _names(key, value)
        return replace(cls(), **changes)

    def fingerprint(self) -> str:
        """Changes when the mapping does, so exports are re-read after a mapping change."""
        data = json.dumps(asdict(self), sort_keys=True, default=list)
        return hashlib.sha256(data.encode()).hexdigest()[:16]


def _names(key: str, value: Any) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list | tuple) or not names or not all(isinstance(n, str) and n for n in names):
        raise ConfigError(f"record field {key!r} must be a field name or a list of field names")
    return tuple(names)
