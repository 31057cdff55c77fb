"""The extractive answerer on invented practices: which sentences it picks and cites, when it
answers with a near-miss, when it abstains. The relevance model is replaced by a scripted one (the
real cross-encoder has its own tests in test_relevance.py)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.answering.extractive import ExtractiveAnswerer, quantities
from assistant.question import analyse, parts
from assistant.types import Chunk, ScoredChunk

MILL = (
    "The Ferndale Grain Cooperative was founded in 2009 by eleven farming families. "
    "It now has 64 member farms across the valley. "
    "The cooperative runs a shared stone mill and sells flour to local bakeries."
)
MILL_RESOURCES = "Two part-time staff run the mill. The regional council paid for the building."
MILL_TRANSFER = "Any valley with small grain farms could copy the shared mill, if a building is found."
WELL = (
    "The Hollin Water Circle restores village wells with volunteers. "
    "Volunteers meet monthly to check the pumps and the water quality. "
    "The source does not give the number of wells restored."
)


def passage(
    practice: str,
    title: str,
    text: str,
    *,
    score: float = 0.8,
    section: str = "About this good practice",
    start: int = 0,
    country: str = "Ruritania",
) -> ScoredChunk:
    chunk = Chunk(
        practice,
        title,
        section,
        start,
        text,
        start,
        start + len(text),
        practice + ".txt",
        {"country": country},
    )
    return ScoredChunk(chunk, score)


def mill() -> list[ScoredChunk]:
    about = passage("mill", "Ferndale Grain Cooperative", MILL)
    resources = passage(
        "mill", "Ferndale Grain Cooperative", MILL_RESOURCES, section="Resources needed", start=1000
    )
    transfer = passage(
        "mill",
        "Ferndale Grain Cooperative",
        MILL_TRANSFER,
        section="Potential for learning or transfer",
        start=2000,
    )
    return [about, resources, transfer]


def well() -> ScoredChunk:
    return passage("well", "Hollin Water Circle", WELL, score=0.6)


class Scripted:
    """A relevance model that knows, per sentence fragment, how well it answers any question that
    contains a given word: {word: {fragment: logit}}; everything else scores -8 (unrelated)."""

    def __init__(self, script: dict[str, dict[str, float]]) -> None:
        self.script = script
        self.calls: list[tuple[str, bool]] = []

    def scores(self, query: str, texts: Sequence[str], *, foreign: bool) -> np.ndarray:
        self.calls.append((query, foreign))
        out = np.full(len(texts), -8.0, dtype=np.float32)
        for word, fragments in self.script.items():
            if word in query.lower():
                for i, text in enumerate(texts):
                    for fragment, value in fragments.items():
                        if fragment in text:
                            out[i] = max(out[i], value)
        return out


KNOWS = Scripted(
    {
        "founded": {"founded in 2009": 6.0, "64 member farms": 1.0},
        "members": {"64 member farms": 7.0, "founded in 2009": 2.0},
        "staff": {"Two part-time staff": 6.0},
        "resources": {"Two part-time staff": -5.0, "regional council paid": -5.5},
        "copy": {"could copy": -4.0},
        "bakeries": {"sells flour to local bakeries": 5.0},
        "wells": {"restores village wells": 4.0, "check the pumps": 1.0, "does not give the number": 2.5},
    }
)


def answerer() -> ExtractiveAnswerer:
    return ExtractiveAnswerer(relevance=KNOWS)


def test_answers_with_the_sentence_that_states_the_asked_number_and_cites_it() -> None:
    reply = answerer().reply("How many members does the grain cooperative have?", [*mill(), well()])
    assert reply is not None and not reply.abstained
    assert "64 member farms" in reply.text and "[1]" in reply.text
    assert "64 member farms" in reply.citations[0].text and reply.citations[0].practice_id == "mill"


def test_each_part_of_a_compound_question_is_answered_and_cited() -> None:
    question = "When was the grain cooperative founded, and how many members does it have?"
    assert len(parts(question)) == 2
    reply = answerer().reply(question, mill())
    assert reply is not None and not reply.abstained
    assert "2009" in reply.text and "64 member farms" in reply.text
    cited = " ".join(c.text for c in reply.citations)
    assert "founded in 2009" in cited and "64 member farms" in cited


def test_a_date_question_is_not_answered_by_a_sentence_without_a_date() -> None:
    # the best sentence about bakeries has no date: the reply says so, cites it, and abstains
    reply = answerer().reply("When did the cooperative start selling flour to bakeries?", [mill()[0]])
    assert reply is not None and reply.abstained
    assert reply.text.startswith("The Ferndale Grain Cooperative document does not state the date asked for.")
    assert "sells flour to local bakeries" in reply.text and reply.text.endswith("[1]")
    assert reply.citations[0].practice_id == "mill"


def test_a_count_of_something_else_is_a_near_miss_not_an_answer() -> None:
    # "64 member farms" is a number, but it does not count bakeries
    reply = answerer().reply("How many bakeries buy the cooperative's flour?", [mill()[0]])
    assert reply is not None and reply.abstained
    assert "does not state the number asked for" in reply.text


def test_a_stated_absence_makes_it_abstain_and_cite_the_absence() -> None:
    reply = answerer().reply("How many wells has the Hollin Water Circle restored?", [well()])
    assert reply is not None and reply.abstained
    assert "does not give the number" in reply.citations[0].text


def test_an_unrelated_question_abstains_without_citing_anything() -> None:
    assert answerer().reply("What is a good recipe for cold beetroot soup?", [*mill(), well()]) is None


def test_a_section_question_is_answered_from_that_section_when_the_practice_dominates() -> None:
    # the model scores the resources sentences low, but the question asks for the section the
    # retrieved practice has: its sentences answer
    reply = answerer().reply("What resources does the grain cooperative need?", mill())
    assert reply is not None and not reply.abstained
    assert "part-time staff" in reply.text
    assert {c.section for c in reply.citations} == {"Resources needed"}


def test_a_name_the_practice_never_uses_makes_a_count_unanswerable() -> None:
    reply = answerer().reply("How many Freedonian farms are members of the grain cooperative?", mill())
    assert reply is None or reply.abstained


def test_without_a_relevance_model_the_words_decide() -> None:
    words_only = ExtractiveAnswerer()
    reply = words_only.reply("How many member farms does the Ferndale cooperative have?", mill())
    assert reply is not None and not reply.abstained and "64 member farms" in reply.text


def test_a_question_about_several_practices_cites_each() -> None:
    question = "How do the grain cooperative and the water circle compare in membership?"
    assert analyse(question).multi
    script = Scripted({"membership": {"64 member farms": 4.0, "Volunteers meet monthly": 2.0}})
    reply = ExtractiveAnswerer(relevance=script).reply(question, [mill()[0], well()])
    assert reply is not None and not reply.abstained
    assert {c.practice_id for c in reply.citations} == {"mill", "well"}


def test_amounts_are_told_from_dates_and_list_markers() -> None:
    assert quantities("In 1999, on 16 September 2013, 12 owners") == {"12"}
    assert quantities("(1) products and (2) services") == set()


def test_a_follow_up_is_read_with_what_the_conversation_named() -> None:
    # the model scores "it" questions as unrelated; read after the practice the conversation
    # named, the question finds its sentence
    script = Scripted({"ferndale grain cooperative: who": {"sells flour to local bakeries": 5.0}})
    question = "Who does it sell to?"
    reply = ExtractiveAnswerer(relevance=script).reply(
        question, mill(), about=f"{question} Ferndale Grain Cooperative"
    )
    assert reply is not None and not reply.abstained
    assert "local bakeries" in reply.text
    assert any(q.startswith("Ferndale Grain Cooperative: Who does it") for q, _ in script.calls)


def test_a_later_part_is_answered_by_its_own_sentence_not_the_first_parts_again() -> None:
    # the second part ("what do they sell") scores the founding sentence highest too; it must
    # still add the sentence that answers it
    script = Scripted(
        {
            "founded": {"founded in 2009": 6.0},
            "sell": {"founded in 2009": 6.5, "sells flour to local bakeries": 6.0},
        }
    )
    question = "When was the grain cooperative founded, and what do they sell?"
    reply = ExtractiveAnswerer(relevance=script).reply(question, mill())
    assert reply is not None and not reply.abstained
    assert "founded in 2009" in reply.text and "local bakeries" in reply.text


def test_a_count_in_other_words_is_an_answer_where_the_model_is_sure() -> None:
    # "people" is not the word the sentence counts with ("staff"); the model is sure it answers
    script = Scripted({"people": {"Two part-time staff": 7.0}})
    reply = ExtractiveAnswerer(relevance=script).reply(
        "How many people run the mill of the grain cooperative?", mill()
    )
    assert reply is not None and not reply.abstained
    assert "Two part-time staff" in reply.text
    unsure = Scripted({"people": {"Two part-time staff": 2.0}})
    reply = ExtractiveAnswerer(relevance=unsure).reply(
        "How many people run the mill of the grain cooperative?", mill()
    )
    assert reply is None or reply.abstained


def test_a_name_the_practice_never_mentions_gets_a_near_miss() -> None:
    script = Scripted({"conclude": {"sells flour to local bakeries": 3.0}})
    reply = ExtractiveAnswerer(relevance=script).reply(
        "What did the Brightwater audit of the Ferndale Grain Cooperative conclude?", mill()
    )
    assert reply is None or reply.abstained


def test_a_typed_answer_far_less_relevant_than_the_sentence_about_the_question_is_a_near_miss() -> None:
    # the sentence about the question states no date; the one with a date is about something else
    question = "When did the mill open its shop?"
    far = Scripted({"shop": {"runs a shared stone mill": 6.0, "founded in 2009": 2.0}})
    reply = ExtractiveAnswerer(relevance=far).reply(question, mill())
    assert reply is not None and reply.abstained and "does not state the date" in reply.text
    assert "shared stone mill" in reply.text  # what it does state, cited
    near = Scripted({"shop": {"runs a shared stone mill": 3.0, "founded in 2009": 2.0}})
    reply = ExtractiveAnswerer(relevance=near).reply(question, mill())
    assert reply is not None and not reply.abstained and "2009" in reply.text


class Reading:
    """A cross-encoder stand-in that records the texts it reads: the fragment scores 6, all else -8."""

    name = "cross-encoder"

    def __init__(self, fragment: str) -> None:
        self.fragment = fragment
        self.read: list[str] = []

    def scores(self, query: str, texts: Sequence[str], *, foreign: bool) -> np.ndarray:
        self.read.extend(texts)
        return np.array([6.0 if self.fragment in t else -8.0 for t in texts], dtype=np.float32)


def test_choosing_the_practice_reads_the_sentences_nearest_in_words_of_each_then_all_of_the_chosen() -> None:
    from assistant.answering import extractive
    from assistant.embeddings import HashingEmbeddings

    filler = " ".join(f"The {w} committee met in spring." for w in "abcdefghijkl")
    mill = passage("mill", "Ferndale Grain Cooperative", filler + " The mill employs 7 millers.")
    farm = passage(
        "farm",
        "Upland Dairy Farm",
        filler.replace("committee", "board") + " The farm mill is old.",
        score=0.7,
    )
    relevance = Reading("employs 7 millers")
    answerer = ExtractiveAnswerer(HashingEmbeddings(), relevance=relevance)  # type: ignore[arg-type]
    reply = answerer.reply("How many millers does the mill employ?", [mill, farm])
    assert reply is not None and "employs 7 millers" in reply.text
    farm_read = {t for t in relevance.read if t.startswith("Upland Dairy Farm")}
    assert len(farm_read) == extractive.CHOICE_SENTENCES  # of its 13 sentences
    assert "Upland Dairy Farm: The farm mill is old." in farm_read  # the one sharing "mill"
    mill_read = {t for t in relevance.read if t.startswith("Ferndale")}
    assert len(mill_read) == 13  # the chosen practice: every sentence


def test_a_section_question_in_another_language_is_answered_from_that_section_alone() -> None:
    # the embedder (other languages) finds the cooperative's founding as close as its resources
    cosines = Scripted(
        {"ressourcen": {"founded in 2009": 3.0, "Two part-time staff": 2.0, "regional council": 1.5}}
    )
    reply = ExtractiveAnswerer(relevance=cosines).reply(
        "Welche Ressourcen braucht die Getreidegenossenschaft?", mill()
    )
    assert reply is not None and not reply.abstained
    assert "part-time staff" in reply.text and "founded in 2009" not in reply.text
    assert {c.section for c in reply.citations} == {"Resources needed"}


def test_a_word_two_titles_share_names_neither_when_one_is_named_by_its_own_words() -> None:
    from assistant.answering.multi import names_several
    from assistant.answering.sentences import sentences

    found = sentences(
        [*mill(), well(), passage("co", "Oakby Grain Cooperative", "It bakes bread for the school.")]
    )
    # "Cooperative" is in both titles; only the Ferndale practice is named by a word of its own
    assert not names_several("When did the Ferndale Grain Cooperative open its mill?", found)
    assert names_several("Do the Ferndale Cooperative and the Oakby Cooperative both sell flour?", found)


def test_a_figure_asked_by_what_it_measures_is_answered_by_a_sentence_in_its_unit() -> None:
    text = "The two turbines total 4.6 MW and cost EUR 6 million. The farm produces 15 GWh a year."
    wind = [passage("wind", "Ashby Wind Farm", text)]
    # the relevance model reads "capacity" as asking for the output, and hardly for megawatts
    reads = ExtractiveAnswerer(relevance=Scripted({"capacity": {"15 GWh": 5.0, "4.6 MW": -2.0}}))
    reply = reads.reply("What is the capacity and annual output of the Ashby wind farm?", wind)
    assert reply is not None and not reply.abstained
    assert "4.6 MW" in reply.text and "15 GWh" in reply.text


def test_the_sentence_that_answers_comes_first_and_the_rest_in_document_order() -> None:
    from assistant.answering.extractive import render
    from assistant.answering.sentences import sentences

    text = "The mill opened in 2004. It grinds 9,000 tonnes a year. Any grain region could copy it."
    chunk = Chunk(
        "mill", "Ferndale Grain Cooperative", "About this good practice", 0, text, 0, len(text), "m.txt", {}
    )
    said = sentences([ScoredChunk(chunk, 0.8)])
    reply = render([said[2], said[0], said[1]], abstained=False, lead=said[2])
    assert reply.text == (
        "Ferndale Grain Cooperative: Any grain region could copy it. [1] The mill opened in 2004. [2] "
        "It grinds 9,000 tonnes a year. [3]"
    )
    # without a lead, document order
    assert render([said[2], said[0]], abstained=False).text.startswith("Ferndale Grain Cooperative: The mill")
