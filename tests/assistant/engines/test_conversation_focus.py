"""Conversation state from the messages alone: what carries over, what starts fresh, and a refused
turn that must not become the topic."""

from __future__ import annotations

from assistant.engines.focus import focus_of
from assistant.engines.index import PracticeIndex
from assistant.pipeline import Assistant
from assistant.question import analyse, parts
from assistant.types import Message

GREENFIELD = "greenfield-wind-cooperative"
HARBOUR = "harbour-heat-network-nordby"


def _snapshot(invented):  # type: ignore[no-untyped-def]
    return PracticeIndex(invented[1]).snapshot()


ABOUT_GREENFIELD = [
    Message("user", "When was the Greenfield Wind Cooperative founded?"),
    Message(
        "assistant",
        "Greenfield Wind Cooperative: It was founded in 2004 by farmers of a small upland parish. [1]",
    ),
]


GREENFIELD_MEMBERS = [
    Message("user", "How many members does the Greenfield Wind Cooperative have?"),
    Message("assistant", "Greenfield Wind Cooperative: The cooperative now has 120 members. [1]"),
]


def test_it_refers_to_the_practice_of_the_last_turn(routed: Assistant, invented) -> None:
    focus = focus_of("How many members does it have?", ABOUT_GREENFIELD, _snapshot(invented))
    assert focus.carried == (GREENFIELD,) and not focus.fresh
    answer = routed.ask("How many members does it have?", history=ABOUT_GREENFIELD)
    assert answer.route == "lookup"
    assert answer.citations and {c.practice_id for c in answer.citations} == {GREENFIELD}


def test_a_question_with_a_new_scope_starts_fresh(routed: Assistant, invented) -> None:
    focus = focus_of("How many practices come from Austria?", ABOUT_GREENFIELD, _snapshot(invented))
    assert focus.fresh and not focus.carried
    answer = routed.ask("How many practices come from Austria?", history=ABOUT_GREENFIELD)
    assert "Greenfield" not in answer.text


def test_a_refused_turn_does_not_become_the_topic(routed: Assistant, invented) -> None:
    history = [
        Message("user", "What does the moon base cost?"),
        Message(
            "assistant",
            "The documents do not say: What does the moon base cost? The nearest practices are: "
            "Greenfield Wind Cooperative; Valley Craft Voucher.",
        ),
    ]
    focus = focus_of("How many staff does it have?", history, _snapshot(invented))
    assert focus.carried == () and focus.previous is None
    asked = routed.prepare("How many staff does it have?", history=history)
    assert asked.query == "How many staff does it have?" and "practice_id" not in asked.filters


def test_the_other_one_is_the_practice_the_last_turn_left_out(invented) -> None:
    history = [
        Message("user", "Compare the Greenfield Wind Cooperative and the Harbour Heat Network."),
        Message("assistant", "Side by side: ..."),
        *GREENFIELD_MEMBERS,
    ]
    focus = focus_of("What about the other one?", history, _snapshot(invented))
    assert focus.carried == (HARBOUR,)


def test_what_about_x_asks_the_previous_question_of_x(routed: Assistant, invented) -> None:
    history = GREENFIELD_MEMBERS
    asked = routed.prepare("What about the Harbour Heat Network?", history=history)
    assert "members" in asked.query and "Greenfield" not in asked.query
    answer = routed.ask("What about the Harbour Heat Network?", history=history)
    assert answer.citations and {c.practice_id for c in answer.citations} == {HARBOUR}


def test_what_about_a_practice_described_in_its_own_words_is_a_new_subject(
    routed: Assistant, invented
) -> None:
    snapshot = _snapshot(invented)
    question = "What about the Salzburg bus network for visitors — when was it set up?"
    focus = focus_of(question, ABOUT_GREENFIELD, snapshot)
    assert focus.fresh and not focus.carried and not focus.elliptic  # it asks its own question
    answer = routed.ask(question, history=ABOUT_GREENFIELD)
    assert {c.practice_id for c in answer.citations} == {"mountain-bus-alliance"}, answer.text
    assert "2009" in answer.text
    # an attribute of the practice in focus is no new subject: "the funding of the cooperative"
    attribute = focus_of("What about the funding of the cooperative?", ABOUT_GREENFIELD, snapshot)
    assert attribute.carried == (GREENFIELD,)
    # a described practice without an ask of its own takes the previous question's ask
    bare = focus_of("What about the Salzburg bus network?", ABOUT_GREENFIELD, snapshot)
    assert bare.fresh and bare.elliptic


