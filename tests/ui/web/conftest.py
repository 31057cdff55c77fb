"""Turns and answers as the web UI's state holds them, for the rendering and export tests."""

from __future__ import annotations

from typing import Any

import pytest

from ui.web.session import Chat, PracticeRef, Turn

CITED = "Currently, the cluster consists of 21 members, including 19 automotive companies."


def citation(n: int, text: str = CITED, **fields: Any) -> dict[str, Any]:
    base = {
        "n": n,
        "practice_id": "laugea",
        "title": "Lithuanian Automotive Export Association (LAuGEA)",
        "section": "Evidence of success",
        "source": "laugea.txt",
        "text": text,
        "start": 100,
        "end": 100 + len(text),
    }
    return {**base, **fields}


def answered(question: str = "How many members does LAuGEA have?", lang: str = "en") -> Turn:
    answer = {
        "answer": f"Lithuanian Automotive Export Association (LAuGEA): {CITED} [1]",
        "abstained": False,
        "citations": [citation(1)],
        "timings_ms": {},
    }
    return Turn(question, answer, lang=lang)


def refused(
    question: str = "Which is older: LAuGEA or InoLink?", lang: str = "en", nearest: bool = True
) -> Turn:
    answer = {"answer": "The documents do not say: ...", "abstained": True, "citations": [], "timings_ms": {}}
    refs = [PracticeRef("laugea", "Lithuanian Automotive Export Association (LAuGEA)")] if nearest else []
    return Turn(question, answer, lang=lang, nearest=refs)


@pytest.fixture
def chat() -> Chat:
    return Chat([answered(), refused()])
