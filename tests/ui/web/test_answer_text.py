"""Answers read into blocks and pieces: markers, quotes of the documents, lists and tables."""

from __future__ import annotations

from tests.ui.web.conftest import CITED, citation
from ui.web.answer_text import Piece, blocks, has_quotes, inline, plain


def test_a_cited_sentence_is_a_quote_and_its_lead_in_is_the_practice_name() -> None:
    pieces = inline(f"LAuGEA: {CITED} [1]", {1: CITED})
    assert pieces == [
        Piece("strong", "LAuGEA"),
        Piece("text", ": "),
        Piece("quote", CITED),
        Piece("marker", n=1),
    ]
    assert plain(pieces) == f"LAuGEA: “{CITED}” [1]"


def test_words_the_passage_does_not_hold_are_not_quoted() -> None:
    pieces = inline("LAuGEA has **21** members [1][2] and more.", {1: CITED})
    assert Piece("quote", "LAuGEA has 21 members") not in pieces
    assert Piece("strong", "21") in pieces
    assert [p.n for p in pieces if p.kind == "marker"] == [1, 2]
    assert pieces[-1] == Piece("text", "and more.")


def test_lists_tables_and_paragraphs() -> None:
    answer = "\n".join(
        [
            "Three practices:",
            "- LAuGEA: 21 members [1]",
            "- InoLink [2]",
            "",
            "| Practice | Members |",
            "|---|---|",
            "| LAuGEA | 21 [1] |",
        ]
    )
    parsed = blocks(answer, [citation(1), citation(2, "InoLink text")])
    assert [b.kind for b in parsed] == ["p", "ul", "table"]
    assert len(parsed[1].lines) == 2
    header, row = parsed[2].rows
    assert plain(header[1]) == "Members" and plain(row[1]) == "21 [1]"
    assert not has_quotes(parsed)
    assert has_quotes(blocks(f"LAuGEA: {CITED} [1]", [citation(1)]))
