"""A briefing as a file: Markdown, Word (.docx, python-docx) or PDF (fpdf2), with the citations
as numbered references. `render(briefing, "md" | "docx" | "pdf")` returns the bytes, the content
type and a file name, which is all the CLI (`--out FILE`) and the API route need.

The PDF embeds Source Sans Pro (the `font-source-sans-pro` package, SIL Open Font License), so
names such as Przedsiębiorców, Ørsted or Babeş-Bolyai print as written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import InvalidQuestion
from assistant.transfer.briefing import Briefing, Statement
from assistant.types import Citation

FORMATS: dict[str, str] = {
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
QUOTE_CHARS = 400  # a reference shows at most this much of its cited text


@dataclass(frozen=True)
class RenderedBriefing:
    data: bytes
    content_type: str
    filename: str


def render(briefing: Briefing, fmt: str) -> RenderedBriefing:
    """The briefing in one format. Raises InvalidQuestion for an unknown format."""
    if fmt not in FORMATS:
        raise InvalidQuestion(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    data = {"md": lambda b: to_markdown(b).encode("utf-8"), "docx": to_docx, "pdf": to_pdf}[fmt](briefing)
    return RenderedBriefing(data, FORMATS[fmt], f"transfer-briefing-{briefing.practice_id}.{fmt}")


def _line(statement: Statement) -> str:
    label = f"{statement.label}: " if statement.label else ""
    markers = f" {statement.markers()}" if statement.citations else ""
    return f"{label}{statement.text}{markers}"


def reference(citation: Citation) -> str:
    """'[3] Title, Resources needed: "quoted text" (file.txt, characters 120-180)'."""
    text = " ".join(citation.text.split())
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS - 1].rstrip() + "…"
    return (
        f"[{citation.n}] {citation.title}, {citation.section}: \u201c{text}\u201d "
        f"({citation.source}, characters {citation.start}-{citation.end})"
    )


def _subtitle(briefing: Briefing) -> str:
    where = ", ".join(x for x in (briefing.country, briefing.region) if x)
    return f"{where + ' · ' if where else ''}prepared {briefing.generated.isoformat()} from {briefing.source}"


def to_markdown(briefing: Briefing) -> str:
    lines = [f"# Transfer briefing: {briefing.title}", "", f"_{_subtitle(briefing)}_", ""]
    for number, section in enumerate(briefing.sections, start=1):
        lines += [f"## {number}. {section.title}", ""]
        lines += [f"- {_line(s)}" for s in section.statements]
        lines.append("")
    lines += ["## References", ""]
    lines += [reference(c) + "  " for c in briefing.references]
    return "\n".join(lines).rstrip() + "\n"


def to_docx(briefing: Briefing) -> bytes:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.core_properties.title = f"Transfer briefing: {briefing.title}"
    document.add_heading(f"Transfer briefing: {briefing.title}", level=0)
    document.add_paragraph(_subtitle(briefing)).runs[0].italic = True
    for number, section in enumerate(briefing.sections, start=1):
        document.add_heading(f"{number}. {section.title}", level=1)
        for statement in section.statements:
            paragraph = document.add_paragraph(style="List Bullet")
            if statement.label:
                paragraph.add_run(f"{statement.label}: ").bold = True
            paragraph.add_run(statement.text)
            if statement.citations:
                paragraph.add_run(f" {statement.markers()}")
    document.add_heading("References", level=1)
    for citation in briefing.references:
        paragraph = document.add_paragraph(reference(citation))
        for run in paragraph.runs:
            run.font.size = Pt(9)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _font_files() -> tuple[Path, Path] | None:
    try:
        import font_source_sans_pro
    except ImportError:
        return None
    folder = Path(font_source_sans_pro.__file__).parent / "files"
    regular, bold = folder / "SourceSansPro-Regular.ttf", folder / "SourceSansPro-Bold.ttf"
    return (regular, bold) if regular.exists() and bold.exists() else None


def to_pdf(briefing: Briefing) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(f"Transfer briefing: {briefing.title}")
    fonts = _font_files()
    family = "Helvetica"
    if fonts:
        family = "SourceSans"
        pdf.add_font(family, "", str(fonts[0]))
        pdf.add_font(family, "B", str(fonts[1]))
    text = (lambda s: s) if fonts else _latin1  # the core font only knows Latin-1
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(width, 8, text(f"Transfer briefing: {briefing.title}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 9)
    pdf.multi_cell(width, 5, text(_subtitle(briefing)), new_x="LMARGIN", new_y="NEXT")
    for number, section in enumerate(briefing.sections, start=1):
        pdf.ln(3)
        pdf.set_font(family, "B", 12)
        pdf.multi_cell(width, 7, text(f"{number}. {section.title}"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 10)
        for statement in section.statements:
            pdf.multi_cell(width, 5, text("• " + _line(statement)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(family, "B", 12)
    pdf.multi_cell(width, 7, "References", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 8)
    for citation in briefing.references:
        pdf.multi_cell(width, 4, text(reference(citation)), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _latin1(text: str) -> str:
    replaced = text.replace("\u201c", '"').replace("\u201d", '"').replace("•", "-").replace("…", "...")
    return replaced.encode("latin-1", "replace").decode("latin-1")
