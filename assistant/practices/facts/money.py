"""Money rules: whether a number is money, and which role it plays: the practice's budget, the
grant one beneficiary can receive, or another amount (a price, turnover, a threshold)."""

from __future__ import annotations

import re
from typing import NamedTuple

from assistant.practices.facts.numbers import CURRENCY_SIGNS, Mention
from assistant.practices.facts.phrases import noun_phrase
from assistant.vocabulary import YEAR

# a figure without a currency is read as money only from this size up, in a sentence about money
BARE_MONEY_MIN = 1000
# a figure in brackets or after "including" this close to a money figure restates its role
# ("CZK 10 million (about EUR 400,000)")
RESTATED_REACH = 40
# how much of the clause before a figure, and of the text after it, decides its role (in words)
ROLE_WORDS_BEFORE, ROLE_WORDS_AFTER, GRANT_WORDS_BEFORE = 9, 4, 5
# a clause shorter than this (in characters) is read together with the one before it
MIN_CLAUSE_CHARS = 12

_BARE_MONEY_CONTEXT = re.compile(r"\b(amount|budget|cost|costs|salary|salaries|financial)\b", re.IGNORECASE)
_RESTATES = re.compile(r"(\(|\bincluding|\bof which|\bof this)\s*(?:\w+\s+){0,2}$")
_YEARLY_BEFORE = re.compile(r"\b(annual|annually|yearly)\b\s*(?:\w+\s+){0,3}$", re.IGNORECASE)
_CEILING_BEFORE = re.compile(r"\bworth\s+(?:at most|up to|a maximum of|maximum)\s*$", re.IGNORECASE)
# "each share costs GBP 1", "a ticket costs EUR 3": the price of one unit, not what the practice costs
_UNIT_PRICE = re.compile(r"\b(?:each|per|a|an|one)\s+[\w-]+\s+costs?\s*$", re.IGNORECASE)
_GRANT_AFTER = re.compile(
    r"^\s?(each|per project|per company|per firm|per voucher|per applicant)\b", re.IGNORECASE
)
_MONEY_OTHER = re.compile(
    r"\b(turnover|revenues?|sales|exports?|saved?|savings|worth|attract(ed)?|balance sheet|"
    r"de minimis|limited to|must be at least|costs? between|price|costs? (?:" + CURRENCY_SIGNS + r")|"
    r"invests?|charges?|fee of|value of the|market)\b",
    re.IGNORECASE,
)
_MONEY_BUDGET = re.compile(r"\b(budget|budgets)\b", re.IGNORECASE)
_MONEY_GRANT = re.compile(
    r"\b(up to|at most|maximum|ceiling|each|per (?:project|company|firm|sme|applicant|voucher)|"
    r"voucher|grant of|(?:can|could|may|to|each|will) receive|pays?|worth at most|funded with)\b",
    re.IGNORECASE,
)
_MONEY_BUDGET_WEAK = re.compile(
    r"\b(total|funding|financed|funds?|spent|spend|received|dedicated|contributed|invested|loan|"
    r"shares|subsid(y|ies)|granted|annual|a year|per year|annually|amount|costs?|support|"
    r"public money|programme|grant)\b",
    re.IGNORECASE,
)
# what a figure is counted per: "per year", "a month", "per participant in 3 years", "annually"
_PERIOD = re.compile(
    r"^\s?(?:\([^)]*\)\s*)?(?P<period>(?:(?:a|per|each)\s+(?:year|month|week|day)|per\s+(?!cent\b)[a-z][\w-]*)"
    r"(?:\s+(?:in|over|for)\s+(?:\d+|\w+)\s+years?)?|annually|"
    r"(?:in|over)\s+(?:\d+|\w+)\s+years|in\s+" + YEAR.pattern + r")\b",
    re.IGNORECASE,
)


class MoneyReading(NamedTuple):
    """What the money rules made of a figure."""

    kind: str  # budget, grant or amount
    match_end: int | None  # end of the matched words when a period follows the figure
    period: str | None  # "per year", "per cluster in 3 years"


def is_money(m: Mention, sentence: str) -> bool:
    """A figure with a currency, or 'total amount ... is around 100 000 per cluster': a large
    figure that counts nothing, in a sentence about money."""
    if m.currency is not None:
        return True
    if m.is_word or m.value < BARE_MONEY_MIN:
        return False
    if not _BARE_MONEY_CONTEXT.search(sentence):
        return False
    return not noun_phrase(m.after)


def read_money(m: Mention, section: str, previous: Mention | None) -> MoneyReading:
    """The role and period of a money figure; `previous` is the sentence's last money figure."""
    if (
        previous is not None
        and previous.kind
        and _RESTATES.search(m.before)
        and previous.end >= m.start - RESTATED_REACH
    ):
        kind = previous.kind  # "CZK 10 million (about EUR 400,000)": same role
    else:
        kind = money_kind(section, m.before, m.after)
    period = _PERIOD.match(m.after)
    match_end = None
    period_text = None
    if period:
        period_text = period.group("period")
        match_end = m.end + period.end()
    if _YEARLY_BEFORE.search(m.before) and not period_text:
        period_text = "per year"
    return MoneyReading(kind, match_end, _normal_period(period_text))


def money_kind(section: str, before: str, after: str) -> str:
    """budget, grant or amount, from the words around a money figure and its section."""
    clause_start = max(before.rfind(ch) for ch in ",;:(")
    long_clause = clause_start >= 0 and len(before) - clause_start > MIN_CLAUSE_CHARS
    clause = before[clause_start + 1 :] if long_clause else before
    window_before = " ".join(clause.split()[-ROLE_WORDS_BEFORE:])
    window_after = " ".join(after.split()[:ROLE_WORDS_AFTER])
    near = f"{window_before} # {window_after}"
    if _CEILING_BEFORE.search(before):
        return "grant"
    if _MONEY_OTHER.search(window_before) or _UNIT_PRICE.search(before):
        return "amount"
    if _MONEY_BUDGET.search(window_before):
        return "budget"
    if _MONEY_GRANT.search(" ".join(clause.split()[-GRANT_WORDS_BEFORE:])) or _GRANT_AFTER.match(after):
        return "grant"
    if _MONEY_BUDGET_WEAK.search(near) or section == "Resources needed":
        return "budget"
    return "amount"


def _normal_period(period: str | None) -> str | None:
    if not period:
        return None
    period = re.sub(r"\s+", " ", period.strip().lower())
    if period in ("a year", "annually", "each year"):
        return "per year"
    if period.startswith("a "):
        return "per " + period[2:]
    return period
