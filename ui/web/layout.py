"""The page (Gradio Blocks), its events, and mounting it at / of the API app.

Tabs: Ask (conversation, focus bar, examples, downloads; the reader beside it, below it on a
phone), Practices (filters, search, cards, a reader), Compare and Transfer (a region's profile,
the practices that fit it with cited reasons, a reader, briefing downloads). Labels are translated by
Gradio's i18n in the browser; what the server renders is translated by the handlers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.phrases import LANGUAGE_NAMES, LANGUAGES
from ui.services import Services
from ui.web.assets import (
    ACTIONS_JS,
    CHAT_JS,
    CSS,
    DETECT_LANGUAGE_JS,
    READER_JS,
    SWITCH_LANGUAGE_JS,
)
from ui.web.chat_view import conversation_html, examples_html
from ui.web.handlers import ALL, EXAMPLES, Handlers
from ui.web.reader_view import placeholder
from ui.web.session import Chat
from ui.web.strings import text, translations
from ui.web.transfer_view import ANY, ranked_html, region_type_choices

if TYPE_CHECKING:
    from fastapi import FastAPI

PRIVATE = "private"  # an event only the page itself triggers: no API endpoint
I18N = gr.I18n(**translations())


@dataclass
class Page:
    """The components events read or write."""

    lang: gr.Dropdown
    tab_ask: gr.Tab
    tab_practices: gr.Tab
    tab_compare: gr.Tab
    chat_state: gr.State
    view: gr.State
    listed_view: gr.State
    focus: gr.HTML
    chat: gr.HTML
    box: gr.Textbox
    send: gr.Button
    examples: gr.HTML
    status: gr.Markdown
    export_row: gr.Row
    downloads: tuple[gr.DownloadButton, gr.DownloadButton, gr.DownloadButton]
    clear_btn: gr.Button
    reader: gr.HTML
    country: gr.Dropdown
    theme: gr.Dropdown
    search: gr.Textbox
    cards: gr.HTML
    listed_reader: gr.HTML
    compare_pick: gr.Dropdown
    compare_btn: gr.Button
    compare_table: gr.HTML
    tab_transfer: gr.Tab
    transfer_state: gr.State
    transfer_view: gr.State
    profile: tuple[gr.Textbox, gr.Dropdown, gr.Textbox, gr.Textbox, gr.Textbox, gr.Textbox, gr.Textbox]
    rank_btn: gr.Button
    transfer_cards: gr.HTML
    transfer_reader: gr.HTML
    briefing_row: gr.Row
    briefing_pick: gr.Dropdown
    briefings: tuple[gr.DownloadButton, gr.DownloadButton, gr.DownloadButton]
    briefing_status: gr.HTML


def _ask_tab() -> dict[str, Any]:
    parts: dict[str, Any] = {}
    with gr.Tab(I18N("tab_ask"), render_children=True, id="ask") as tab, gr.Row(equal_height=False):
        parts["tab_ask"] = tab
        with gr.Column(scale=3, min_width=300):
            parts["focus"] = gr.HTML("", elem_id="praxis-focus", js_on_load=ACTIONS_JS)
            parts["chat"] = gr.HTML(
                conversation_html(Chat(), "en"), elem_id="praxis-chat", js_on_load=CHAT_JS
            )
            with gr.Row(equal_height=False, elem_id="praxis-ask-row"):
                parts["box"] = gr.Textbox(
                    label=I18N("question"),
                    placeholder=I18N("question_placeholder"),
                    elem_id="praxis-question",
                    max_length=2000,
                    lines=1,
                    submit_btn=False,
                    scale=5,
                    min_width=200,
                )
                parts["send"] = gr.Button(
                    I18N("ask"), variant="primary", elem_id="praxis-ask", scale=1, min_width=90
                )
            parts["examples"] = gr.HTML(
                examples_html(EXAMPLES, "en"), elem_id="praxis-examples", js_on_load=ACTIONS_JS
            )
            parts["status"] = gr.Markdown("", elem_id="praxis-status")
            with gr.Row(visible=False, elem_id="praxis-exports") as row:
                gr.Markdown(I18N("download"), elem_id="praxis-download-label", min_width=220)
                parts["downloads"] = tuple(
                    gr.DownloadButton(
                        label, size="sm", elem_id=f"praxis-export-{kind}", scale=0, min_width=90
                    )
                    for kind, label in (("md", "Markdown"), ("docx", "Word"), ("pdf", "PDF"))
                )
            parts["export_row"] = row
            parts["clear_btn"] = gr.Button(I18N("new_conversation"), size="sm", elem_id="praxis-clear")
        with gr.Column(scale=2, min_width=300):
            parts["reader"] = gr.HTML(
                placeholder(text("viewer_empty", "en")),
                elem_id="praxis-viewer",
                js_on_load=READER_JS,
                padding=True,
            )
    return parts


def _practices_tab(handlers: Handlers) -> dict[str, Any]:
    countries, themes = handlers.filter_choices("en")
    parts: dict[str, Any] = {}
    with gr.Tab(I18N("tab_practices"), render_children=True, id="practices") as tab:
        parts["tab_practices"] = tab
        with gr.Row():
            # custom values allowed: a country ingested after start-up is still accepted
            parts["country"] = gr.Dropdown(
                label=I18N("country"),
                choices=countries,
                value=ALL,
                allow_custom_value=True,
                elem_id="praxis-country",
            )
            parts["theme"] = gr.Dropdown(
                label=I18N("theme"),
                choices=themes,
                value=ALL,
                allow_custom_value=True,
                elem_id="praxis-theme",
            )
            parts["search"] = gr.Textbox(
                label=I18N("search"),
                placeholder=I18N("search_placeholder"),
                elem_id="praxis-search",
                max_length=200,
            )
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=300):
                parts["cards"] = gr.HTML(
                    handlers.list_html(ALL, ALL, "", "en"), elem_id="praxis-cards", js_on_load=ACTIONS_JS
                )
            with gr.Column(scale=2, min_width=300):
                parts["listed_reader"] = gr.HTML(
                    placeholder(text("pick_practice", "en")),
                    elem_id="praxis-practice-view",
                    js_on_load=READER_JS,
                    padding=True,
                )
    return parts


def _compare_tab(handlers: Handlers) -> dict[str, Any]:
    parts: dict[str, Any] = {}
    with gr.Tab(I18N("tab_compare"), render_children=True, id="compare") as tab:
        parts["tab_compare"] = tab
        # custom values allowed: the catalog resolves ids and title fragments and says what is wrong
        parts["compare_pick"] = gr.Dropdown(
            label=I18N("compare_pick"),
            multiselect=True,
            choices=handlers.practice_choices(),
            max_choices=5,
            allow_custom_value=True,
            elem_id="praxis-compare-pick",
        )
        parts["compare_btn"] = gr.Button(I18N("compare"), variant="primary", elem_id="praxis-compare")
        gr.Markdown(I18N("compare_hint"), elem_id="praxis-compare-hint")
        parts["compare_table"] = gr.HTML("", elem_id="praxis-compare-table")
    return parts


def _field(key: str, name: str, **options: Any) -> gr.Textbox:
    return gr.Textbox(
        label=I18N(key),
        placeholder=I18N(f"{key}_placeholder"),
        elem_id=f"praxis-transfer-{name}",
        **options,
    )


def _transfer_tab() -> dict[str, Any]:
    parts: dict[str, Any] = {}
    with gr.Tab(I18N("tab_transfer"), render_children=True, id="transfer") as tab:
        parts["tab_transfer"] = tab
        gr.Markdown(I18N("transfer_intro"), elem_id="praxis-transfer-intro")
        with gr.Row():
            country = gr.Textbox(
                label=I18N("your_country"),
                placeholder=I18N("country_placeholder"),
                elem_id="praxis-transfer-country",
                max_length=100,
            )
            region_type = gr.Dropdown(
                label=I18N("region_type"),
                choices=region_type_choices("en"),
                value=ANY,
                elem_id="praxis-transfer-region-type",
            )
            population = _field("population", "population", max_length=40)
            budget = _field("budget", "budget", max_length=200)
        with gr.Row(equal_height=False, elem_id="praxis-transfer-row2"):
            sector = _field("sector", "sector", max_length=200, min_width=160)
            assets = _field("assets", "assets", max_length=2000, min_width=200, scale=2)
            challenge = _field("challenge", "challenge", max_length=2000, min_width=200, scale=3)
            parts["rank_btn"] = gr.Button(
                I18N("rank"), variant="primary", elem_id="praxis-rank", scale=0, min_width=180
            )
        parts["profile"] = (country, region_type, population, budget, sector, assets, challenge)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=300):
                with gr.Row(visible=False, elem_id="praxis-briefing-row") as row:
                    parts["briefing_pick"] = gr.Dropdown(
                        label=I18N("briefing_for"),
                        choices=[],
                        elem_id="praxis-briefing-pick",
                        scale=2,
                        min_width=240,
                    )
                    gr.Markdown(I18N("briefing_download"), elem_id="praxis-briefing-label", min_width=160)
                    parts["briefings"] = tuple(
                        gr.DownloadButton(
                            label, size="sm", elem_id=f"praxis-briefing-{kind}", scale=0, min_width=90
                        )
                        for kind, label in (("md", "Markdown"), ("docx", "Word"), ("pdf", "PDF"))
                    )
                parts["briefing_row"] = row
                parts["briefing_status"] = gr.HTML("", elem_id="praxis-briefing-status", padding=False)
                parts["transfer_cards"] = gr.HTML(
                    ranked_html(None, "en"), elem_id="praxis-transfer-cards", js_on_load=ACTIONS_JS
                )
            with gr.Column(scale=2, min_width=300):
                parts["transfer_reader"] = gr.HTML(
                    placeholder(text("transfer_reader_empty", "en")),
                    elem_id="praxis-transfer-view",
                    js_on_load=READER_JS,
                    padding=True,
                )
    return parts


def _wire_transfer(page: Page, handlers: Handlers) -> None:
    transfer = handlers.transfer
    briefed = [page.briefing_row, *page.briefings, page.briefing_status]
    page.rank_btn.click(
        transfer.rank,
        [*page.profile, page.lang],
        [
            page.transfer_cards,
            page.transfer_state,
            page.briefing_pick,
            page.transfer_reader,
            page.transfer_view,
        ],
        api_visibility=PRIVATE,  # the API has POST /v1/transfer
    ).then(
        transfer.briefing_files, [page.transfer_state, page.briefing_pick], briefed, api_visibility=PRIVATE
    )
    page.briefing_pick.input(
        transfer.briefing_files, [page.transfer_state, page.briefing_pick], briefed, api_visibility=PRIVATE
    )
    for html_part in (page.transfer_cards, page.transfer_reader):
        html_part.click(
            transfer.act,
            [page.transfer_state, page.lang],
            [page.transfer_reader, page.transfer_view, page.briefing_pick],
            api_visibility=PRIVATE,
        ).then(
            transfer.briefing_files,
            [page.transfer_state, page.briefing_pick],
            briefed,
            api_visibility=PRIVATE,
        )
    page.lang.change(
        transfer.on_language,
        [page.lang, page.transfer_state, page.transfer_view, page.profile[1]],
        [page.transfer_cards, page.transfer_reader, page.profile[1]],
        api_visibility=PRIVATE,
    )


def _wire(page: Page, handlers: Handlers, demo: gr.Blocks) -> None:
    asked = [page.box, page.chat, page.chat_state, page.reader, page.view, page.focus]
    ask_inputs = [page.box, page.chat_state, page.country, page.theme, page.lang]
    export_outputs = [page.export_row, *page.downloads]
    page.send.click(handlers.respond, ask_inputs, asked, api_name="ask").then(
        handlers.exports, [page.chat_state, page.lang], export_outputs, api_visibility=PRIVATE
    )
    page.box.submit(handlers.respond, ask_inputs, asked, api_visibility=PRIVATE).then(
        handlers.exports, [page.chat_state, page.lang], export_outputs, api_visibility=PRIVATE
    )
    page.examples.click(handlers.pick_example, None, page.box, api_visibility=PRIVATE).then(
        handlers.respond, ask_inputs, asked, api_visibility=PRIVATE
    ).then(handlers.exports, [page.chat_state, page.lang], export_outputs, api_visibility=PRIVATE)

    acted = [
        page.reader,
        page.view,
        page.chat_state,
        page.chat,
        page.focus,
        page.status,
        page.country,
        page.theme,
    ]
    act_inputs = [page.chat_state, page.view, page.country, page.theme, page.lang]
    for html_part in (page.chat, page.focus, page.reader):
        html_part.click(handlers.act, act_inputs, acted, api_visibility=PRIVATE)
    for html_part in (page.cards, page.listed_reader):
        html_part.click(
            handlers.open_listed, page.lang, [page.listed_reader, page.listed_view], api_visibility=PRIVATE
        )

    filtered = [page.country, page.theme, page.search, page.chat_state, page.lang]
    for control in (page.country, page.theme, page.search):
        control.change(handlers.on_filter, filtered, [page.cards, page.focus], api_visibility=PRIVATE)

    page.clear_btn.click(
        handlers.clear,
        page.lang,
        [page.chat_state, page.chat, page.focus, page.reader, page.view, page.status, page.export_row],
        api_visibility=PRIVATE,
    )
    page.compare_btn.click(
        handlers.compare, [page.compare_pick, page.lang], page.compare_table, api_name="compare"
    )

    page.lang.change(None, page.lang, None, js=SWITCH_LANGUAGE_JS, api_visibility=PRIVATE)
    page.lang.change(
        handlers.on_language,
        [page.lang, page.chat_state, page.view, page.listed_view, page.country, page.theme, page.search],
        [
            page.chat,
            page.focus,
            page.examples,
            page.reader,
            page.cards,
            page.listed_reader,
            page.country,
            page.theme,
        ],
        api_visibility=PRIVATE,
    ).then(handlers.exports, [page.chat_state, page.lang], export_outputs, api_visibility=PRIVATE)
    demo.load(
        handlers.on_load,
        page.lang,
        [page.country, page.theme, page.cards, page.compare_pick],
        api_visibility=PRIVATE,
    )
    demo.load(None, None, page.lang, js=DETECT_LANGUAGE_JS, api_visibility=PRIVATE)
    _wire_transfer(page, handlers)


def build_ui(services: Services) -> gr.Blocks:
    """The page over the shared services; feedback goes to DATA_DIR/feedback.jsonl."""
    handlers = Handlers(services)
    with gr.Blocks(title="Praxis: Europe's regional good practices", analytics_enabled=False) as demo:
        with gr.Row(equal_height=True, elem_id="praxis-header"):
            gr.Markdown(I18N("intro"), elem_id="praxis-intro", min_width=300)
            lang = gr.Dropdown(
                label=I18N("language"),
                choices=[(LANGUAGE_NAMES[code], code) for code in LANGUAGES],
                value="en",
                elem_id="praxis-lang",
                scale=0,
                min_width=160,
            )
        chat_state = gr.State(Chat())
        view = gr.State(None)
        listed_view = gr.State(None)
        transfer_state = gr.State(None)
        transfer_view = gr.State(None)
        # wrap: on a phone every tab stays in sight (a menu would hide the last ones)
        with gr.Tabs(elem_id="praxis-tabs", overflow_behavior="wrap"):
            ask = _ask_tab()
            listing = _practices_tab(handlers)
            comparing = _compare_tab(handlers)
            transferring = _transfer_tab()
        page = Page(
            lang=lang,
            chat_state=chat_state,
            view=view,
            listed_view=listed_view,
            transfer_state=transfer_state,
            transfer_view=transfer_view,
            **ask,
            **listing,
            **comparing,
            **transferring,
        )
        _wire(page, handlers, demo)
    demo.queue(default_concurrency_limit=8)
    return demo


def theme() -> gr.themes.Base:
    """The default look with system fonts: the page loads nothing from the internet."""
    system = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"]
    soft = gr.themes.Soft(font=system, font_mono=["ui-monospace", "Menlo", "Consolas", "monospace"])
    # labels dark enough on their tinted background (WCAG AA contrast, checked with axe-core)
    return soft.set(
        color_accent="*primary_600",
        body_text_color_subdued="*neutral_600",
        button_primary_background_fill="*primary_600",
        button_primary_background_fill_hover="*primary_700",
        block_label_text_color="*primary_800",
        block_title_text_color="*primary_800",
        block_label_text_color_dark="*primary_100",
        block_title_text_color_dark="*primary_100",
    )


def mount_ui(app: FastAPI, services: Services) -> None:
    """Mount the web UI at / of the API app."""
    gr.mount_gradio_app(
        app,
        build_ui(services),
        path="",
        footer_links=["api"],
        ssr_mode=False,
        theme=theme(),
        css=CSS,
        show_error=False,  # exception text stays in the server log
        i18n=I18N,
    )
