"""The extractive answerer on hand-made passages: what it picks, and when it abstains."""

from __future__ import annotations

from assistant.answering.extractive import ExtractiveAnswerer, quantities
from assistant.question import analyse, parts
from assistant.types import Chunk, ScoredChunk

BACC = (
    "The Baltic Automotive Components Cluster (BACC) links suppliers to the car industry. "
    "It brings together companies from Lithuania, Germany and Sweden. "
    "The published description does not give a budget or the number of staff of the cluster organisation. "
    "About fifty companies in Lithuania produce parts for global carmakers."
)
LAUGEA = (
    "The Lithuanian Automotive Export Association (LAuGEA) was founded in 2014. "
    "Currently, the cluster consists of 21 members, including 19 automotive companies. "
    "Cluster employs 4 employees. "
    "The cluster implemented national projects, which provide part of its funding."
)
ENO = (
    "In 1999, 12 local forest owners set up the Eno Energy Cooperative to heat public buildings. "
    "The cooperative is now owned by 55 forest owners and runs three heating plants."
)


def passage(
    practice: str,
    title: str,
    text: str,
    score: float = 0.8,
    country: str = "Lithuania",
    section: str = "About this good practice",
) -> ScoredChunk:
    chunk = Chunk(practice, title, section, 0, text, 0, len(text), practice + ".txt", {"country": country})
    return ScoredChunk(chunk, score)


def bacc() -> ScoredChunk:
    return passage("bacc", "Baltic Automotive Components Cluster (BACC)", BACC)


def laugea(score: float = 0.7) -> ScoredChunk:
    return passage("laugea", "Lithuanian Automotive Export Association (LAuGEA)", LAUGEA, score)


def eno() -> ScoredChunk:
    return passage("eno", "Eno Energy Cooperative", ENO, country="Finland")


answerer = ExtractiveAnswerer()


def test_answers_with_the_cited_sentence() -> None:
    reply = answerer.reply(
        "How many members does the Lithuanian automotive export association LAuGEA have?", [laugea(), bacc()]
    )
    assert reply is not None and not reply.abstained
    assert "21 members" in reply.text and "[1]" in reply.text
    assert reply.citations[0].text in LAUGEA and "21 members" in reply.citations[0].text


def test_a_stated_absence_makes_it_abstain_and_cite_the_absence() -> None:
    reply = answerer.reply(
        "How many staff does the Baltic Automotive Components Cluster employ?", [bacc(), laugea()]
    )
    assert reply is not None and reply.abstained
    assert "does not give" in reply.citations[0].text and reply.citations[0].practice_id == "bacc"


def test_a_qualifier_the_practice_never_names_makes_it_abstain() -> None:
    reply = answerer.reply("How many German companies are members of LAuGEA?", [laugea(), bacc()])
    assert reply is None or reply.abstained


def test_how_many_needs_the_counted_thing_and_a_number_not_a_year() -> None:
    reply = answerer.reply("How many forest owners own the Eno cooperative today?", [eno()])
    assert reply is not None and "55 forest owners" in reply.text
    assert quantities("In 1999, on 16 September 2013, 12 owners") == {"12"}


def test_each_part_of_a_compound_question_gets_its_sentence() -> None:
    question = "How many staff run LAuGEA, and how many members does the association have?"
    assert len(parts(question)) == 2
    reply = answerer.reply(question, [laugea()])
    assert reply is not None and "4 employees" in reply.text and "21 members" in reply.text


def test_a_question_about_several_practices_cites_each() -> None:
    question = "How do the two Lithuanian automotive cluster practices differ in membership?"
    assert analyse(question).multi
    reply = answerer.reply(question, [bacc(), laugea()])
    assert reply is not None and not reply.abstained
    assert {c.practice_id for c in reply.citations} == {"bacc", "laugea"}


def test_an_unrelated_question_abstains() -> None:
    assert answerer.reply("What's a good recipe for cold beetroot soup?", [laugea(), bacc()]) is None


def test_questions_in_other_languages_are_recognised() -> None:
    assert analyse("Kiek narių turi Lietuvos automobilių eksporto asociacija LAuGEA?").foreign
    assert analyse("Ile firm członkowskich liczy klaster Dolina Lotnicza?").quantity
    assert not analyse("How many members does LAuGEA have?").foreign


PLAN_A = (
    "Plan Alpha is the first step of the region's export ladder. "
    "In 2016 Plan Alpha had a budget of EUR 88,000 for promotion and training. "
    "Support for promotion abroad covers expenses of up to EUR 2,500 per company."
)
PLAN_B = (
    "Plan Beta had a budget of EUR 103,000 in 2016 for thirty enterprises. "
    "Plan Beta is the second step of the export ladder, after the Plan Alpha introductory support. "
    "Support for promotion abroad covers expenses of up to EUR 3,000 per company."
)


def test_in_a_comparison_a_sentence_naming_the_other_practice_tells_nothing_new() -> None:
    question = "How do Plan Alpha and Plan Beta differ in budget and per-company support?"
    passages = [
        passage("alpha", "Plan Alpha (Extremadura)", PLAN_A, country="Spain"),
        passage("beta", "Plan Beta (Extremadura)", PLAN_B, 0.7, country="Spain"),
    ]
    reply = answerer.reply(question, passages)
    assert reply is not None and not reply.abstained
    # each plan's budget and its own per-company figure, not "Beta comes after Alpha"
    for figure in ("88,000", "103,000", "2,500", "3,000"):
        assert figure in reply.text, figure
    assert "second step" not in reply.text


