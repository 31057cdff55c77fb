"""The general patterns of English and of the template that the fact rules encode, each stated on
invented names and nouns that no rule lists, so a rule that only knew one document's words fails."""

from __future__ import annotations

from assistant.practices.facts.model import Fact
from assistant.practices.facts.rules import extract_facts
from ingest.parse import parse_practice


def _facts(**sections: str) -> list[Fact]:
    """Facts of a practice with these sections ("about", "resources", "evidence")."""
    names = {
        "about": "About this good practice",
        "resources": "Resources needed",
        "evidence": "Evidence of success",
    }
    text = "Invented Practice\n" + "".join(f"{names[key]}\n{body}\n" for key, body in sections.items())
    practice, _ = parse_practice(text, source="invented.txt", practice_id="invented")
    return extract_facts(practice)


def _kinds(facts: list[Fact], value: float) -> list[str]:
    return [f.kind for f in facts if f.kind != "start_year" and f.value == value]


def test_a_figure_the_group_has_grown_to_counts_what_the_earlier_one_did() -> None:
    """'From N <members> ... grown to M <anything>': M counts members too, whatever its noun."""
    facts = _facts(
        evidence='From 12 founding villages the Lakeshore network has grown to 19 "Stars" in four countries.'
    )
    assert _kinds(facts, 12) == ["members"]
    assert _kinds(facts, 19) == ["members"]
    assert next(f for f in facts if f.value == 19).subject == "Stars"
    # the same noun without a growth from a member count is an ordinary result
    alone = _facts(evidence='The Lakeshore network counts 19 "Stars" in four countries.')
    assert _kinds(alone, 19) == ["result"]


def test_things_that_are_members_or_joined_are_members_whatever_the_noun() -> None:
    """'N <noun> have joined' and 'N <noun> are (now) members' count members."""
    facts = _facts(evidence="14 lighthouses have joined the alliance. 9 harbours are now members.")
    assert _kinds(facts, 14) == ["members"]
    assert _kinds(facts, 9) == ["members"]
    other = _facts(evidence="14 lighthouses were repainted.")
    assert _kinds(other, 14) == ["result"]


def test_a_capitalised_word_ending_in_ly_is_a_name_not_an_adverb() -> None:
    """'30 directly' has no noun; '30 Grimsly households' counts households."""
    facts = _facts(evidence="The scheme reached 30 Grimsly households. It helped 12 directly.")
    households = next(f for f in facts if f.value == 30)
    assert households.kind == "beneficiaries" and households.subject == "Grimsly households"
    assert _kinds(facts, 12) == []


def test_employees_of_the_sector_the_practice_represents_are_not_its_staff() -> None:
    """Employees of a wider whole (the sector it represents, its members) are not the staff."""
    facts = _facts(
        about="The sector it represents employs about 9,000 people. The Vorland Office employs 6 people."
    )
    assert [f.value for f in facts if f.kind == "staff"] == [6]
    assert _kinds(facts, 9000) == []


def test_the_price_of_one_unit_is_an_amount_and_what_the_practice_costs_a_budget() -> None:
    """'Each <unit> costs X' is a price; '<the practice> costs X' is its budget."""
    facts = _facts(resources="Each ticket costs EUR 3. The programme costs EUR 2 million.")
    assert _kinds(facts, 3) == ["amount"]
    assert _kinds(facts, 2_000_000) == ["budget"]


def test_a_figure_per_any_unit_keeps_its_period() -> None:
    facts = _facts(resources="The scheme pays EUR 2,000 per apprentice.")
    grant = next(f for f in facts if f.value == 2000)
    assert grant.period == "per apprentice" and grant.text == "EUR 2,000 per apprentice"


def test_people_named_by_what_they_do_are_counted_as_people() -> None:
    """Plural agent nouns in -ians / -ists are people that can benefit, like 'participants'."""
    facts = _facts(
        evidence="About 300 technicians and 40 hygienists were trained. 50 checklists were written."
    )
    assert _kinds(facts, 300) == ["beneficiaries"]
    assert _kinds(facts, 40) == ["beneficiaries"]
    assert _kinds(facts, 50) == ["result"]


def _sources(facts: list[Fact]) -> list[str]:
    return [str(f.value) for f in facts if f.kind == "funding_source"]


def test_a_capitalised_name_ending_in_fund_is_a_funding_source() -> None:
    facts = _facts(about="Support was essential: the Coastal Renewal Fund (CRF) covered the building costs.")
    assert _sources(facts) == ["Coastal Renewal Fund (CRF)"]


def test_a_proper_name_that_modifies_a_word_for_money_is_a_funding_source() -> None:
    """'<ACRONYM> <period> funds', "<Name>'s money", '<ACRONYM> <two modifiers> funding'."""
    facts = _facts(
        about="The pilot relied on NORA 2021-2027 funds and the Agency's money. "
        "Later QUILL rural development funding paid for a second site."
    )
    assert _sources(facts) == ["NORA 2021-2027 funds", "Agency's money", "QUILL rural development funding"]


def test_what_a_named_thing_has_is_not_who_pays_for_it() -> None:
    """'<Name> had a budget of', '<ACRONYM> support' (help, not money) name no funding source."""
    facts = _facts(about="The Harbour Plan had a budget of EUR 90,000. Grants include ICT support.")
    assert _sources(facts) == []


def test_membership_fees_are_a_funding_source() -> None:
    facts = _facts(resources="Half of the budget comes from membership fees.")
    assert _sources(facts) == ["membership fees"]


