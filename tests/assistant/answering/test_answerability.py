"""What a question asks for (question.py) and whether a sentence can give it (answerability.py)."""

from __future__ import annotations

from assistant.answering.answerability import (
    answers,
    counts,
    counts_something_asked,
    near_miss,
    other_names,
    states,
)
from assistant.answering.sentences import sentences
from assistant.question import (
    AGENT,
    DATE,
    NUMBER,
    ORGANISATION,
    PERSON,
    PLACE,
    analyse,
    answer_kind,
    counted,
    parts,
)
from assistant.types import Chunk, ScoredChunk
from assistant.vocabulary import content_terms


def test_the_kind_of_answer_comes_from_the_question_words() -> None:
    assert answer_kind("How many bakers work at the mill?") == NUMBER
    assert answer_kind("What is the annual budget of the scheme?") == NUMBER
    assert answer_kind("When was the cooperative founded?") == DATE
    assert answer_kind("In what year did the pilot end?") == DATE
    assert answer_kind("Who runs the water circle?") == AGENT
    assert answer_kind("Which organisation pays for the mill?") == ORGANISATION
    assert answer_kind("Where is the mill?") == PLACE
    assert answer_kind("Which countries take part?") == PLACE
    assert answer_kind("What does the cooperative do?") is None


def test_when_where_and_who_inside_a_clause_ask_for_nothing() -> None:
    assert answer_kind("Could it be financed in a town where residents pay no local tax?") is None
    assert answer_kind("What changed for farmers when the mill opened?") is None


def test_compound_questions_split_into_parts() -> None:
    assert parts("When was it founded and by whom?") == ["When was it founded", "by whom?"]
    assert len(parts("How many mills are there, and who owns them?")) == 2
    assert parts("How many member farms are there?") == ["How many member farms are there?"]


def test_how_many_names_the_counted_thing_and_its_name_qualifiers() -> None:
    intent = analyse("How many Freedonian farms joined the cooperative?")
    assert intent.counted == ("freedonian", "farms")
    assert intent.qualifiers and "freedonian" in intent.qualifiers[0]


def test_a_sentence_states_a_kind_by_how_it_is_written() -> None:
    assert states(NUMBER, "The mill employs 12 people.")
    assert not states(NUMBER, "The mill opened in 2011.")  # a year is not an amount
    assert states(DATE, "The mill opened in 2011.")
    assert states(DATE, "It opened on 3 March.")
    assert not states(DATE, "The mill employs 12 people.")
    assert states(AGENT, "The mill is run by the regional council.")
    assert states(AGENT, "It was set up by Anna Weber and two neighbours.")
    assert not states(AGENT, "it grinds flour every morning for the valley.")
    assert states(PLACE, "The first mill opened in Ferndale.")
    assert not states(PLACE, "the first mill opened last spring.")


def test_a_number_must_count_what_was_asked() -> None:
    assert counts("It has 64 member farms.", ["member", "farms"])
    assert counts("From 12 founding farms it grew to 64 farms.", ["farms"])
    assert not counts("It has 64 member farms.", ["bakeries"])
    synonyms = {("staff", "employees")}
    assert counts("The mill has 4 employees.", ["staff"], lambda a, w: (a, w) in synonyms)


def test_a_function_word_after_a_number_is_never_the_counted_thing() -> None:
    # the embedder put "them" as close to "people" as a synonym (0.91)
    def close(asked: str, word: str) -> bool:
        return word in ("them", "youths")

    said = "About 450 professionals work in them."
    assert not counts(said, ("young", "people"), close)
    assert counts("About 450 youths came.", ("young", "people"), close)


def test_an_amount_of_money_counts_nothing() -> None:
    assert not counts("The mill cost EUR 4.5 million, paid by member shares.", ("members",))
    assert not counts("Members paid 20,000 euros.", ("members",))
    assert counts("It cost EUR 4.5 million and now has 120 members.", ("members",))


