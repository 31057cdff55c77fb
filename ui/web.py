"""The web UI (Gradio Blocks), mounted at / of the API app: chat with streamed, cited answers.

Everything shown from documents or answers is escaped here and rendered as text: a <script> in a
practice file is displayed, never run.
"""

from __future__ import annotations

import html
import json
import logging
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.errors import PraxisError
from assistant.practices.listing import PracticeQuery, facet_values, list_practices
from assistant.types import Practice, TextDelta
from ui.catalog_view import comparison_html, facts_html, similar_html
from ui.services import Services, user_message

if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger(__name__)

ALL = ""  # the dropdown value meaning "no filter"
EXAMPLES = [
    "How many nurses work in a Buurtzorg team?",
    "What does the CENTROPE innovation voucher pay for?",
    "How many members does LAuGEA have?",
    "What evidence of success does the Tallinn free public transport have?",
]
NOT_IN_DOCUMENTS = (
    "**Not in the documents.** No passage in the good practices answers this question. "
    "Try other words, ask about a specific practice, or clear the filters."
)

CSS = """
#praxis-citations .chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0; }
#praxis-citations .chip { border: 1px solid var(--border-color-accent, #7c3aed); border-radius: 999px;
  padding: 3px 10px; background: var(--background-fill-secondary); cursor: pointer; font-size: 0.9em; }
#praxis-citations .chip:hover, #praxis-citations .chip:focus { background: var(--color-accent-soft); }
#praxis-viewer .practice-text { white-space: pre-wrap; line-height: 1.5; }
#praxis-viewer mark.cited { background: #fde047; color: #111; padding: 1px 0; border-radius: 2px; }
#praxis-viewer .where { font-weight: 600; position: sticky; top: 0; z-index: 1;
  background: var(--block-background-fill); padding: 4px 0; margin: 0; }
#praxis-viewer h4 .cited-tag { font-size: 0.8em; font-weight: 500; margin-left: 6px; }
#praxis-viewer .meta { opacity: 0.8; font-size: 0.9em; }
"""

CHIPS_TEMPLATE = (
    "{{#if value.length}}<div class='chips' role='list' aria-label='Sources'>{{#each value}}"
    "<button type='button' class='chip' role='listitem' data-n='{{this.n}}' "
    "title='Open {{this.title}}, {{this.section}}'>[{{this.n}}] {{this.title}} · {{this.section}}</button>"
    "{{/each}}</div>{{/if}}"
)
CHIPS_JS = """
element.addEventListener('click', (event) => {
  const chip = event.target.closest('.chip');
  if (chip) trigger('click', {n: Number(chip.dataset.n)});
});
"""
VIEWER_JS = """
watch('value', () => {
  const mark = element.querySelector('mark.cited');
  if (mark) mark.scrollIntoView({block: 'center'});
});
"""


# -- rendering (plain functions, tested without a browser) ---------------------------------------


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def chat_text(text: str) -> str:
    """Question or answer text for the chat, HTML-escaped; the chat renders no Markdown, so the
    text is shown exactly as written."""
    return escape(text)


def practice_html(practice: Practice, citation: dict[str, Any] | None = None) -> str:
    """The practice, section by section, with the cited span (if any) wrapped in <mark>."""
    fields = (practice.metadata.get("country"), practice.metadata.get("theme"), practice.source)
    meta = " · ".join(escape(v) for v in fields if v)
    parts = [
        f"<div class='practice' data-practice='{escape(practice.id)}'>",
        f"<h3>{escape(practice.title)}</h3>",
        f"<p class='meta'>{meta}</p>",
    ]
    start = end = -1
    if citation:
        start, end = int(citation["start"]), int(citation["end"])
        parts.append(
            f"<p class='where'>[{int(citation['n'])}] is cited from the section "
            f"“{escape(str(citation['section']))}”:</p>"
        )
    url = practice.metadata.get("url", "")
    for section in practice.sections:
        text = practice.text[section.start : section.end]
        lo, hi = max(start, section.start), min(end, section.end)
        tag = ""
        if lo < hi:
            body = (
                escape(text[: lo - section.start])
                + "<mark class='cited'>"
                + escape(text[lo - section.start : hi - section.start])
                + "</mark>"
                + escape(text[hi - section.start :])
            )
            tag = f"<span class='cited-tag'>(cited as [{int(citation['n'])}])</span>" if citation else ""
        else:
            body = escape(text)
        parts.append(
            f"<section data-section='{escape(section.name)}'><h4>{escape(section.name)}{tag}</h4>"
            f"<div class='practice-text'>{body}</div></section>"
        )
    if url.startswith(("http://", "https://")):
        parts.append(
            f"<p class='meta'>Original: <a href='{escape(url)}' rel='noopener noreferrer' "
            f"target='_blank'>{escape(url)}</a></p>"
        )
    parts.append("</div>")
    return "".join(parts)


