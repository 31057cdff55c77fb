"""Count rules: whether a number counts the practice's staff, its members, its beneficiaries or
another result, from the noun it counts and the words of its clause."""

from __future__ import annotations

import re
from typing import NamedTuple

from assistant.practices.facts.numbers import Mention
from assistant.practices.facts.phrases import QUOTES, head, noun_phrase

EVIDENCE_SECTION = "Evidence of success"
ABOUT_SECTION = "About this good practice"
# how much text before a count decides that it is not the practice's own staff, and how much
# after it that members are rather beneficiaries (in characters)
STAFF_VETO_REACH, BENEFICIARY_AFTER_REACH = 60, 40
# how much text before a count may make it a condition ("at least 3 partners are needed")
THRESHOLD_REACH = 40

STAFF_NOUNS = frozenset("employee employees staff person-years fte ftes workers full-time".split())
# people who are the practice's staff only when the sentence speaks of employing them
STAFF_SOFT_NOUNS = frozenset(
    "people persons experts nurses trainers advisers advisors consultants coaches officers volunteers".split()
)
MEMBER_NOUNS = frozenset("member members founders shareholders partners stakeholders".split())
# organisations and places that can be members or beneficiaries
ORG_NOUNS = frozenset(
    """companies company firms smes enterprises organisations organizations institutions
    municipalities villages owners start-ups startups actors entities manufacturers universities
    associations clusters consortia cooperatives businesses producers suppliers centres centers
    laboratories libraries schools cities regions towns communes shops retailers""".split()
)
# people and households
PEOPLE_NOUNS = frozenset(
    """people persons patients users participants citizens residents households farmers
    students pupils entrepreneurs applicants visitors passengers families inhabitants children
    learners jobseekers clients customers homes young""".split()
)
# plural nouns of people by what they do ("technicians", "scientists"), beyond the lists
AGENT_PLURAL = re.compile(r"[a-z]{3,}(?:ians|ists)")
# heads that are never a count of something
NOT_COUNTED = frozenset("euros euro times percent cent fold".split())
# parts of a design, not outcomes, when written as a word ("three pillars", "two rounds")
ENUMERATION_NOUNS = frozenset(
    "times levels areas types pillars aims sectors markets categories strands phases rounds steps".split()
)

_MEMBER_CONTEXT = re.compile(
    r"\b(members?|membership|founders?|founding|founded|set up|joined|consists? of|owned by|"
    r"stakeholders|brings together|partners|consortium|partnership|coalition|alliance|"
    r"(?:run|delivered|led|managed|formed) by)\b",
    re.IGNORECASE,
)
_BENEFICIARY_CONTEXT = re.compile(
    r"\b(supported|benefited|benefit from|helped|served|reached|trained|cared for|used|reaching|reaches|"
    r"serving|supporting|helping|benefiting|"
    r"took part|take part|participated|assisted|equipped|started projects|awarded to|granted to|"
    r"registered|received (?:support|funding|a grant|grants|vouchers?|help|advice|training|aid)|"
    r"to receive|were offered|have been offered|would have been offered|involving|involved)\b",
    re.IGNORECASE,
)
_STAFF_CONTEXT = re.compile(
    r"\b(employs?|employed|employing|team|staff|relies on|workforce|person-years|headcount)\b",
    re.IGNORECASE,
)
_EMPLOYING = re.compile(r"\b(employ\w*|team|relies on)\b", re.IGNORECASE)
# before a count of employees: they work for someone else (the members, the sector or economy the
# practice represents) or the count is a size limit ("firms with fewer than 50 employees")
_STAFF_VETO = re.compile(
    r"\b(members|member companies|ecosystem|sector|industry|industries|economy|it represents|"
    r"they represent|fewer than|less than|with more than|companies with|firms with|"
    r"(?:companies|businesses|firms|tenants)(?:\s+\w+)?\s+employ)\b",
    re.IGNORECASE,
)
_THRESHOLD = re.compile(
    r"\b(must|need|needs|needed|required|requires|eligible|qualify|at least|"
    r"no more than|fewer than|less than|minimum|threshold)\b",
    re.IGNORECASE,
)
_RESULT_VERBS = re.compile(
    r"\b(brought|organised|organized|created|achieved|produced|delivered|completed|developed|"
    r"funded|supported|generated|carried|installed|trained|won|obtained|implemented|"
    r"participated|participate|took part|hosted|launched|signed|recorded|reached|attracted)\b",
    re.IGNORECASE,
)
_ORDINAL_BEFORE = re.compile(r"\b(first|last|next|previous|past|other)\s+$", re.IGNORECASE)
_TEAM_OF = re.compile(r"\b(?:a |the |its |our )?(?:team|staff|workforce) of\s+$", re.IGNORECASE)
# a breakdown of the count before it: "26 members: 23 shops and 3 carriers", "11 people, including
# 4 ecologists"
_BREAKDOWN_BEFORE = re.compile(
    r"(:|\bincluding|\bamong them)\s+(?:[\w-]+\s+){0,3}$|,\s+(?:[\w-]+\s+){0,3}$|\band\s+$"
)
_OF_THEM = re.compile(r"^\s+of (them|which|these|those)\b")
_OF_WHICH_BEFORE = re.compile(r"\b(of which|of whom|among them)\s+(\w+\s+){0,2}$")
# "grown from 17 towns to 27 places": the later figure counts what the earlier one did
_GROWN_TO = re.compile(
    r"\b(grown|grew|risen|rose|increased|expanded)\b(?:\s+\w+){0,3}?\s+to\s+(?:\w+\s+){0,2}$", re.IGNORECASE
)
# "27 places are members", "12 towns have joined": counted as members whatever the noun
_BECAME_MEMBERS = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:(?:are|were|became|have become|had become)\s+(?:\w+\s+)?members?\b"
    r"|(?:have\s+|had\s+)?joined\b)",
    re.IGNORECASE,
)