def test_a_count_in_other_words_must_not_count_another_thing_the_question_names() -> None:
    asked = analyse("How many people have the guidance centres helped?")
    # '30 centres' counts the centres the question names, not the people
    assert not counts_something_asked("There were 30 centres by 2015.", asked.counted, asked.terms)
    assert not counts_something_asked(
        "It returns EUR 1.2 million a year to people.", asked.counted, asked.terms
    )
    assert counts_something_asked("The centres advised 8,000 clients in 2020.", asked.counted, asked.terms)
    # a verb of the question after the counted noun is no other thing: '2 part-time staff run'
    run = analyse("How many people run the mill?")
    assert counts_something_asked("Two part-time staff run the mill.", run.counted, run.terms)


def test_only_people_asked_without_a_qualifier_may_be_counted_in_other_words() -> None:
    # "young people" are not any persons: '450 professionals' work there, they were not helped
    young = analyse("How many young people have the guidance centres helped?")
    assert not counts_something_asked("About 450 professionals work in them.", young.counted, young.terms)
    # nor are parcels bikes, or member entities people
    bikes = analyse("How many cargo bikes does the hub run?")
    assert not counts_something_asked("It delivered 310,000 parcels.", bikes.counted, bikes.terms)
    people = analyse("How many people are employed by the member firms?")
    assert not counts_something_asked("It has 160 member entities.", people.counted, people.terms)


def test_names_besides_the_practice_must_be_in_the_answer() -> None:
    context = frozenset(content_terms("Ferndale Grain Cooperative"))
    assert other_names("How much did the Ostrava Fund give to the Ferndale Grain Cooperative?", context) == {
        "ostrava",
        "fund",
    }
    assert other_names("How many farms joined in 2015?", context) == {"2015"}


def test_the_near_miss_says_what_is_missing_and_cites_what_is_stated() -> None:
    text = near_miss("Ferndale Grain Cooperative", analyse("When did it open?"), "It sells flour.", 1)
    assert text == (
        "The Ferndale Grain Cooperative document does not state the date asked for. "
        "What it states: It sells flour. [1]"
    )


def test_a_question_is_read_as_another_language_by_its_function_words() -> None:
    from assistant.question import is_foreign

    assert is_foreign("Wie viele Mitglieder hat der Cluster?")
    assert is_foreign("Kiek narių turi klasteris?")
    assert is_foreign("Combien de membres compte le cluster ?")
    assert is_foreign("Ilu członków liczy klaster?")  # no listed function word, and no English one
    # a short English imperative has few English function words, and none of another language
    assert not is_foreign("Summarise the latest Harry Potter book.")
    assert not is_foreign("How many members does the cluster have?")
    # "was" is German too: more of another language's function words decide
    assert is_foreign("Was kostet das Projekt?")
    assert is_foreign("Was kann man vom Samsø-Projekt lernen?")
    assert not is_foreign("Was it copied anywhere else?")
    assert not is_foreign("How many members does Pôle Véhicule du Futur have?")
    assert not is_foreign("What is the cost per pupil per day?")


def test_the_template_sections_are_asked_for_in_the_supported_languages() -> None:
    from assistant.question import EVIDENCE, RESOURCES, TRANSFER, analyse

    assert analyse("Kokių išteklių reikia Kalundborg simbiozei?").sections == {RESOURCES}
    assert analyse("Was kann man vom Samsø-Projekt lernen?").sections == {TRANSFER}
    assert analyse("Qu'est-ce que les autres régions peuvent apprendre de Vinnväxt ?").sections == {TRANSFER}
    assert analyse("¿Qué logros ha tenido el proyecto?").sections == {EVIDENCE}


def _sentences(text: str) -> list:
    chunk = Chunk(
        "mill", "Ferndale Grain Cooperative", "Evidence of success", 0, text, 0, len(text), "mill.txt", {}
    )
    return sentences([ScoredChunk(chunk, 0.8)])


