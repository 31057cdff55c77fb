"""What the Transfer tab's events call: rank the practices for the region the form describes, open
a practice or a quoted sentence in the tab's reader, and write the briefing of a chosen practice
as Markdown, Word and PDF for the download buttons.

Over the shared transfer advisor (`Services.transfer`) and its renderer
(`assistant.transfer.render`), as `POST /v1/transfer` and `/v1/transfer/briefing` are. A bad
profile value is shown in the tab as the advisor words it.
"""

from __future__ import annotations

import json
import logging
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.errors import PraxisError
from assistant.phrases import language_of
from assistant.transfer.briefing import briefing as build
from assistant.transfer.render import FORMATS, render
from ui.services import Services
from ui.web.reader_view import placeholder, practice_html
from ui.web.strings import text
from ui.web.transfer_view import (
    alert_html,
    citations_of,
    error_html,
    profile_of,
    ranked_html,
    region_type_choices,
)

log = logging.getLogger(__name__)

K = 5  # practices ranked
MAX_BRIEFINGS = 16  # briefings kept written, newest last
# what the tab remembers per visitor: the profile ranked and the ranking, or None before any
State = dict[str, Any] | None
View = dict[str, Any] | None  # the reader: {"practice"} or {"n"} (a reason's citation), None: nothing
Reader = Callable[[str, str], str]  # (practice id, lang) -> the practice with key facts


class TransferHandlers:
    """The Transfer tab's handlers; `practice_reader` renders a practice as the other tabs do."""

    def __init__(self, services: Services, export_dir: Path, practice_reader: Reader) -> None:
        self.services = services
        self.export_dir = export_dir
        self.practice_reader = practice_reader
        self._lock = threading.Lock()
        self._written: OrderedDict[str, tuple[str, ...]] = OrderedDict()

    def rank(
        self,
        country: str | None,
        region_type: str | None,
        population: str | None,
        budget: str | None,
        sector: str | None,
        assets: str | None,
        challenge: str | None,
        lang: str,
    ) -> tuple[Any, ...]:
        """Outputs: cards, state, briefing choice, reader, reader view (then briefing_files)."""
        lang = language_of(lang)
        profile = profile_of(country, region_type, population, budget, sector, assets, challenge)
        empty_reader = placeholder(text("transfer_reader_empty", lang))
        try:
            result = self.services.transfer.rank(profile, k=K).to_dict()
        except PraxisError as exc:  # InvalidProfile: the key and what it accepts
            return error_html(str(exc), lang), None, gr.update(choices=[], value=None), gr.skip(), gr.skip()
        state = {"profile": profile, "result": result}
        choices = [(p["title"], p["practice_id"]) for p in result["practices"]]
        return (
            ranked_html(result, lang),
            state,
            gr.update(choices=choices, value=choices[0][1] if choices else None),
            empty_reader,
            None,
        )

    def briefing_files(self, state: State, practice_id: str | None) -> tuple[Any, ...]:
        """The briefing of the chosen practice for the ranked profile, as files for the three
        download buttons (Markdown, Word, PDF; in English, as the API writes it), and a message when it
        cannot be written.

        Outputs: briefing row (shown once the files are written), Markdown, Word, PDF, message."""
        hidden = gr.update(visible=False)
        if not state or not practice_id:
            return hidden, None, None, None, ""
        key = json.dumps([state["profile"], practice_id], sort_keys=True)
        with self._lock:
            if key in self._written:
                self._written.move_to_end(key)
                return (gr.update(visible=True), *self._written[key], "")
        try:
            briefing = build(self.services.transfer, state["profile"], practice_id)
            rendered = [render(briefing, fmt) for fmt in FORMATS]
        except PraxisError as exc:  # the practice was deleted since the ranking
            return gr.update(visible=True), None, None, None, alert_html(str(exc))
        folder = Path(tempfile.mkdtemp(dir=self.export_dir))
        paths = []
        for item in rendered:
            path = folder / item.filename
            path.write_bytes(item.data)
            paths.append(str(path))
        with self._lock:
            self._written[key] = tuple(paths)
            while len(self._written) > MAX_BRIEFINGS:
                self._written.popitem(last=False)
        log.info("transfer briefing %s written", practice_id)
        return (gr.update(visible=True), *paths, "")

    def reader_html(self, view: View, state: State, lang: str) -> str:
        """A practice (with key facts), or the sentence a reason quotes, highlighted in its practice."""
        lang = language_of(lang)
        if not view:
            return placeholder(text("transfer_reader_empty", lang))
        if "practice" in view:
            return self.practice_reader(str(view["practice"]), lang)
        citation = citations_of(state["result"]).get(int(view.get("n", 0))) if state else None
        if citation is None:
            return placeholder(text("transfer_reader_empty", lang))
        practice = self.services.store.get_practice(citation["practice_id"])
        if practice is None:
            return placeholder(text("gone", lang))
        return practice_html(practice, lang, citation=citation)

    def act(self, state: State, lang: str, evt: gr.EventData) -> tuple[Any, Any, Any]:
        """A button of the cards or the reader: open a practice or a quoted sentence, or choose a
        practice for the briefing. Outputs: reader, reader view, briefing choice."""
        data = getattr(evt, "_data", None)
        data = data if isinstance(data, dict) else {}
        action, practice = data.get("action"), str(data.get("practice") or "")
        if action == "open" and practice:
            view: View = {"practice": practice}
        elif action == "cite":
            view = {"n": int(data.get("n", 0))}
        elif action == "brief" and practice:
            return gr.skip(), gr.skip(), gr.update(value=practice)
        else:
            return gr.skip(), gr.skip(), gr.skip()
        return self.reader_html(view, state, lang), view, gr.skip()

    def on_language(self, lang: str, state: State, view: View, region_type: str | None) -> tuple[Any, ...]:
        """The cards, the reader and the region types, again in the new language."""
        lang = language_of(lang)
        cards = ranked_html(state["result"], lang) if state else ranked_html(None, lang)
        return (
            cards,
            self.reader_html(view, state, lang),
            gr.update(choices=region_type_choices(lang), value=region_type or ""),
        )
