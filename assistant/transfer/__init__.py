"""Transfer: which stored practice fits an importing region, and what would it take?

- `parse_profile(dict)` / `load_profile(json_or_yaml_text)` / `profile_from_question(text)` ->
  `RegionProfile` (bad input raises `InvalidProfile`, an `InvalidQuestion`);
  `is_transfer_question(text)` tells the chat to route a question here.
- `TransferAdvisor(catalog).rank(profile, k=5)` -> `FitResult` (`to_dict()`: the JSON of
  `POST /v1/transfer`): practices best first, each with cited reasons per criterion.
- `briefing(advisor, profile, practice_ref)` -> `Briefing`;
  `render(briefing, "md" | "docx" | "pdf")` -> bytes, content type and file name.
"""

from assistant.transfer.briefing import Briefing, BriefingSection, Statement
from assistant.transfer.chat import is_transfer_question, profile_from_question
from assistant.transfer.fit import FitResult, PracticeFit, TransferAdvisor
from assistant.transfer.money import Money, parse_money
from assistant.transfer.profile import (
    PROFILE_KEYS,
    InvalidProfile,
    RegionProfile,
    load_profile,
    parse_profile,
)
from assistant.transfer.reasons import CRITERIA, VERDICTS, Reason, supports
from assistant.transfer.render import FORMATS, RenderedBriefing, render

__all__ = [
    "CRITERIA",
    "FORMATS",
    "PROFILE_KEYS",
    "VERDICTS",
    "Briefing",
    "BriefingSection",
    "FitResult",
    "InvalidProfile",
    "Money",
    "PracticeFit",
    "Reason",
    "RegionProfile",
    "RenderedBriefing",
    "Statement",
    "TransferAdvisor",
    "is_transfer_question",
    "load_profile",
    "parse_money",
    "parse_profile",
    "profile_from_question",
    "render",
    "supports",
]
