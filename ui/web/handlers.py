"""What the page's events call, over the shared services (store, catalog, Assistant).

Each handler takes the page's state and the interface language and returns the HTML to show;
the rendering itself lives in chat_view, reader_view and ui.catalog_view.
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
from typing import Any

import gradio as gr

from assistant.errors import PraxisError
from assistant.phrases import language_of
from assistant.practices.listing import PracticeQuery, facet_values, list_practices
from assistant.types import Answer, TextDelta
from ui.catalog_view import comparison_html, facts_html, similar_html
from ui.services import Services, user_message
from ui.web.chat_view import Example, conversation_html, examples_html, focus_html
from ui.web.export import to_docx, to_markdown, to_pdf
from ui.web.reader_view import Card, cards_html, placeholder, practice_html
from ui.web.session import Chat, Turn
from ui.web.strings import text
from ui.web.transfer_handlers import TransferHandlers

log = logging.getLogger(__name__)

ALL = ""  # the dropdown value meaning "no filter"
# One question per kind Praxis answers well, each checked against its answer in the tests.
EXAMPLES = (
    Example("kind_figure", "How many members does LAuGEA have?"),
    Example("kind_list", "Which practices are innovation voucher schemes?"),
    Example("kind_comparison", "How do Extremadura's PIMEX and Consolidation Plan differ in budget?"),
    Example("kind_transfer", "What would another region need to transfer the Buurtzorg model?"),
)
View = dict[str, Any] | None  # what a reader panel shows: {"turn", "n"} or {"practice"}, None: nothing


def filters_of(country: str | None, theme: str | None) -> dict[str, str]:
    return {k: v for k, v in (("country", country), ("theme", theme)) if v}


def action_of(evt: gr.EventData) -> dict[str, Any]:
    """What a button of the page's HTML asked for: {action, turn, n, practice, value, question}."""
    data = getattr(evt, "_data", None)
    return data if isinstance(data, dict) else {}