class CountReading(NamedTuple):
    """What the count rules made of a number."""

    kind: str  # staff, members, beneficiaries or result
    value: float | int
    match_end: int  # end of the counted noun phrase
    subject: str | None  # what is counted: "automotive companies"


def read_count(
    section: str, sentence: str, offset: int, m: Mention, previous: Mention | None
) -> CountReading | None:
    """The count a number states, or None when it is not a key fact.

    `sentence` is the part of the sentence the rules read, starting at `offset` in the text;
    `previous` is the sentence's last count, whose kind a count without a noun of its own takes
    ("21 members, 19 of them companies"). Sets m.kind and m.subject for the counts after it.
    """
    words = noun_phrase(m.after)
    subject = " ".join(w.strip(QUOTES) for w in words).rstrip(".") or None
    if not words and _TEAM_OF.search(m.before) and not _STAFF_VETO.search(m.before[-STAFF_VETO_REACH:]):
        m.kind, m.subject = "staff", "staff"  # "managed by a team of 6"
        return CountReading("staff", _whole(m.value), m.end, "staff")
    phrase_end = m.end
    if words:
        last = m.after.find(words[-1])
        phrase_end = m.end + last + len(words[-1]) if last >= 0 else m.end
    of_them = _OF_THEM.match(m.after)  # "19 of them companies": no noun of its own
    grown = previous is not None and _GROWN_TO.search(m.before) is not None
    inherit = not words or of_them is not None or _OF_WHICH_BEFORE.search(m.before) is not None or grown
    own_subject = False
    if of_them:
        rest = m.after[of_them.end() :]
        words_after = noun_phrase(rest)
        if words_after:
            subject = " ".join(words_after).rstrip(".")
            phrase_end = m.end + of_them.end() + rest.find(words_after[-1]) + len(words_after[-1])
            own_subject = True
    if inherit and previous is not None and previous.kind is not None:
        kind = previous.kind
        if not words and not own_subject:
            subject = previous.subject
    else:
        if not words:
            return None
        found = _count_kind(section, _clause(sentence, m.start - offset), m.before, head(words), m)
        if (
            previous is not None
            and previous.kind == "members"
            and _people_or_organisations(head(words))
            and found in ("result", None)
        ):
            found = "members"  # "435 members: 222 SMEs, 160 large companies, ..."
        if (
            previous is not None
            and previous.kind in ("members", "staff")
            and (found not in ("members", "staff") or (previous.kind, found) == ("staff", "members"))
            and _BREAKDOWN_BEFORE.search(m.before)
            and previous.end > m.start - len(m.before)
        ):
            # "26 members: 23 independent shops and 3 parcel carriers", "employs 11 people,
            # including 4 ecologists", "a team of 4: a manager, two business coaches and ..."
            found = previous.kind
        if found in ("result", None) and _BECAME_MEMBERS.match(m.after[phrase_end - m.end :]):
            found = "members"
        if found is None:
            return None
        kind = found
    m.kind, m.subject = kind, subject
    if _is_condition(m, kind):
        return None
    return CountReading(kind, _whole(m.value), phrase_end, subject)


