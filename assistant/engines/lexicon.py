"""The measure words of the engines: a question word of one class is met by a text using any word
of it ("staff" by "employees", "cost" by "budget"). Only the measures the key facts carry (money,
start, members, staff, users, duration, households), in general English: no topic of any practice."""

from __future__ import annotations

from assistant.vocabulary import stem

_GROUPS = {
    "staff": "staff staffed employ employs employed employee employees people person persons personnel "
    "worker workers fte full-time part-time expert experts manager managers job jobs team teams",
    "cost": "cost costs costing budget budgets spend spent spending price funding fund funded financing "
    "finance financed invest investment invested eur euro euros million money grant grants "
    "paid pay value worth amount subsidy aid contribution contributed loan capital",
    "start": "found founded establish established set setup launched launch created start started began "
    "since inception",
    "member": "member members membership company companies firm firms organisation organisations "
    "organization organizations partner partners enterprise enterprises sme smes",
    "usage": "user users usage participant participants visitor visitors customer customers client clients",
    "duration": "duration long months month years period lasted lasting",
    "household": "household households family families home homes",
}
CONCEPTS: dict[str, frozenset[str]] = {
    name: frozenset(stem(w) for w in group.split()) for name, group in _GROUPS.items()
}
_BY_TERM: dict[str, list[frozenset[str]]] = {}
for _concept in CONCEPTS.values():
    for _term in _concept:
        _BY_TERM.setdefault(_term, []).append(_concept)


def expand(term: str) -> frozenset[str]:
    """The (stemmed) term and every term sharing a measure class with it."""
    out: set[str] = {term}
    for concept in _BY_TERM.get(term, ()):
        out |= concept
    return frozenset(out)