def test_amounts_written_with_a_short_multiplier_or_a_decimal_comma_keep_their_size() -> None:
    """'€4.8m', '£80k', '£3.4bn' and '1,5 million euros' (a decimal comma) were read as 4, nothing, 3
    and 1."""
    from assistant.practices.facts.numbers import find_mentions

    def read(text: str) -> list[tuple[float, str | None]]:
        return [(m.value, m.currency) for m in find_mentions(text, 0, len(text))]

    assert read("The renovation cost €4.8m.") == [(4_800_000, "EUR")]
    assert read("It received £80k from the agency.") == [(80_000, "GBP")]
    assert read("The link cost £3.4bn.") == [(3_400_000_000, "GBP")]
    assert read("The first phase cost 1,5 million euros.") == [(1_500_000, "EUR")]
    assert read("It costs EUR 2 mln a year.") == [(2_000_000, "EUR")]
    # a comma that groups thousands, and a unit that is no multiplier, are read as before
    assert read("Some 1,200 households and 26,000 people.") == [(1200, None), (26000, None)]
    assert read("A 5 m wide path.") == [(5, None)]
    budget = _facts(resources="The renovation cost €4.8m, financed by the city.")
    assert [(f.kind, f.value) for f in budget if f.kind == "budget"] == [("budget", 4_800_000)]


def _kinds_of(facts: list[Fact]) -> set[tuple[str, float]]:
    return {
        (f.kind, f.value)
        for f in facts
        if f.kind in ("staff", "members", "beneficiaries", "duration", "result")
    }


def test_a_team_of_n_and_the_breakdown_of_a_count_take_its_kind() -> None:
    facts = _facts(
        about="The hub is managed by a team of 6 employed by the city. The cooperative has 26 members: "
        "23 independent shops and 3 parcel carriers.",
        resources="The partnership employs 11 people, including 4 ecologists and a hydrologist.",
    )
    kinds = _kinds_of(facts)
    assert ("staff", 6) in kinds and ("staff", 11) in kinds and ("staff", 4) in kinds
    assert {("members", 26), ("members", 23), ("members", 3)} <= kinds


def test_partners_that_run_the_practice_are_its_members() -> None:
    facts = _facts(
        about="The project is run by a consortium of 5 partners: the city, the county and three schools."
    )
    assert ("members", 5) in _kinds_of(facts)


def test_people_employed_by_other_businesses_are_not_its_staff() -> None:
    facts = _facts(evidence="The tenant businesses together employ about 95 people, most of them under 35.")
    assert not any(f.kind == "staff" for f in facts)


def test_people_counted_as_evidence_are_the_people_it_serves() -> None:
    facts = _facts(
        evidence="Around 7,400 pupils in 41 schools eat local meals. It makes enough for 3,500 homes."
    )
    kinds = _kinds_of(facts)
    assert ("beneficiaries", 7400) in kinds
    assert ("beneficiaries", 3500) not in kinds  # homes are dwellings, not people served


def test_a_length_of_time_after_a_verb_of_lasting_is_a_duration() -> None:
    facts = _facts(
        about="The programme lasts 6 months. The works took 26 months. It saved EUR 4 million over 15 years."
    )
    kinds = _kinds_of(facts)
    assert ("duration", 6) in kinds and ("duration", 26) in kinds
    assert ("duration", 180) not in kinds


def test_each_source_of_a_list_or_a_coordination_is_a_funding_source() -> None:
    facts = _facts(
        resources="It was financed by the City of Ashby, the regional transport call and an EU project. "
        "The money comes from the Rural Development Programme (EAFRD), from the member towns and from "
        "the Oakby Foundation. 85% came from the ERDF and the rest from the town's own budget."
    )
    sources = _sources(facts)
    for expected in (
        "the City of Ashby",
        "the regional transport call",
        "an EU project",
        "the member towns",
        "the Oakby Foundation",
        "the ERDF",
        "the town's own budget",
    ):
        assert any(expected in source for source in sources), (expected, sources)


def test_who_funds_the_practice_in_the_present_tense_is_a_funding_source() -> None:
    facts = _facts(resources="The municipality funds the core scheme with about EUR 95,000 per year.")
    assert any("municipality" in source for source in _sources(facts))
    # support from someone is help, not money
    assert _sources(_facts(about="It had advisory support from a forestry body.")) == []


def test_a_year_the_practice_has_run_since_or_came_into_force_is_its_start() -> None:
    def start(about: str) -> list[int]:
        return [int(f.value) for f in _facts(about=about) if f.kind == "start_year"]

    assert start("The Quillmoor lending scheme has run since 2012 in four valleys.") == [2012]
    assert start("The Brindle tariff came into force in 2016 after a long debate.") == [2016]
    assert start("The Ostrava hub was formed in 2009 by three towns.") == [2009]
    assert start("In 2019 the Quillmoor scheme reported 300 loans.") == []  # a year of a result


def test_organisations_a_consortium_reaches_are_not_its_members() -> None:
    facts = _facts(
        evidence="Four partnerships created a consortium of 20 cluster organisations reaching more than "
        "3,100 SMEs."
    )
    assert "members" not in _kinds(facts, 3100)


def test_a_project_that_will_be_rolled_out_later_gives_no_start_year() -> None:
    facts = _facts(
        about="The Quillmoor service co-leads a national project that will be rolled out from 2024 to 2026."
    )
    assert [f for f in facts if f.kind == "start_year"] == []