VOUCHERS = {
    "tampere": (
        "Tampere Region Innovation Voucher",
        "Finland",
        "The Tampere pilot helped small firms buy innovation services from experts. "
        "Each voucher was worth at most EUR 5,000.",
    ),
    "nwe": (
        "Innovation Vouchers (North West England)",
        "United Kingdom",
        "The vouchers linked companies with universities for innovation projects. "
        "Two voucher levels existed: up to GBP 3,000, or up to GBP 7,000 with the company paying 30%.",
    ),
    "jic": (
        "JIC Innovation Voucher (South Moravia)",
        "Czechia",
        "JIC supports innovation in South Moravian firms. "
        "The JIC voucher covers 75% of the contract cost, up to a maximum of CZK 100,000.",
    ),
    "growth": (
        "Regional Growth through Dynamic Innovation Systems",
        "Sweden",
        "A winning region can receive up to SEK 10 million a year for its innovation system.",
    ),
}


def test_which_practices_are_x_lists_those_that_are_x_with_each_ones_amount() -> None:
    question = "Which practices are innovation voucher schemes, and how do the amounts per voucher compare?"
    passages = [
        passage(pid, title, text, 0.8 - 0.05 * i, country=country)
        for i, (pid, (title, country, text)) in enumerate(VOUCHERS.items())
    ]
    reply = answerer.reply(question, passages)
    assert reply is not None and not reply.abstained
    cited = {c.practice_id for c in reply.citations}
    # none of the texts calls itself a "scheme"; a programme that gives no vouchers is not one
    assert cited == {"tampere", "nwe", "jic"}
    for figure in ("5,000", "7,000", "100,000"):
        assert figure in reply.text, figure


class SameVector:
    """An embedder that finds every text equally close to every question: the words decide."""

    def embed_query(self, text: str) -> list[float]:
        return [1.0, 0.0]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [[0.8, 0.6] for _ in texts]


def test_a_sentence_left_unembedded_still_competes_on_its_words() -> None:
    # a budget of one embedded sentence per question: most sentences get no similarity at all
    frugal = ExtractiveAnswerer(SameVector(), similarity_budget=1)  # type: ignore[arg-type]
    question = "How do Plan Alpha and Plan Beta differ in budget and per-company support?"
    passages = [
        passage("alpha", "Plan Alpha (Extremadura)", PLAN_A, country="Spain"),
        passage("beta", "Plan Beta (Extremadura)", PLAN_B, 0.7, country="Spain"),
    ]
    reply = frugal.reply(question, passages)
    assert reply is not None and not reply.abstained
    for figure in ("88,000", "103,000", "2,500", "3,000"):
        assert figure in reply.text, figure


def test_which_practices_report_figures_finds_them_in_other_words_and_skips_unrelated_gaps() -> None:
    question = "Which urban mobility practices report usage figures, and what are they?"
    passages = [
        passage(
            "shuttle",
            "Electric Shuttles in the Old Town",
            "Free electric shuttles improve urban mobility in the old town. "
            "By 2017 the shuttles had carried over 1.2 million passengers.",
            country="Slovenia",
        ),
        passage(
            "fares",
            "Free Public Transport for Residents",
            "Residents ride the city's buses and trams for free. "
            "In January 2014 the number of journeys rose by 13.8%.",
            0.75,
            country="Estonia",
        ),
        passage(
            "pearls",
            "Soft Mobility Tourism Network",
            "The network promotes soft mobility holidays. The source does not give budget or staff figures.",
            0.7,
            country="Austria",
        ),
    ]
    reply = answerer.reply(question, passages)
    assert reply is not None and not reply.abstained
    # "transport" and "journeys" are mobility and usage; a missing budget is not a usage figure
    assert "1.2 million" in reply.text and "13.8%" in reply.text
    assert "pearls" not in {c.practice_id for c in reply.citations}


def test_a_comparison_of_named_practices_answers_for_those_with_the_counts_asked_for() -> None:
    question = "How do Alpha Valley and the Beta Cluster compare in number of members?"
    passages = [
        passage(
            "alpha",
            "Alpha Valley Aerospace Cluster",
            "Alpha Valley shows that a rural region can anchor a high-tech cluster. "
            "The combined sales of member companies are about USD 3 billion. "
            "Starting from 17 founding firms, the association has grown to around 160 members.",
            country="Poland",
        ),
        passage(
            "beta",
            "Beta Cluster",
            "The Beta Cluster helps software firms build their own products. "
            "By 2023 its membership was well over 90 firms.",
            0.75,
            country="Romania",
        ),
        passage(
            "gamma",
            "Gamma Export Network",
            "The Gamma network has 300 member firms and a cluster office in the valley.",
            0.7,
            country="Spain",
        ),
    ]
    reply = answerer.reply(question, passages)
    assert reply is not None and not reply.abstained
    assert {c.practice_id for c in reply.citations} == {"alpha", "beta"}  # the two it names
    assert "160 members" in reply.text and "90 firms" in reply.text
    assert "USD 3 billion" not in reply.text  # mentions members, counts dollars