def test_a_share_is_answered_only_by_a_share() -> None:
    asked = analyse("What percentage of the flour goes to local bakeries?")
    assert asked.kind == NUMBER and asked.share
    assert analyse("What share of the farms sell to bakeries?").share
    assert analyse("Wie viel Prozent der Höfe liefern an Bäckereien?").share
    assert not analyse("How many farms sell to bakeries?").share
    said = _sentences("The mill sells 300 tonnes to 12 bakeries. About 40% of the flour goes to bakeries.")
    assert not answers(asked, said[0])  # counts tonnes and bakeries, gives no share
    assert answers(asked, said[1])
    # a share of money may be given as a share or as amounts
    money = analyse("What share of the building cost did the council pay?")
    assert money.share and money.money
    assert answers(money, _sentences("The council covered 85% of the building.")[0])
    assert answers(money, _sentences("The council paid EUR 2 million of the EUR 4 million.")[0])


def test_who_holds_a_role_asks_for_a_person_by_name() -> None:
    assert answer_kind("Who is the president of the grain cooperative?") == PERSON
    assert answer_kind("What is the name of the mill's manager?") == PERSON
    assert answer_kind("Who runs the mill?") == AGENT
    assert states(PERSON, "The cooperative is chaired by Anna Weber, a farmer.")
    assert states(PERSON, "It was opened by Dr Smith.")
    # an organisation, a network or a place is no person
    assert not states(PERSON, "The mill's manager was elected president of the European Grain Network.")
    assert not states(PERSON, "The association is run from its office in Ferndale, Ruritania.")
    assert not states(PERSON, "The Regional Council appoints the manager.")


def test_a_month_in_the_question_is_part_of_its_date_not_a_name() -> None:
    context = frozenset(content_terms("Ferndale Grain Cooperative"))
    assert other_names("How many farms had joined by June 2015?", context) == {"2015"}


def test_a_sentence_dated_by_the_one_before_it_answers_for_that_date() -> None:
    said = _sentences(
        "By June 2015 the mill had ground 900 tonnes. At that date the cooperative had 64 farms."
    )
    asked = analyse("How many farms did the cooperative have by June 2015?")
    context = frozenset(content_terms("Ferndale Grain Cooperative"))
    names = other_names("How many farms did the cooperative have by June 2015?", context)
    assert answers(asked, said[1], names=names)
    assert not answers(asked, _sentences("In 2019 the cooperative had 70 farms.")[0], names=names)


def test_a_place_that_locates_the_practice_is_no_name_the_answer_must_repeat() -> None:
    context = frozenset(content_terms("Ferndale Grain Cooperative"))
    assert other_names("What grant can a farm get from the cooperative on Oakby?", context) == frozenset()
    assert other_names("How much did the Oakby Fund give to the cooperative?", context) == {"oakby", "fund"}


def test_an_average_a_rate_or_an_amount_per_unit_asks_for_a_number() -> None:
    assert answer_kind("What is the average age of the farmers?") == NUMBER
    assert answer_kind("What compensation per hectare do farmers receive?") == NUMBER
    assert analyse("What compensation per hectare do farmers receive?").money
    assert answer_kind("What does the cooperative offer young farmers?") is None


def test_staff_are_counted_by_people_in_a_sentence_about_employing_them() -> None:
    asked = analyse("How many staff does the mill have?")
    assert counts_something_asked(
        "The cooperative employs 17 people, 14 of them riders.", asked.counted, asked.terms
    )
    assert counts_something_asked(
        "The team is small: two full-time social workers coordinate the work.", asked.counted, asked.terms
    )
    # people the practice does not employ are no staff
    assert not counts_something_asked("The mill was visited by 3,000 people.", asked.counted, asked.terms)


def test_a_figure_per_unit_is_answered_only_by_a_figure_per_unit() -> None:
    asked = analyse("How much did each farm pay to join the mill cooperative?")
    assert asked.kind == NUMBER and asked.per_unit
    assert analyse("What is the fee per tonne of grain?").per_unit
    assert analyse("What is the average size of the farms?").per_unit
    # a span of time is a rate, not a unit: a yearly total answers it
    assert not analyse("How much does the mill spend each year?").per_unit
    assert not analyse("How many tonnes does it grind per year?").per_unit
    said = _sentences(
        "The farms together paid EUR 1.2 million for the new mill. "
        "Each farm paid a joining fee of EUR 2,000. The mill charges EUR 15 per tonne ground."
    )
    assert not answers(asked, said[0])  # a total is no figure per farm
    assert answers(asked, said[1])
    assert answers(analyse("What is the fee per tonne of grain?"), said[2])


