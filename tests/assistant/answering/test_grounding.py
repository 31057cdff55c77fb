"""Follow-up condensation, and citations checked in code before an answer is shown."""

from __future__ import annotations

from assistant.answering.citations import verify
from assistant.answering.extractive import ExtractiveAnswerer, Reply
from assistant.conversation import condense
from assistant.pipeline import Assistant
from assistant.types import Chunk, Citation, Message, ScoredChunk

TEXT = "The cluster consists of 21 members. Cluster employs 4 employees."
CHUNK = Chunk("laugea", "LAuGEA", "Evidence of success", 0, TEXT, 100, 100 + len(TEXT), "laugea.txt")
PASSAGE = ScoredChunk(CHUNK, 0.9)


def cited(n: int, text: str) -> Citation:
    start = 100 + TEXT.index(text)
    return Citation(
        n, "laugea", "LAuGEA", "Evidence of success", "laugea.txt", text, start, start + len(text)
    )


def test_follow_ups_name_what_they_refer_to() -> None:
    history = [
        Message("user", "Tell me about the Lithuanian automotive export association."),
        Message("assistant", "LAuGEA was founded in 2014 as a cross-sectoral cluster."),
    ]
    query = condense("And how many members does it have?", history)
    assert query.startswith("And how many members does it have?")
    assert "LAuGEA" in query and "Lithuanian automotive export association" in query
    standalone = "How many members does the Lithuanian automotive export association have?"
    assert condense(standalone, history) == standalone


def test_verify_finds_bad_markers_and_invented_numbers() -> None:
    good = cited(1, "The cluster consists of 21 members.")
    assert verify("LAuGEA has 21 members [1].", [good], [PASSAGE]) == []
    assert verify("LAuGEA has 25 members [1].", [good], [PASSAGE]) == [
        "['25'] not in the cited text: 'LAuGEA has 25 members'"
    ]
    assert "points at no retrieved passage" in verify("It has 21 members [3].", [good], [PASSAGE])[0]
    elsewhere = Citation(1, "other", "X", "S", "x.txt", "21 members", 0, 10)
    assert verify("It has 21 members [1].", [elsewhere], [PASSAGE]) == [
        "citation [1] is not from a retrieved passage"
    ]


class ScriptedRetriever:
    def retrieve(self, query, *, k, filters=None, intent=None):
        return [PASSAGE]

    def expand(self, query, passages, *, filters=None, intent=None):
        return list(passages)


class ScriptedAnswerer(ExtractiveAnswerer):
    """Replies with a claim its citation backs and one with a number nobody said."""

    def reply(self, question, passages, k=None, about=None, **analysed):
        return Reply(
            "LAuGEA: The cluster consists of 21 members. [1] It employs 40 people. [2]",
            [cited(1, "The cluster consists of 21 members."), cited(2, "Cluster employs 4 employees.")],
            False,
        )


def test_the_assistant_drops_claims_their_citation_does_not_back() -> None:
    answer = Assistant(ScriptedRetriever(), ScriptedAnswerer()).ask("How big is LAuGEA?")
    assert not answer.abstained
    assert "21 members" in answer.text and "40" not in answer.text
    assert [c.n for c in answer.citations] == [1]