class FeedbackLog:
    """Appends one JSON line per rating to a file (DATA_DIR/feedback.jsonl)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(self, turn: Turn, rating: str) -> None:
        row = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "rating": rating,
            "question": turn.question,
            "answer": turn.answer["answer"],
            "abstained": turn.answer["abstained"],
            "citations": turn.answer["citations"],
            "filters": turn.filters,
            "lang": turn.lang,
        }
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")


class Handlers:
    """The page's handlers; one instance per app, state passed in by Gradio per visitor."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.feedback = FeedbackLog(Path(services.settings.data_dir) / "feedback.jsonl")
        self.export_dir = Path(tempfile.mkdtemp(prefix="praxis-export-"))
        self.transfer = TransferHandlers(services, self.export_dir, self.practice_view)

    # -- the practices list ---------------------------------------------------------------------

    def filter_choices(self, lang: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        practices = self.services.store.practices()
        return (
            [(text("all_countries", lang), ALL), *[(c, c) for c in facet_values(practices, "country")]],
            [(text("all_themes", lang), ALL), *[(t, t) for t in facet_values(practices, "theme")]],
        )

    def cards(self, country: str | None, theme: str | None, query: str | None = "") -> list[Card]:
        """The practices of the country and theme, those matching the search first (by title)."""
        listed = list_practices(
            self.services.catalog, PracticeQuery(country=country or None, theme=theme or None)
        )
        ranked: list[tuple[int, Card]] = []
        for item in listed:
            card = Card.of(item.practice)
            score = card.matches(query or "", item.practice.text)
            if score:
                ranked.append((-score, card))
        return [card for _, card in sorted(ranked, key=lambda pair: pair[0])]

    def list_html(self, country: str | None, theme: str | None, query: str | None, lang: str) -> str:
        return cards_html(self.cards(country, theme, query), language_of(lang))

    def practice_choices(self) -> list[tuple[str, str]]:
        return [
            (p.practice.title, p.practice.id) for p in list_practices(self.services.catalog, PracticeQuery())
        ]

    # -- the reader ----------------------------------------------------------------------------

    def practice_view(self, practice_id: str, lang: str) -> str:
        """A practice with its key facts and similar practices."""
        return self.reader_html({"practice": practice_id}, Chat(), lang)

    def reader_html(self, view: View, chat: Chat, lang: str, empty_key: str = "viewer_empty") -> str:
        """A practice (with key facts and similar practices), or the passage a citation points at."""
        lang = language_of(lang)
        if not view:
            return placeholder(text(empty_key, lang))
        store = self.services.store
        if "practice" in view:
            practice = store.get_practice(view["practice"])
            if practice is None:
                return placeholder(text("gone", lang))
            catalog = self.services.catalog
            facts = facts_html(practice, catalog.facts_of(practice), lang, heading=text("key_facts", lang))
            similar = similar_html(
                catalog.similar(practice.id, k=5), lang, heading=text("more_like_this", lang)
            )
            return practice_html(practice, lang, extra=facts, after=similar)
        turn = chat.turn(view.get("turn"))
        citation = turn.citation(int(view.get("n", 0))) if turn else None
        if turn is None or citation is None:
            return placeholder(text("no_source", lang, n=view.get("n", "")))
        practice = store.get_practice(citation["practice_id"])
        if practice is None:
            return placeholder(text("gone", lang))
        return practice_html(practice, lang, citation=citation, turn=view["turn"])

    # -- asking --------------------------------------------------------------------------------

    def respond(
        self, question: str, chat: Chat, country: str | None, theme: str | None, lang: str
    ) -> Iterator[tuple[Any, ...]]:
        """Stream the answer into the conversation.

        Outputs: question box, conversation, chat state, reader, reader view, focus bar.
        The reader is emptied as soon as a question is asked: it showed the previous answer's source.
        """
        lang = language_of(lang)
        question = (question or "").strip()
        filters = filters_of(country, theme)
        if not question:
            yield (gr.skip(),) * 6
            return
        empty = placeholder(text("viewer_empty", lang))
        focus = focus_html(chat, filters, lang)
        yield "", conversation_html(chat, lang, (question, "")), chat, empty, None, focus
        answer: Answer | None = None
        partial = ""
        try:
            for event in self.services.assistant.stream(question, history=chat.history(), filters=filters):
                if isinstance(event, TextDelta):
                    partial += event.text
                    yield "", conversation_html(chat, lang, (question, partial)), chat, empty, None, focus
                else:
                    answer = event.answer
        except PraxisError as exc:
            log.warning("answer failed error=%s", exc)  # the log keeps the details, the user a sentence
            failed = conversation_html(chat, lang, (question, text("error", lang, error=user_message(exc))))
            yield question, failed, chat, empty, None, focus
            return
        assert answer is not None  # the stream ends with Completed
        chat = chat.added(Turn.of(question, answer, filters, lang))
        yield "", conversation_html(chat, lang), chat, empty, None, focus_html(chat, filters, lang)

    def act(
        self, chat: Chat, view: View, country: str | None, theme: str | None, lang: str, evt: gr.EventData
    ) -> tuple[Any, ...]:
        """A button of the conversation, focus bar or reader: open a source or a practice, rate an
        answer, start a new topic, clear the filters.

        Outputs: reader, reader view, chat state, conversation, focus bar, status, country, theme.
        """
        lang = language_of(lang)
        data = action_of(evt)
        action = data.get("action")
        out: list[Any] = [gr.skip()] * 8
        if action == "cite":
            view = {"turn": int(data.get("turn", -1)), "n": int(data.get("n", 0))}
            out[0:2] = [self.reader_html(view, chat, lang), view]
        elif action == "open" and data.get("practice"):
            view = {"practice": str(data["practice"])}
            out[0:2] = [self.reader_html(view, chat, lang), view]
        elif action == "rate":
            turn = chat.turn(int(data.get("turn", -1)))
            rating = "up" if data.get("value") == "up" else "down"
            if turn is not None:
                self.feedback.record(turn, rating)
                turn.rating = rating
                out[2:4] = [chat, conversation_html(chat, lang)]
                out[5] = text("thanks_up" if rating == "up" else "thanks_down", lang)
        elif action == "new-topic":
            chat = chat.new_topic()
            out[2:5] = [
                chat,
                conversation_html(chat, lang),
                focus_html(chat, filters_of(country, theme), lang),
            ]
        elif action == "clear-filters":
            out[4] = focus_html(chat, {}, lang)
            out[6:8] = [ALL, ALL]
        return tuple(out)

    def pick_example(self, evt: gr.EventData) -> Any:
        data = action_of(evt)
        return data.get("question") if data.get("action") == "example" else gr.skip()

    def open_listed(self, lang: str, evt: gr.EventData) -> tuple[Any, Any]:
        """A card (or a similar practice) of the Practices tab: the practice in that tab's reader."""
        data = action_of(evt)
        if data.get("action") != "open" or not data.get("practice"):
            return gr.skip(), gr.skip()
        view = {"practice": str(data["practice"])}
        return self.reader_html(view, Chat(), lang, "pick_practice"), view

    # -- page-wide -----------------------------------------------------------------------------

    def on_load(self, lang: str) -> tuple[Any, ...]:
        """Fresh choices and list on every page load: practices may have been added since start-up."""
        lang = language_of(lang)
        countries, themes = self.filter_choices(lang)
        return (
            gr.update(choices=countries, value=ALL),
            gr.update(choices=themes, value=ALL),
            self.list_html(ALL, ALL, "", lang),
            gr.update(choices=self.practice_choices()),
        )

    def on_language(
        self,
        lang: str,
        chat: Chat,
        view: View,
        listed_view: View,
        country: str | None,
        theme: str | None,
        query: str | None,
    ) -> tuple[Any, ...]:
        """Everything the server renders, again in the new language.

        Outputs: conversation, focus bar, examples, reader, practices list, Practices reader,
        country choices, theme choices.
        """
        lang = language_of(lang)
        countries, themes = self.filter_choices(lang)
        return (
            conversation_html(chat, lang),
            focus_html(chat, filters_of(country, theme), lang),
            examples_html(EXAMPLES, lang),
            self.reader_html(view, chat, lang),
            self.list_html(country, theme, query, lang),
            self.reader_html(listed_view, Chat(), lang, "pick_practice"),
            gr.update(choices=countries, value=country or ALL),
            gr.update(choices=themes, value=theme or ALL),
        )

    def on_filter(
        self, country: str | None, theme: str | None, query: str | None, chat: Chat, lang: str
    ) -> tuple[str, str]:
        """The list for the filters and search, and the focus bar naming the filters in force."""
        lang = language_of(lang)
        return self.list_html(country, theme, query, lang), focus_html(chat, filters_of(country, theme), lang)

    def compare(self, practice_ids: list[str] | None, lang: str) -> str:
        try:
            return comparison_html(self.services.catalog.compare(practice_ids or []), language_of(lang))
        except PraxisError as exc:  # fewer than 2, more than 5, or a practice gone meanwhile
            log.warning("compare failed error=%s", exc)
            return f"<p class='praxis-error' role='alert'>{html.escape(user_message(exc))}</p>"

    def exports(self, chat: Chat, lang: str) -> tuple[Any, ...]:
        """The conversation as Markdown, Word and PDF files for the download buttons."""
        if not chat.turns:
            return (gr.update(visible=False), None, None, None)
        lang = language_of(lang)
        folder = Path(tempfile.mkdtemp(dir=self.export_dir))
        name = f"praxis-conversation-{time.strftime('%Y%m%d-%H%M%S')}"
        when = time.strftime("%Y-%m-%d %H:%M")
        markdown = folder / f"{name}.md"
        markdown.write_text(to_markdown(chat, lang, when), encoding="utf-8")
        word = to_docx(chat, lang, when, folder / f"{name}.docx")
        pdf = to_pdf(chat, lang, when, folder / f"{name}.pdf")
        return (gr.update(visible=True), str(markdown), str(word), str(pdf))

    def clear(self, lang: str) -> tuple[Any, ...]:
        """A new conversation. Outputs: chat state, conversation, focus bar, reader, reader view,
        status, export row."""
        lang = language_of(lang)
        chat = Chat()
        return (
            chat,
            conversation_html(chat, lang),
            "",
            placeholder(text("viewer_empty", lang)),
            None,
            "",
            gr.update(visible=False),
        )