def test_a_practice_is_named_by_the_first_word_of_its_title_when_no_other_title_has_it(invented) -> None:  # type: ignore[no-untyped-def]
    from assistant.engines.names import named

    snapshot = _snapshot(invented)
    # "Greenfield" and "Riverside" lead one title each: names, even alone
    assert named("Which started earlier, Greenfield or Riverside?", snapshot) == [
        GREENFIELD,
        "riverside-startup-hub",
    ]
    # a word that leads no title, or only starts the sentence, names nothing
    assert named("Which practices come from Ireland?", snapshot) == []
    assert named("Valley farms: which practices help them?", snapshot) == []


def test_two_practices_named_by_their_leading_words_are_compared(routed: Assistant) -> None:
    answer = routed.ask("Which started earlier, Greenfield or Riverside?")
    assert answer.route == "compare"
    assert answer.text.startswith("**Greenfield Wind Cooperative**"), answer.text


MOUNTAIN = "mountain-bus-alliance"
RANKED = [
    Message("user", "Which practice started earliest?"),
    Message(
        "assistant",
        "**Greenfield Wind Cooperative** has the earliest figure: 2004 [1].\n\n"
        "| Practice | Start year |\n|---|---|\n| **Greenfield Wind Cooperative** | 2004 [1] |\n"
        "| **Mountain Bus Alliance** | 2009 [2] |\n| **Harbour Heat Network (Nordby)** | 2011 [3] |",
    ),
]


def test_a_reply_gives_its_practices_by_their_full_titles_in_its_order(invented) -> None:  # type: ignore[no-untyped-def]
    focus = focus_of("Which of them has the most members?", RANKED, _snapshot(invented))
    assert focus.carried == (GREENFIELD, MOUNTAIN, HARBOUR)


def test_it_after_a_ranking_is_the_practice_given_first(invented) -> None:  # type: ignore[no-untyped-def]
    assert focus_of("How many members does it have?", RANKED, _snapshot(invented)).carried == (GREENFIELD,)


def test_the_second_one_is_the_practice_the_last_reply_gave_second(routed: Assistant, invented) -> None:
    snapshot = _snapshot(invented)
    assert focus_of("How many members does the second one have?", RANKED, snapshot).carried == (MOUNTAIN,)
    assert focus_of("And the last of them?", RANKED, snapshot).carried == (HARBOUR,)
    assert focus_of("Wie viele Mitglieder hat die zweite?", RANKED, snapshot).carried == (MOUNTAIN,)
    # "the first practice to start" ranks; it points at none of them
    assert focus_of("Which was the first practice to start?", RANKED, snapshot).carried != (GREENFIELD,)
    more = routed.ask("Tell me more about the second one.", history=RANKED)
    assert more.route == "summary" and more.text.startswith("**Mountain Bus Alliance**")


def test_the_two_are_the_practices_of_the_last_two_turns(routed: Assistant, invented) -> None:
    history = [
        *GREENFIELD_MEMBERS,
        Message("user", "And the Harbour Heat Network?"),
        Message("assistant", "Harbour Heat Network (Nordby): the utility has 40 members. [1]"),
    ]
    focus = focus_of("Which of the two is older?", history, _snapshot(invented))
    assert set(focus.carried) == {GREENFIELD, HARBOUR}
    answer = routed.ask("Which of the two is older?", history=history)
    assert answer.route == "compare" and "Greenfield Wind Cooperative" in answer.text.splitlines()[0]


def test_and_x_asks_the_previous_question_of_x_as_its_own_question(routed: Assistant) -> None:
    history = GREENFIELD_MEMBERS
    asked = routed.prepare("And the Harbour Heat Network?", history=history)
    assert asked.text == asked.query == "How many members does the Harbour Heat Network (Nordby) have?"


def test_what_about_the_one_in_a_place_asks_the_previous_question_there(routed: Assistant, invented) -> None:
    founded = [
        Message("user", "When was the Harbour Heat Network founded?"),
        Message("assistant", "Harbour Heat Network (Nordby): It started in 2011. [1]"),
    ]
    focus = focus_of("What about the one in Ireland?", founded, _snapshot(invented))
    assert focus.fresh and not focus.carried and focus.elliptic
    # the engines read the previous question's ask, without the practice it named
    asked = routed.prepare("What about the one in Ireland?", history=founded)
    assert asked.text.startswith("What about the one in Ireland?") and "founded" in asked.text
    assert "Harbour" not in asked.text and analyse(parts(asked.text)[-1]).kind == "date"
    # a place alone would be a list of that place's practices; here it is the previous question
    answer = routed.ask("What about the one in Ireland?", history=founded)
    assert answer.route == "lookup"


def _named_practice(pid: str, title: str, about: str, country: str):  # type: ignore[no-untyped-def]
    from assistant.engines.index import _entry
    from assistant.types import Practice, Section

    text = f"{title}\nAbout this good practice\n{about}\n"
    start = text.index(about)
    practice = Practice(
        pid,
        title,
        text,
        [Section("About this good practice", about, start, start + len(about))],
        f"{pid}.txt",
        {"country": country},
    )
    return _entry(practice, [])