def chat_messages(conversation: list[dict[str, Any]]) -> list[dict[str, str]]:
    messages: list[dict[str, str]] = []
    for exchange in conversation:
        messages.append({"role": "user", "content": chat_text(exchange["question"])})
        messages.append({"role": "assistant", "content": chat_text(exchange["answer"]["answer"])})
    return messages


def history_of(conversation: list[dict[str, Any]], turns: int = 10) -> list[dict[str, str]]:
    """The last exchanges as Assistant history (user, assistant, ...)."""
    history: list[dict[str, str]] = []
    for exchange in conversation[-turns:]:
        history.append({"role": "user", "content": exchange["question"]})
        history.append({"role": "assistant", "content": exchange["answer"]["answer"]})
    return history


def conversation_markdown(conversation: list[dict[str, Any]]) -> str:
    lines = [f"# Praxis conversation, {time.strftime('%Y-%m-%d %H:%M')}", ""]
    for number, exchange in enumerate(conversation, 1):
        answer = exchange["answer"]
        lines += [f"## {number}. {exchange['question']}", "", answer["answer"], ""]
        if answer["abstained"]:
            lines += ["_Not in the documents._", ""]
        if answer["citations"]:
            lines += ["Sources:", ""]
            for c in answer["citations"]:
                quoted = " ".join(c["text"].split())
                lines.append(
                    f"- [{c['n']}] {c['title']}, {c['section']} ({c['source']}, "
                    f'characters {c["start"]}-{c["end"]}): "{quoted}"'
                )
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