def test_money_saved_or_earned_is_no_cost() -> None:
    said = _sentences(
        "The farms saved about EUR 400,000 on transport over ten years. "
        "Building the mill cost EUR 1.2 million. The member farms have a turnover of EUR 30 million."
    )
    cost = analyse("How much did it cost to build the mill?")
    assert not answers(cost, said[0]) and not answers(cost, said[2])
    assert answers(cost, said[1])
    # asked what was saved or earned, the money saved or earned answers
    assert answers(analyse("How much money did the farms save?"), said[0])
    assert answers(analyse("What turnover do the member farms have?"), said[2])


def test_a_bullet_list_answers_only_when_one_of_its_items_does() -> None:
    said = _sentences(
        "Results so far:\n- 22 farms deliver grain every week.\n- The mill ground 900 tonnes in 2019."
    )
    assert len(said) == 1  # one unit, cited whole
    # the farms of one item and the year of the other answer nothing together
    context = frozenset(content_terms("Ferndale Grain Cooperative"))
    question = "How many farms delivered grain in 2019?"
    assert not answers(analyse(question), said[0], names=other_names(question, context))
    question = "How many tonnes did the mill grind in 2019?"
    assert answers(analyse(question), said[0], names=other_names(question, context))


def test_a_salary_a_rent_or_a_fee_is_answered_only_by_money_of_that_kind() -> None:
    said = _sentences(
        "From 2016 to 2023 the mill cost EUR 1.9 million. The miller earns EUR 1,800 a month. "
        "Each farm pays a fee of EUR 40 per tonne."
    )
    salary = analyse("What monthly salary does the miller earn?")
    assert not answers(salary, said[0]) and answers(salary, said[1])
    fee = analyse("What fee do farms pay to use the mill?")
    assert not answers(fee, said[0]) and answers(fee, said[2])
    # money asked without a kind of its own: any amount of money may answer
    assert answers(analyse("How much did the mill cost?"), said[0])


def test_a_figure_asked_for_a_year_is_answered_only_by_one_stated_for_a_period() -> None:
    asked = analyse("How much does a member farm spend on milling per year?")
    assert asked.kind == NUMBER and asked.period == "year"
    assert analyse("What is the mill's annual budget?").period == "year"
    assert analyse("How much is the monthly fee?").period == "month"
    assert analyse("How much did the mill cost?").period is None
    said = _sentences(
        "Each member farm paid a one-off joining fee of EUR 2,000. "
        "Milling costs a member farm about EUR 3,500 a year. "
        "In 2022 the mill spent EUR 80,000 on repairs."
    )
    assert not answers(asked, said[0])  # a one-off payment is no yearly figure
    assert answers(asked, said[1])
    assert answers(analyse("How much does the mill spend on repairs annually?"), said[2])  # one named year
    assert answers(analyse("How much did each member farm pay to join?"), said[0])


def test_a_number_the_question_states_itself_is_no_answer() -> None:
    asked = analyse("Of the roughly 4,600 animals in the scheme, how many are goats?")
    assert asked.given == ("4600",)
    said = _sentences(
        "22 shepherds with about 4,600 goats and sheep take part. "
        "Of the 4,600 animals, about 3,100 are goats."
    )
    assert not answers(asked, said[0])  # it restates the question's figure
    assert answers(asked, said[1])
    # "how many (of them) are X" counts X; "how many were given out" counts what the question named
    assert counted("How many of them are women?")[0] == ("women",)
    assert counted("How many were given out in the pilot?")[0] == ()
    # a year in the question is a date, not a given figure
    assert analyse("How many goats grazed there in 2021?").given == ()