def test_a_name_that_opens_the_question_names_its_practice_when_it_is_no_english_word() -> None:
    from assistant.engines.index import Snapshot
    from assistant.engines.names import named

    snapshot = Snapshot(
        [
            _named_practice(
                "kvarnby",
                "Kvarnby Energy Island",
                "Kvarnby is an island where Kvarnby residents own the turbines.",
                "Sweden",
            ),
            _named_practice(
                "ostholm", "Ostholm Heat Cooperative", "The Ostholm cooperative heats 300 homes.", "Finland"
            ),
            _named_practice(
                "valley", "Valley Craft Voucher", "The Valley Craft Voucher helps craft firms.", "Austria"
            ),
        ]
    )
    assert named("Kvarnby or Ostholm: which has more money invested?", snapshot) == ["kvarnby", "ostholm"]
    # an English word first in the question names nothing, however its document writes it
    assert named("Valley farms: which practices help them?", snapshot) == []


def test_a_word_the_question_repeats_is_named_where_the_rest_of_the_name_is() -> None:
    from assistant.engines.index import Snapshot
    from assistant.engines.names import without_names

    snapshot = Snapshot(
        [
            _named_practice(
                "valley",
                "Valley Craft Voucher (Tyrol)",
                "The Valley Craft Voucher helps craft firms.",
                "Austria",
            ),
            _named_practice(
                "ostholm", "Ostholm Heat Cooperative", "The Ostholm cooperative heats 300 homes.", "Finland"
            ),
        ]
    )
    plain = without_names("Which voucher is worth more, the Valley Craft Voucher or Ostholm?", snapshot)
    assert plain.startswith("Which voucher is worth more")


def test_how_does_it_compare_with_x_sets_x_against_the_practice_in_focus(routed: Assistant, invented) -> None:
    snapshot = _snapshot(invented)
    question = "How does it compare with the Harbour Heat Network on that?"
    focus = focus_of(question, GREENFIELD_MEMBERS, snapshot)
    assert focus.named == (GREENFIELD, HARBOUR) and focus.elliptic  # "on that": the previous ask
    answer = routed.ask(question, history=GREENFIELD_MEMBERS)
    assert answer.route == "compare", answer.text
    assert "120 members" in answer.text and "40 members" in answer.text
    assert {c.practice_id for c in answer.citations} == {GREENFIELD, HARBOUR}
    # the question that says what it compares keeps its own ask
    older = focus_of("Is it older than the Harbour Heat Network?", ABOUT_GREENFIELD, snapshot)
    assert older.named == (GREENFIELD, HARBOUR) and not older.elliptic
    answer = routed.ask("Is it older than the Harbour Heat Network?", history=ABOUT_GREENFIELD)
    assert answer.route == "compare" and "2004" in answer.text and "2011" in answer.text
    # a question that names a practice without comparing it still starts fresh
    founded = focus_of("When was the Harbour Heat Network founded?", ABOUT_GREENFIELD, snapshot)
    assert founded.named == (HARBOUR,)


def test_after_a_comparison_it_is_the_practice_the_comparison_started_from(invented) -> None:
    history = [
        *GREENFIELD_MEMBERS,
        Message("user", "How does it compare with the Harbour Heat Network on that?"),
        Message("assistant", "**Greenfield Wind Cooperative** has more members: 120 [1], against 40 [2]."),
    ]
    focus = focus_of("How does it compare with the Riverside Start-up Hub?", history, _snapshot(invented))
    assert focus.named == (GREENFIELD, "riverside-startup-hub")


def test_and_the_other_end_asks_the_last_ranking_the_other_way_round(routed: Assistant) -> None:
    asked = routed.prepare("And the latest?", history=RANKED)
    assert asked.text == "Which practice started latest?"
    answer = routed.ask("And the latest?", history=RANKED)
    assert answer.route == "catalog", answer.text
    assert answer.text.startswith("**Riverside Start-up Hub** has the latest figure: 2018"), answer.text
    # a bare superlative only turns a ranking around; "and the budget?" asks its own thing
    assert routed.prepare("And the budget?", history=RANKED).text != "Which practice started latest?"


def test_a_short_first_word_of_a_title_names_its_practice_only_when_it_is_no_english_word() -> None:
    from assistant.engines.index import Snapshot
    from assistant.engines.names import named

    snapshot = Snapshot(
        [
            _named_practice("oru", "Oru Heat Cooperative", "The Oru cooperative heats 300 homes.", "Finland"),
            _named_practice("new", "New Craft Voucher", "The New Craft Voucher helps craft firms.", "Spain"),
        ]
    )
    assert named("Is it older than Oru?", snapshot) == ["oru"]
    assert named("Which is older, New or Oru?", snapshot) == ["oru"]


