"""The conversation as a document to share: Markdown, Word (.docx) and PDF.

Each answer keeps its [n] markers, and its numbered references follow it: the practice, the
section and the quoted sentence, so a reader of the document can follow every number. Refusals
read as on the page, in the question's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.phrases import phrase, section_name
from ui.web.answer_text import Block, Piece, blocks, plain
from ui.web.session import Chat, Turn
from ui.web.strings import text


@dataclass(frozen=True)
class Reference:
    n: int
    title: str
    section: str
    quote: str

    def line(self) -> str:
        return f"[{self.n}] {self.title}, {self.section}: “{self.quote}”"


@dataclass(frozen=True)
class ExportTurn:
    question: str
    blocks: list[Block]
    references: list[Reference]


def _refusal_blocks(turn: Turn) -> list[Block]:
    question = turn.question.strip().rstrip("?？").strip() + "?"
    lines = [phrase("documents_do_not_say", turn.lang, question=question)]
    if turn.nearest:
        names = "; ".join(ref.title for ref in turn.nearest)
        lines.append(phrase("nearest_practices", turn.lang, names=names))
    return [Block("p", [[Piece("text", line)]]) for line in lines]


def export_turns(chat: Chat, lang: str) -> list[ExportTurn]:
    """The turns as an export reads them: question, answer blocks, numbered references."""
    turns: list[ExportTurn] = []
    for turn in chat.turns:
        citations = turn.answer["citations"]
        parsed = _refusal_blocks(turn) if turn.refused else blocks(turn.answer["answer"], citations)
        references = [
            Reference(
                int(c["n"]),
                str(c["title"]),
                text("section_of", lang, section=section_name(str(c["section"]), lang)),
                " ".join(str(c["text"]).split()),
            )
            for c in citations
        ]
        turns.append(ExportTurn(turn.question, parsed, references))
    return turns


# -- Markdown ------------------------------------------------------------------------------------


def _md_escape_cell(value: str) -> str:
    return " ".join(value.replace("|", "/").split())


def _md_block(block: Block) -> list[str]:
    if block.kind == "table":
        rows = [[_md_escape_cell(plain(cell)) for cell in row] for row in block.rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join("---" for _ in rows[0]) + "|"]
        return [*lines, *("| " + " | ".join(r) + " |" for r in rows[1:]), ""]
    if block.kind == "ul":
        return [*(f"- {plain(item)}" for item in block.lines), ""]
    if block.kind == "ol":
        return [*(f"{i}. {plain(item)}" for i, item in enumerate(block.lines, 1)), ""]
    prefix = "**" if block.kind == "heading" else ""
    return [f"{prefix}{plain(block.lines[0])}{prefix}", ""]


def to_markdown(chat: Chat, lang: str, when: str) -> str:
    lines = [f"# {text('export_title', lang)}", "", text("exported_on", lang, date=when), ""]
    for number, turn in enumerate(export_turns(chat, lang), 1):
        lines += [f"## {number}. {turn.question}", ""]
        for block in turn.blocks:
            lines += _md_block(block)
        if turn.references:
            lines += [f"**{text('references', lang)}**", ""]
            lines += [f"{ref.line()}  " for ref in turn.references]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# -- Word ------------------------------------------------------------------------------------------


def _docx_runs(paragraph: Any, pieces: Sequence[Piece]) -> None:
    for piece in pieces:
        if piece.kind == "marker":
            paragraph.add_run(f" [{piece.n}]")
        elif piece.kind == "quote":
            paragraph.add_run(f"“{piece.text}”").italic = True
        elif piece.kind == "strong":
            paragraph.add_run(piece.text).bold = True
        else:
            paragraph.add_run(piece.text)


def to_docx(chat: Chat, lang: str, when: str, path: Path) -> Path:
    """Write the conversation as a Word document at `path`."""
    from docx import Document

    document = Document()
    document.core_properties.title = text("export_title", lang)
    document.add_heading(text("export_title", lang), 0)
    document.add_paragraph(text("exported_on", lang, date=when))
    for number, turn in enumerate(export_turns(chat, lang), 1):
        document.add_heading(f"{number}. {turn.question}", level=2)
        for block in turn.blocks:
            if block.kind == "table":
                table = document.add_table(rows=len(block.rows), cols=len(block.rows[0]))
                table.style = "Table Grid"
                for r, row in enumerate(block.rows):
                    for c, cell in enumerate(row[: len(block.rows[0])]):
                        paragraph = table.cell(r, c).paragraphs[0]
                        _docx_runs(paragraph, cell)
                        if r == 0:
                            for run in paragraph.runs:
                                run.bold = True
            elif block.kind in ("ul", "ol"):
                style = "List Bullet" if block.kind == "ul" else "List Number"
                for item in block.lines:
                    _docx_runs(document.add_paragraph(style=style), item)
            else:
                paragraph = document.add_paragraph()
                _docx_runs(paragraph, block.lines[0])
                if block.kind == "heading":
                    for run in paragraph.runs:
                        run.bold = True
        if turn.references:
            document.add_heading(text("references", lang), level=3)
            for ref in turn.references:
                document.add_paragraph(ref.line())
    document.save(str(path))
    return path


# -- PDF -------------------------------------------------------------------------------------------


def _pdf_font(pdf: Any) -> str:
    """A font with the letters of all seven languages (Source Sans Pro, shipped on PyPI)."""
    import font_source_sans_pro as fonts

    files = fonts.font_files_ttf
    pdf.add_font("Praxis", "", files["SourceSansPro"])
    pdf.add_font("Praxis", "B", files["SourceSansProBold"])
    pdf.add_font("Praxis", "I", files["SourceSansProIt"])
    return "Praxis"


def _pdf_pieces(pdf: Any, family: str, pieces: Sequence[Piece], size: float) -> None:
    for piece in pieces:
        if piece.kind == "marker":
            pdf.set_font(family, "", size)
            pdf.write(6, f" [{piece.n}]")
        elif piece.kind == "quote":
            pdf.set_font(family, "I", size)
            pdf.write(6, f"“{piece.text}”")
        elif piece.kind == "strong":
            pdf.set_font(family, "B", size)
            pdf.write(6, piece.text)
        else:
            pdf.set_font(family, "", size)
            pdf.write(6, piece.text)
    pdf.ln(8)


def _pdf_block(pdf: Any, family: str, block: Block) -> None:
    if block.kind == "table":
        pdf.set_font(family, "", 9)
        width = len(block.rows[0])
        with pdf.table(first_row_as_headings=True, line_height=5) as table:
            for row in block.rows:
                cells = [plain(cell) for cell in row[:width]]
                table.row(cells + [""] * (width - len(cells)))
        pdf.ln(3)
        return
    if block.kind in ("ul", "ol"):
        for i, item in enumerate(block.lines, 1):
            pdf.set_font(family, "", 11)
            pdf.write(6, "• " if block.kind == "ul" else f"{i}. ")
            _pdf_pieces(pdf, family, item, 11)
        return
    _pdf_pieces(pdf, family, block.lines[0], 12 if block.kind == "heading" else 11)


def to_pdf(chat: Chat, lang: str, when: str, path: Path) -> Path:
    """Write the conversation as a PDF at `path`."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(text("export_title", lang))
    pdf.set_creator("Praxis")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    family = _pdf_font(pdf)
    pdf.set_font(family, "B", 18)
    pdf.multi_cell(0, 9, text("export_title", lang), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    pdf.multi_cell(0, 6, text("exported_on", lang, date=when), new_x="LMARGIN", new_y="NEXT")
    for number, turn in enumerate(export_turns(chat, lang), 1):
        pdf.ln(4)
        pdf.set_font(family, "B", 13)
        pdf.multi_cell(0, 7, f"{number}. {turn.question}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        for block in turn.blocks:
            _pdf_block(pdf, family, block)
        if turn.references:
            pdf.set_font(family, "B", 11)
            pdf.multi_cell(0, 6, text("references", lang), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(family, "", 9.5)
            for ref in turn.references:
                pdf.multi_cell(0, 5, ref.line(), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(1)
    pdf.output(str(path))
    return path
