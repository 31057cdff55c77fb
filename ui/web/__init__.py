"""The web UI (Gradio Blocks), mounted at / of the API app: a conversation with cited answers,
the practices to browse, and comparisons, in seven languages.

Modules: layout (the page, its events, mounting), handlers (what events call), session (the
conversation state), chat_view / reader_view (HTML), answer_text (answers read into blocks),
export (Markdown, Word, PDF), strings (the interface's words), assets (style and script).
"""

from ui.web.layout import build_ui, mount_ui

__all__ = ["build_ui", "mount_ui"]