def test_a_restated_question_reads_without_the_full_titles_it_gives() -> None:
    from assistant.engines.index import Snapshot
    from assistant.engines.names import without_names

    snapshot = Snapshot(
        [
            _named_practice(
                "power", "Hillside Community Power (HCP)", "Hillside Community Power has 70 members.", "Eire"
            ),
            _named_practice("oru", "Oru Heat Cooperative", "The Oru cooperative heats 300 homes.", "Finland"),
        ]
    )
    restated = "How many members do Hillside Community Power (HCP) and Oru Heat Cooperative have?"
    plain = without_names(restated, snapshot)
    assert plain.split() == ["How", "many", "members", "do", "and", "have?"]


def test_a_restated_question_gives_its_practices_in_place_of_an_ordinal(invented) -> None:  # type: ignore[no-untyped-def]
    from assistant.engines.names import restated

    said = restated("How much does the first one cost?", [GREENFIELD, HARBOUR], _snapshot(invented))
    # "first" would otherwise read as a start year
    assert said == "How much does Greenfield Wind Cooperative and Harbour Heat Network (Nordby) cost?"


def test_after_a_verdict_it_is_the_winner_and_which_of_them_picks_without_comparing(
    routed: Assistant, invented
) -> None:
    snapshot = _snapshot(invented)
    verdict = [
        Message("user", "Which is older, the Harbour Heat Network or the Greenfield Wind Cooperative?"),
        Message(
            "assistant",
            "**Greenfield Wind Cooperative** is older (started earlier): 2004 [1], against 2011 [2] for "
            "Harbour Heat Network (Nordby).\n\n| Practice | Start year |\n|---|---|\n"
            "| **Harbour Heat Network (Nordby)** | 2011 [2] |\n"
            "| **Greenfield Wind Cooperative** | 2004 [1] |",
        ),
    ]
    assert focus_of("How many members does it have?", verdict, snapshot).carried == (GREENFIELD,)
    # "which of them" picks one by what it says; it asks no measure of both
    picked = routed.ask("Which of them helps older people?", history=verdict)
    assert picked.route != "compare", picked.text


def test_a_german_follow_up_ranks_the_practices_of_the_last_reply(routed: Assistant, invented) -> None:
    from assistant.engines import forms

    question = "Welche davon ist die älteste?"
    assert focus_of(question, RANKED, _snapshot(invented)).carried == (GREENFIELD, MOUNTAIN, HARBOUR)
    assert forms.superlative(question) and forms.asks_age(question) and forms.wants_low(question)
    answer = routed.ask(question, history=RANKED)
    first = "**Greenfield Wind Cooperative** has the earliest figure: 2004"
    assert answer.text.startswith(first), answer.text


def test_a_list_asked_in_another_language_is_described_in_english(routed: Assistant) -> None:
    answer = routed.ask("Wie viele Praktiken kommen aus Österreich?")
    assert answer.text.startswith("2 practices from Austria:"), answer.text


def test_two_practices_of_one_acronym_are_told_apart_by_the_rest_of_their_titles() -> None:
    from assistant.engines.index import Snapshot
    from assistant.engines.names import named

    snapshot = Snapshot(
        [
            _named_practice("park", "KTC Science Park - Incubation in Nordmark", "A park.", "Norway"),
            _named_practice("voucher", "KTC Innovation Voucher (Nordmark)", "A voucher.", "Norway"),
            _named_practice("other", "Innovation Vouchers (Sudland)", "Another voucher.", "Denmark"),
        ]
    )
    assert named("What does the KTC voucher fund?", snapshot) == ["voucher"]
    assert named("How is the KTC Science Park financed?", snapshot) == ["park"]
    assert set(named("Compare the KTC Science Park and the KTC voucher", snapshot)) == {"park", "voucher"}
    assert named("Which is bigger, the KTC innovation voucher or the Sudland vouchers?", snapshot) == [
        "voucher",
        "other",
    ]


def test_and_x_replaces_the_words_that_described_the_previous_practice() -> None:
    from assistant.engines.index import Snapshot
    from assistant.engines.names import restated

    snapshot = Snapshot(
        [
            _named_practice(
                "mill", "Reuse of the Old Grain Mill in Kvarnby as a Crafts Hub", "A mill.", "Sweden"
            ),
            _named_practice("bank", "Nordmark Building Materials Bank", "A bank.", "Norway"),
        ]
    )
    previous = "How much did the Kvarnby mill conversion cost?"
    assert restated(previous, ["bank"], snapshot, ["mill"]) == (
        "How much did the Nordmark Building Materials Bank conversion cost?"
    )
    # without the previous turn's practice, the new subject follows the ask
    assert restated(previous, ["bank"], snapshot) == (
        "How much did the Kvarnby mill conversion cost (Nordmark Building Materials Bank)?"
    )
