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
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.errors import PraxisError
from assistant.pipeline import Assistant
from assistant.practices.catalog import Catalog
from assistant.store.chroma import ChromaStore
from assistant.types import Practice, TextDelta
from ui.catalog_view import comparison_html, facts_html, similar_html

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ui.api import Services

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


# -- the Blocks ----------------------------------------------------------------------------------


def _filters(country: str | None, theme: str | None) -> dict[str, str]:
    return {k: v for k, v in (("country", country), ("theme", theme)) if v}


def build_ui(assistant: Assistant, store: ChromaStore, *, data_dir: Path) -> gr.Blocks:
    """The chat UI over one Assistant and store; feedback goes to data_dir/feedback.jsonl."""
    feedback = FeedbackLog(Path(data_dir) / "feedback.jsonl")
    catalog = Catalog(store)
    export_dir = Path(tempfile.mkdtemp(prefix="praxis-export-"))

    def facets() -> tuple[list[str], list[str]]:
        practices = store.practices()
        countries = sorted({p.metadata["country"] for p in practices if p.metadata.get("country")})
        themes = sorted({p.metadata["theme"] for p in practices if p.metadata.get("theme")})
        return countries, themes

    def practice_choices(country: str | None, theme: str | None) -> list[tuple[str, str]]:
        return [
            (p.title, p.id)
            for p in store.practices()
            if (not country or p.metadata.get("country") == country)
            and (not theme or p.metadata.get("theme") == theme)
        ]

    def filter_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        countries, themes = facets()
        return (
            [("All countries", ALL), *[(c, c) for c in countries]],
            [("All themes", ALL), *[(t, t) for t in themes]],
        )

    def on_load() -> tuple[Any, Any, Any]:
        """Fresh choices on every page load: practices may have been added since start-up."""
        countries, themes = filter_choices()
        return (
            gr.update(choices=countries, value=ALL),
            gr.update(choices=themes, value=ALL),
            gr.update(choices=practice_choices(None, None), value=None),
        )

    def on_filter(country: str | None, theme: str | None) -> Any:
        return gr.update(choices=practice_choices(country, theme), value=None)

    def respond(
        question: str, conversation: list[dict[str, Any]], country: str | None, theme: str | None
    ) -> Iterator[tuple[Any, ...]]:
        """Stream the answer into the chat; outputs: box, chat, conversation, chips, notice."""
        question = (question or "").strip()
        if not question:
            yield gr.update(), chat_messages(conversation), conversation, [], gr.update(visible=False)
            return
        shown = [
            *chat_messages(conversation),
            {"role": "user", "content": chat_text(question)},
            {"role": "assistant", "content": ""},
        ]
        yield "", shown, conversation, [], gr.update(visible=False)
        filters = _filters(country, theme)
        text = ""
        try:
            for event in assistant.stream(question, history=history_of(conversation), filters=filters):
                if isinstance(event, TextDelta):
                    text += event.text
                    shown[-1] = {"role": "assistant", "content": chat_text(text)}
                    yield "", shown, conversation, [], gr.update(visible=False)
                else:
                    answer = event.answer.to_dict()
        except PraxisError as exc:
            shown[-1] = {"role": "assistant", "content": chat_text(f"Sorry, I cannot answer that: {exc}")}
            yield question, shown, conversation, [], gr.update(visible=False)
            return
        conversation = [*conversation, {"question": question, "answer": answer, "filters": filters}]
        chips = [{"n": c["n"], "title": c["title"], "section": c["section"]} for c in answer["citations"]]
        notice = gr.update(value=NOT_IN_DOCUMENTS, visible=answer["abstained"])
        yield "", chat_messages(conversation), conversation, chips, notice

    def show_citation(n: float | None, conversation: list[dict[str, Any]]) -> str:
        """The practice behind citation [n] of the latest answer, the cited passage highlighted."""
        if not conversation or n is None:
            return "<p>Ask a question, then click a numbered source to read it here.</p>"
        citations = {c["n"]: c for c in conversation[-1]["answer"]["citations"]}
        citation = citations.get(int(n))
        if citation is None:
            return f"<p>The latest answer has no source [{int(n)}].</p>"
        practice = store.get_practice(citation["practice_id"])
        if practice is None:
            return f"<p>{escape(citation['title'])} is no longer in the store.</p>"
        return practice_html(practice, citation)

    def show_practice(practice_id: str | None) -> str:
        if not practice_id:
            return "<p>Pick a practice to read it.</p>"
        practice = store.get_practice(practice_id)
        if practice is None:
            return "<p>That practice is no longer in the store.</p>"
        return (
            facts_html(practice, catalog.facts_of(practice))
            + practice_html(practice)
            + similar_html(catalog.similar(practice.id, k=5))
        )

    def run_compare(practice_ids: list[str] | None) -> str:
        try:
            return comparison_html(catalog.compare(practice_ids or []))
        except PraxisError as exc:  # fewer than 2, more than 5, or a practice gone meanwhile
            return f"<p class='praxis-error'>{escape(str(exc))}</p>"

    def compare_choices() -> Any:
        return gr.update(choices=practice_choices(None, None))

    def chip_clicked(evt: gr.EventData) -> int | None:
        data = getattr(evt, "_data", None) or {}
        value = data.get("n") if isinstance(data, dict) else None
        return int(value) if isinstance(value, int | float) else None

    def rate(rating: str, conversation: list[dict[str, Any]], index: int | None = None) -> str:
        if not conversation:
            return "Ask something first; then rate the answer."
        exchange = conversation[-1 if index is None else index]
        feedback.record(exchange, rating)
        if rating == "up":
            return "Thanks, your feedback was saved."
        return "Thanks, noted: this answer was not helpful. Your feedback was saved."

    def rate_up(conversation: list[dict[str, Any]]) -> str:
        return rate("up", conversation)

    def rate_down(conversation: list[dict[str, Any]]) -> str:
        return rate("down", conversation)

    def on_like(conversation: list[dict[str, Any]], data: gr.LikeData) -> str:
        index = data.index[0] if isinstance(data.index, list | tuple) else data.index
        exchange = int(index) // 2
        if not 0 <= exchange < len(conversation):
            return ""
        return rate("up" if data.liked else "down", conversation, exchange)

    def export(conversation: list[dict[str, Any]]) -> Any:
        if not conversation:
            return gr.update(value=None, visible=False)
        path = export_dir / f"praxis-conversation-{time.strftime('%Y%m%d-%H%M%S')}.md"
        path.write_text(conversation_markdown(conversation), encoding="utf-8")
        return gr.update(value=str(path), visible=True)

    def clear() -> tuple[Any, ...]:
        return [], [], [], gr.update(visible=False), "", gr.update(value=None, visible=False)

    countries, themes = filter_choices()
    with gr.Blocks(title="Praxis: Europe's regional good practices", analytics_enabled=False) as demo:
        conversation = gr.State([])
        selected = gr.Number(visible=False)
        gr.Markdown(
            "## Praxis\nAsk about Europe's regional good practices. Every answer cites the practice "
            "and section it comes from: click a numbered source to read the passage."
        )
        with gr.Tab("Ask", id="ask"):
            with gr.Row():
                with gr.Column(scale=3):
                    chat = gr.Chatbot(
                        label="Conversation",
                        elem_id="praxis-chat",
                        height=420,
                        render_markdown=False,
                        sanitize_html=True,
                        feedback_options=("Like", "Dislike"),
                        placeholder="Ask a question below, or pick an example.",
                    )
                    with gr.Row():
                        box = gr.Textbox(
                            placeholder="Ask about the good practices…",
                            show_label=False,
                            scale=5,
                            elem_id="praxis-question",
                            max_length=2000,
                            submit_btn=False,
                        )
                        send = gr.Button("Ask", variant="primary", scale=1, elem_id="praxis-ask")
                    chips = gr.HTML(
                        [],
                        html_template=CHIPS_TEMPLATE,
                        js_on_load=CHIPS_JS,
                        elem_id="praxis-citations",
                        apply_default_css=True,
                    )
                    notice = gr.Markdown(NOT_IN_DOCUMENTS, visible=False, elem_id="praxis-notice")
                    gr.Examples(EXAMPLES, inputs=[box], label="Examples")
                    with gr.Row():
                        up = gr.Button("👍 Helpful", size="sm", elem_id="praxis-up")
                        down = gr.Button("👎 Not helpful", size="sm", elem_id="praxis-down")
                        export_btn = gr.Button("Export as Markdown", size="sm", elem_id="praxis-export")
                        clear_btn = gr.Button("New conversation", size="sm", elem_id="praxis-clear")
                    status = gr.Markdown("", elem_id="praxis-status")
                    export_file = gr.File(
                        label="Conversation (Markdown)", visible=False, elem_id="praxis-file"
                    )
                with gr.Column(scale=2):
                    with gr.Row():
                        # custom values allowed: a country ingested after start-up is still accepted
                        country = gr.Dropdown(
                            label="Country",
                            choices=countries,
                            value=ALL,
                            allow_custom_value=True,
                            elem_id="praxis-country",
                        )
                        theme = gr.Dropdown(
                            label="Theme",
                            choices=themes,
                            value=ALL,
                            allow_custom_value=True,
                            elem_id="praxis-theme",
                        )
                    practice = gr.Dropdown(
                        label="Browse practices",
                        choices=practice_choices(None, None),
                        value=None,
                        allow_custom_value=True,
                        elem_id="praxis-practice",
                    )
                    viewer = gr.HTML(
                        "<p>Click a numbered source under an answer to read the passage it cites.</p>",
                        elem_id="praxis-viewer",
                        js_on_load=VIEWER_JS,
                        max_height=640,
                        padding=True,
                    )

        with gr.Tab("Compare", id="compare"):
            # custom values allowed: the catalog resolves ids and title fragments and says what is wrong
            compare_pick = gr.Dropdown(
                label="Practices to compare (2 to 5)",
                multiselect=True,
                choices=practice_choices(None, None),
                max_choices=5,
                allow_custom_value=True,
                elem_id="praxis-compare-pick",
            )
            compare_btn = gr.Button("Compare", variant="primary", elem_id="praxis-compare")
            compare_out = gr.HTML(
                "<p>Pick 2 to 5 practices, then Compare.</p>", elem_id="praxis-compare-table"
            )

        outputs = [box, chat, conversation, chips, notice]
        inputs = [box, conversation, country, theme]
        send.click(respond, inputs, outputs, api_name="ask")
        box.submit(respond, inputs, outputs, api_name=False)
        # a chip click passes its number through `selected`; API clients call /show_citation with n
        chips.click(chip_clicked, None, selected, api_name=False).then(
            show_citation, [selected, conversation], viewer, api_name="show_citation"
        )
        practice.change(show_practice, practice, viewer, api_name="show_practice")
        country.change(on_filter, [country, theme], practice, api_name=False)
        theme.change(on_filter, [country, theme], practice, api_name=False)
        up.click(rate_up, conversation, status, api_name="rate_up")
        down.click(rate_down, conversation, status, api_name="rate_down")
        chat.like(on_like, conversation, status, api_name=False)
        export_btn.click(export, conversation, export_file, api_name="export")
        clear_btn.click(clear, None, [chat, conversation, chips, notice, status, export_file], api_name=False)
        chat.clear(clear, None, [chat, conversation, chips, notice, status, export_file], api_name=False)
        demo.load(on_load, None, [country, theme, practice], api_name=False)
        demo.load(compare_choices, None, compare_pick, api_name=False)
        compare_btn.click(run_compare, compare_pick, compare_out, api_name="compare")
    demo.queue(default_concurrency_limit=8)
    return demo


def theme() -> gr.themes.Base:
    """The default look with system fonts: the page loads nothing from the internet."""
    system = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"]
    return gr.themes.Soft(font=system, font_mono=["ui-monospace", "Menlo", "Consolas", "monospace"])


def mount_ui(app: FastAPI, services: Services) -> None:
    """Mount the web UI at / of the API app."""
    blocks = build_ui(services.assistant, services.store, data_dir=services.settings.data_dir)
    gr.mount_gradio_app(
        app,
        blocks,
        path="",
        footer_links=["api"],
        ssr_mode=False,
        theme=theme(),
        css=CSS,
        show_error=True,
    )