def _whole(value: float) -> float | int:
    """A count as an int when it is one ("21", not "21.0")."""
    return int(value) if value == int(value) else value


def _is_condition(m: Mention, kind: str) -> bool:
    """'companies must have at least 10 employees': an eligibility condition, not a count."""
    if not _THRESHOLD.search(m.before[-THRESHOLD_REACH:]):
        return False
    if kind == "staff":
        return m.qualifier == "less than"
    return m.qualifier in ("at least", "less than", "up to")


def _count_kind(section: str, sentence: str, before: str, noun: str, m: Mention) -> str | None:
    """members / staff / beneficiaries / result, or None when the number is not a key fact."""
    if not noun or noun in NOT_COUNTED:
        return None
    local = before[-STAFF_VETO_REACH:]
    if noun in STAFF_NOUNS or (noun in STAFF_SOFT_NOUNS and _STAFF_CONTEXT.search(sentence)):
        if _STAFF_VETO.search(local):
            return None
        if noun in STAFF_NOUNS or _EMPLOYING.search(sentence):
            return "staff"
    if noun in MEMBER_NOUNS:
        if (
            noun == "partners"
            and not _MEMBER_CONTEXT.search(sentence.replace("partners", ""))
            and not re.search(r"\bwith\s+$", before)
        ):
            return "result" if section == EVIDENCE_SECTION else None
        return "members"
    if _people_or_organisations(noun):
        after = m.after[:BENEFICIARY_AFTER_REACH]
        if _MEMBER_CONTEXT.search(sentence) and not _BENEFICIARY_CONTEXT.search(local + " " + after):
            return "members"
        if _BENEFICIARY_CONTEXT.search(sentence):
            return "beneficiaries"
        if noun in PEOPLE_NOUNS - {"homes"} and noun not in STAFF_SOFT_NOUNS and section == EVIDENCE_SECTION:
            return "beneficiaries"  # "7,400 pupils eat zero-kilometre meals": the people it serves
        if m.is_word and (section != EVIDENCE_SECTION or _ORDINAL_BEFORE.search(before)):
            return None
        return "result" if _is_result_context(section, sentence) else None
    if m.is_word and (
        section != EVIDENCE_SECTION or _ORDINAL_BEFORE.search(before) or noun in ENUMERATION_NOUNS
    ):
        return None
    return "result" if _is_result_context(section, sentence) else None


def speaks_of_staff(sentence: str) -> bool:
    """The sentence is about the people a practice employs ("employs 17 people", "the team")."""
    return bool(_STAFF_CONTEXT.search(sentence))


def _people_or_organisations(noun: str) -> bool:
    """Whether a head noun names organisations or people (who can be members or beneficiaries)."""
    return (
        noun in ORG_NOUNS
        or noun in PEOPLE_NOUNS
        or (AGENT_PLURAL.fullmatch(noun) is not None and not noun.endswith("lists"))
    )


def _is_result_context(section: str, sentence: str) -> bool:
    if section == EVIDENCE_SECTION:
        return True
    return section == ABOUT_SECTION and _RESULT_VERBS.search(sentence) is not None


def _clause(sentence: str, offset: int) -> str:
    """The clause of sentence around offset: between ; : • or a bullet line."""
    lo = max(sentence.rfind(ch, 0, offset) for ch in ";:•")
    his = [i for i in (sentence.find(ch, offset) for ch in ";:•") if i >= 0]
    return sentence[lo + 1 : min(his) if his else len(sentence)]