class FeedbackLog:
    """Appends one JSON line per rating to a file (DATA_DIR/feedback.jsonl)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(self, exchange: dict[str, Any], rating: str, filters: dict[str, str] | None = None) -> None:
        row = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "rating": rating,
            "question": exchange["question"],
            "answer": exchange["answer"]["answer"],
            "abstained": exchange["answer"]["abstained"],
            "citations": exchange["answer"]["citations"],
            "filters": filters or exchange.get("filters") or {},
        }
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")


# -- the handlers --------------------------------------------------------------------------------

Conversation = list[dict[str, Any]]
PRIVATE = "private"  # an event only the page itself triggers: no API endpoint


def _filters(country: str | None, theme: str | None) -> dict[str, str]:
    return {k: v for k, v in (("country", country), ("theme", theme)) if v}


def chip_clicked(evt: gr.EventData) -> int | None:
    """The number of the citation chip the user clicked."""
    data = getattr(evt, "_data", None) or {}
    value = data.get("n") if isinstance(data, dict) else None
    return int(value) if isinstance(value, int | float) else None


def clear() -> tuple[Any, ...]:
    """A new conversation: chat, state, chips, notice, status and export file emptied."""
    return [], [], [], gr.update(visible=False), "", gr.update(value=None, visible=False)


class Handlers:
    """What the page's events call, over the shared services (store, catalog, Assistant)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.feedback = FeedbackLog(Path(services.settings.data_dir) / "feedback.jsonl")
        self.export_dir = Path(tempfile.mkdtemp(prefix="praxis-export-"))

    # -- filters and browsing --------------------------------------------------------------------

    def filter_choices(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        practices = self.services.store.practices()
        return (
            [("All countries", ALL), *[(c, c) for c in facet_values(practices, "country")]],
            [("All themes", ALL), *[(t, t) for t in facet_values(practices, "theme")]],
        )

    def practice_choices(self, country: str | None = None, theme: str | None = None) -> list[tuple[str, str]]:
        query = PracticeQuery(country=country or None, theme=theme or None)
        return [(p.practice.title, p.practice.id) for p in list_practices(self.services.catalog, query)]

    def on_load(self) -> tuple[Any, Any, Any]:
        """Fresh choices on every page load: practices may have been added since start-up."""
        countries, themes = self.filter_choices()
        return (
            gr.update(choices=countries, value=ALL),
            gr.update(choices=themes, value=ALL),
            gr.update(choices=self.practice_choices(), value=None),
        )

    def on_filter(self, country: str | None, theme: str | None) -> Any:
        return gr.update(choices=self.practice_choices(country, theme), value=None)

    def compare_choices(self) -> Any:
        return gr.update(choices=self.practice_choices())

    def show_practice(self, practice_id: str | None) -> str:
        if not practice_id:
            return "<p>Pick a practice to read it.</p>"
        practice = self.services.store.get_practice(practice_id)
        if practice is None:
            return "<p>That practice is no longer in the store.</p>"
        catalog = self.services.catalog
        return (
            facts_html(practice, catalog.facts_of(practice))
            + practice_html(practice)
            + similar_html(catalog.similar(practice.id, k=5))
        )

    def compare(self, practice_ids: list[str] | None) -> str:
        try:
            return comparison_html(self.services.catalog.compare(practice_ids or []))
        except PraxisError as exc:  # fewer than 2, more than 5, or a practice gone meanwhile
            log.warning("compare failed error=%s", exc)
            return f"<p class='praxis-error'>{escape(user_message(exc))}</p>"

    # -- asking ----------------------------------------------------------------------------------

    def respond(
        self, question: str, conversation: Conversation, country: str | None, theme: str | None
    ) -> Iterator[tuple[Any, ...]]:
        """Stream the answer into the chat; outputs: box, chat, conversation, chips, notice."""
        hidden = gr.update(visible=False)
        question = (question or "").strip()
        if not question:
            yield gr.update(), chat_messages(conversation), conversation, [], hidden
            return
        shown = [
            *chat_messages(conversation),
            {"role": "user", "content": chat_text(question)},
            {"role": "assistant", "content": ""},
        ]
        yield "", shown, conversation, [], hidden
        filters = _filters(country, theme)
        events = self.services.assistant.stream(question, history=history_of(conversation), filters=filters)
        text, answer = "", None
        try:
            for event in events:
                if isinstance(event, TextDelta):
                    text += event.text
                    shown[-1] = {"role": "assistant", "content": chat_text(text)}
                    yield "", shown, conversation, [], hidden
                else:
                    answer = event.answer.to_dict()
        except PraxisError as exc:  # the user sees what to do, never server details
            log.warning("answer failed error=%s", exc)
            shown[-1] = {
                "role": "assistant",
                "content": chat_text(f"Sorry, I cannot answer that: {user_message(exc)}"),
            }
            yield question, shown, conversation, [], hidden
            return
        assert answer is not None  # the stream ends with Completed
        conversation = [*conversation, {"question": question, "answer": answer, "filters": filters}]
        chips = [{"n": c["n"], "title": c["title"], "section": c["section"]} for c in answer["citations"]]
        notice = gr.update(value=NOT_IN_DOCUMENTS, visible=answer["abstained"])
        yield "", chat_messages(conversation), conversation, chips, notice

    def show_citation(self, n: float | None, conversation: Conversation) -> str:
        """The practice behind citation [n] of the latest answer, the cited passage highlighted."""
        if not conversation or n is None:
            return "<p>Ask a question, then click a numbered source to read it here.</p>"
        citations = {c["n"]: c for c in conversation[-1]["answer"]["citations"]}
        citation = citations.get(int(n))
        if citation is None:
            return f"<p>The latest answer has no source [{int(n)}].</p>"
        practice = self.services.store.get_practice(citation["practice_id"])
        if practice is None:
            return f"<p>{escape(citation['title'])} is no longer in the store.</p>"
        return practice_html(practice, citation)

    # -- feedback and export ---------------------------------------------------------------------

    def rate(self, rating: str, conversation: Conversation, index: int | None = None) -> str:
        if not conversation:
            return "Ask something first; then rate the answer."
        self.feedback.record(conversation[-1 if index is None else index], rating)
        if rating == "up":
            return "Thanks, your feedback was saved."
        return "Thanks, noted: this answer was not helpful. Your feedback was saved."

    def rate_up(self, conversation: Conversation) -> str:
        return self.rate("up", conversation)

    def rate_down(self, conversation: Conversation) -> str:
        return self.rate("down", conversation)

    def on_like(self, conversation: Conversation, data: gr.LikeData) -> str:
        index = data.index[0] if isinstance(data.index, list | tuple) else data.index
        exchange = int(index) // 2
        if not 0 <= exchange < len(conversation):
            return ""
        return self.rate("up" if data.liked else "down", conversation, exchange)

    def export(self, conversation: Conversation) -> Any:
        if not conversation:
            return gr.update(value=None, visible=False)
        path = self.export_dir / f"praxis-conversation-{time.strftime('%Y%m%d-%H%M%S')}.md"
        path.write_text(conversation_markdown(conversation), encoding="utf-8")
        return gr.update(value=str(path), visible=True)


# -- the Blocks ----------------------------------------------------------------------------------


@dataclass
class AskTab:
    """The components of the Ask tab that events read or write."""

    conversation: gr.State
    selected: gr.Number
    chat: gr.Chatbot
    box: gr.Textbox
    send: gr.Button
    chips: gr.HTML
    notice: gr.Markdown
    up: gr.Button
    down: gr.Button
    export_btn: gr.Button
    clear_btn: gr.Button
    status: gr.Markdown
    export_file: gr.File
    country: gr.Dropdown
    theme: gr.Dropdown
    practice: gr.Dropdown
    viewer: gr.HTML


def _chat_column() -> dict[str, Any]:
    """The conversation, the question box, the sources and the feedback buttons."""
    parts: dict[str, Any] = {}
    parts["chat"] = gr.Chatbot(
        label="Conversation",
        elem_id="praxis-chat",
        height=420,
        render_markdown=False,
        sanitize_html=True,
        feedback_options=("Like", "Dislike"),
        placeholder="Ask a question below, or pick an example.",
    )
    with gr.Row():
        parts["box"] = gr.Textbox(
            placeholder="Ask about the good practices…",
            show_label=False,
            scale=5,
            elem_id="praxis-question",
            max_length=2000,
            submit_btn=False,
        )
        parts["send"] = gr.Button("Ask", variant="primary", scale=1, elem_id="praxis-ask")
    parts["chips"] = gr.HTML(
        [],
        html_template=CHIPS_TEMPLATE,
        js_on_load=CHIPS_JS,
        elem_id="praxis-citations",
        apply_default_css=True,
    )
    parts["notice"] = gr.Markdown(NOT_IN_DOCUMENTS, visible=False, elem_id="praxis-notice")
    gr.Examples(EXAMPLES, inputs=[parts["box"]], label="Examples")
    with gr.Row():
        parts["up"] = gr.Button("👍 Helpful", size="sm", elem_id="praxis-up")
        parts["down"] = gr.Button("👎 Not helpful", size="sm", elem_id="praxis-down")
        parts["export_btn"] = gr.Button("Export as Markdown", size="sm", elem_id="praxis-export")
        parts["clear_btn"] = gr.Button("New conversation", size="sm", elem_id="praxis-clear")
    parts["status"] = gr.Markdown("", elem_id="praxis-status")
    parts["export_file"] = gr.File(label="Conversation (Markdown)", visible=False, elem_id="praxis-file")
    return parts


def _reader_column(handlers: Handlers) -> dict[str, Any]:
    """The filters, the practice browser and the viewer of cited passages."""
    countries, themes = handlers.filter_choices()
    parts: dict[str, Any] = {}
    with gr.Row():
        # custom values allowed: a country ingested after start-up is still accepted
        for name, label, choices in (("country", "Country", countries), ("theme", "Theme", themes)):
            parts[name] = gr.Dropdown(
                label=label, choices=choices, value=ALL, allow_custom_value=True, elem_id=f"praxis-{name}"
            )
    parts["practice"] = gr.Dropdown(
        label="Browse practices",
        choices=handlers.practice_choices(),
        value=None,
        allow_custom_value=True,
        elem_id="praxis-practice",
    )
    parts["viewer"] = gr.HTML(
        "<p>Click a numbered source under an answer to read the passage it cites.</p>",
        elem_id="praxis-viewer",
        js_on_load=VIEWER_JS,
        max_height=640,
        padding=True,
    )
    return parts


def _ask_tab(handlers: Handlers) -> AskTab:
    conversation = gr.State([])
    selected = gr.Number(visible=False)
    with gr.Tab("Ask", id="ask"), gr.Row():
        with gr.Column(scale=3):
            chat_parts = _chat_column()
        with gr.Column(scale=2):
            reader_parts = _reader_column(handlers)
    return AskTab(conversation=conversation, selected=selected, **chat_parts, **reader_parts)


def _wire_ask(tab: AskTab, handlers: Handlers, demo: gr.Blocks) -> None:
    outputs = [tab.box, tab.chat, tab.conversation, tab.chips, tab.notice]
    inputs = [tab.box, tab.conversation, tab.country, tab.theme]
    tab.send.click(handlers.respond, inputs, outputs, api_name="ask")
    tab.box.submit(handlers.respond, inputs, outputs, api_visibility=PRIVATE)
    # a chip click passes its number through `selected`; API clients call /show_citation with n
    tab.chips.click(chip_clicked, None, tab.selected, api_visibility=PRIVATE).then(
        handlers.show_citation, [tab.selected, tab.conversation], tab.viewer, api_name="show_citation"
    )
    tab.practice.change(handlers.show_practice, tab.practice, tab.viewer, api_name="show_practice")
    for dropdown in (tab.country, tab.theme):
        dropdown.change(handlers.on_filter, [tab.country, tab.theme], tab.practice, api_visibility=PRIVATE)
    tab.up.click(handlers.rate_up, tab.conversation, tab.status, api_name="rate_up")
    tab.down.click(handlers.rate_down, tab.conversation, tab.status, api_name="rate_down")
    tab.chat.like(handlers.on_like, tab.conversation, tab.status, api_visibility=PRIVATE)
    tab.export_btn.click(handlers.export, tab.conversation, tab.export_file, api_name="export")
    cleared = [tab.chat, tab.conversation, tab.chips, tab.notice, tab.status, tab.export_file]
    tab.clear_btn.click(clear, None, cleared, api_visibility=PRIVATE)
    tab.chat.clear(clear, None, cleared, api_visibility=PRIVATE)
    demo.load(handlers.on_load, None, [tab.country, tab.theme, tab.practice], api_visibility=PRIVATE)


def _compare_tab(handlers: Handlers, demo: gr.Blocks) -> None:
    with gr.Tab("Compare", id="compare"):
        # custom values allowed: the catalog resolves ids and title fragments and says what is wrong
        pick = gr.Dropdown(
            label="Practices to compare (2 to 5)",
            multiselect=True,
            choices=handlers.practice_choices(),
            max_choices=5,
            allow_custom_value=True,
            elem_id="praxis-compare-pick",
        )
        button = gr.Button("Compare", variant="primary", elem_id="praxis-compare")
        table = gr.HTML("<p>Pick 2 to 5 practices, then Compare.</p>", elem_id="praxis-compare-table")
    demo.load(handlers.compare_choices, None, pick, api_visibility=PRIVATE)
    button.click(handlers.compare, pick, table, api_name="compare")


def build_ui(services: Services) -> gr.Blocks:
    """The chat UI over the shared services; feedback goes to DATA_DIR/feedback.jsonl."""
    handlers = Handlers(services)
    with gr.Blocks(title="Praxis: Europe's regional good practices", analytics_enabled=False) as demo:
        gr.Markdown(
            "## Praxis\nAsk about Europe's regional good practices. Every answer cites the practice "
            "and section it comes from: click a numbered source to read the passage."
        )
        ask = _ask_tab(handlers)
        _compare_tab(handlers, demo)
        _wire_ask(ask, handlers, demo)
    demo.queue(default_concurrency_limit=8)
    return demo


def theme() -> gr.themes.Base:
    """The default look with system fonts: the page loads nothing from the internet."""
    system = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"]
    return gr.themes.Soft(font=system, font_mono=["ui-monospace", "Menlo", "Consolas", "monospace"])


def mount_ui(app: FastAPI, services: Services) -> None:
    """Mount the web UI at / of the API app."""
    blocks = build_ui(services)
    gr.mount_gradio_app(
        app,
        blocks,
        path="",
        footer_links=["api"],
        ssr_mode=False,
        theme=theme(),
        css=CSS,
        show_error=False,  # an unexpected error's text (server paths) is for the log, not the page
    )
