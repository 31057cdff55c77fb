"""Reading a test set: JSON lines, Praxis style
``{"id", "question", "answer", "must_include", "sources", "type", "history"}`` or RAGAS style
``{"user_input", "reference", ...}`` (``user_input`` may also be a list of chat messages, the last
one being the question)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import TestsetError
from assistant.types import Message


@dataclass
class EvalRow:
    """One test question."""

    id: str
    question: str
    type: str
    line: int
    history: list[Message] = field(default_factory=list)
    must_include: list[str] | None = None  # None: the row does not check the answer text
    sources: list[str] | None = None  # None: the row does not say where the answer is; []: nowhere
    reference: str | None = None
    filters: dict[str, str] = field(default_factory=dict)


# -- reading a test set ------------------------------------------------------------------------


def _string_list(value: Any, key: str, where: str) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TestsetError(f"{where}: {key!r} must be a list of strings, got {value!r}")
    return list(value)


def _history(value: Any, where: str) -> list[Message]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise TestsetError(f"{where}: 'history' must be a list of {{'role', 'content'}} turns")
    turns = []
    for turn in value:
        if not isinstance(turn, dict) or not isinstance(turn.get("content"), str):
            raise TestsetError(f"{where}: each history turn needs a 'content' string, got {turn!r}")
        role = str(turn.get("role") or turn.get("type") or "user").lower()
        role = {"human": "user", "ai": "assistant"}.get(role, role)
        if role not in ("user", "assistant"):
            raise TestsetError(f"{where}: history role must be 'user' or 'assistant', got {role!r}")
        turns.append(Message(role, turn["content"]))
    return turns


def parse_row(data: Any, line: int, where: str) -> EvalRow:
    """One test set line -> EvalRow. Raises TestsetError naming the line and what is wrong."""
    if not isinstance(data, dict):
        raise TestsetError(f"{where}: expected a JSON object, got {type(data).__name__}")
    history = _history(data.get("history"), where)
    question = data.get("question")
    if question is None and "user_input" in data:  # RAGAS
        question = data["user_input"]
        if isinstance(question, list):  # a RAGAS multi-turn sample: the last user turn asks
            turns = _history(question, where)
            if not turns or turns[-1].role != "user":
                raise TestsetError(f"{where}: a multi-turn 'user_input' must end with a user turn")
            history, question = turns[:-1], turns[-1].content
    if not isinstance(question, str) or not question.strip():
        raise TestsetError(f"{where}: needs a non-empty 'question' (or RAGAS 'user_input') string")
    reference = data.get("answer", data.get("reference"))
    if reference is not None and not isinstance(reference, str):
        raise TestsetError(f"{where}: 'answer'/'reference' must be a string")
    sources = _string_list(data.get("sources"), "sources", where)
    must_include = _string_list(data.get("must_include"), "must_include", where)
    filters = data.get("filters") or {}
    if not isinstance(filters, dict) or not all(isinstance(v, str) for v in filters.values()):
        raise TestsetError(f"{where}: 'filters' must be an object of strings")
    row_type = data.get("type") or ("unlabelled" if sources is None else "default")
    return EvalRow(
        id=str(data.get("id") or f"line-{line}"),
        question=question,
        type=str(row_type),
        line=line,
        history=history,
        must_include=must_include,
        sources=sources,
        reference=reference,
        filters={str(k): v for k, v in filters.items()},
    )


def load_testset(path: Path) -> list[EvalRow]:
    """Read a JSONL test set. Raises TestsetError naming the file and line of any bad row."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise TestsetError(f"test set {path} does not exist") from exc
    except UnicodeDecodeError as exc:
        raise TestsetError(f"test set {path} is not UTF-8 text: {exc.reason}") from exc
    except OSError as exc:
        raise TestsetError(f"cannot read test set {path}: {exc.strerror}") from exc
    rows: list[EvalRow] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TestsetError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from exc
        row = parse_row(data, number, where)
        if row.id in seen:
            raise TestsetError(f"{where}: id {row.id!r} already used on line {seen[row.id]}")
        seen[row.id] = number
        rows.append(row)
    if not rows:
        raise TestsetError(f"test set {path} has no questions; write one JSON object per line")
    return rows


# -- scoring one answer ------------------------------------------------------------------------
