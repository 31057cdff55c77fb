"""Every supported format, on files the tests write: the practice, its sections and metadata come
through, citations point at exact text, and a corrupt file of each kind is reported by name while
the rest of the run goes on."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from assistant.store.chroma import ChromaStore
from ingest.ingestor import Ingestor
from ingest.readers import FieldMap
from tests.conftest import make_assistant

TITLE = "Vilnius Bike Library"
SECTIONS = {
    "About this good practice": (
        "The Vilnius Bike Library lends refurbished bicycles to students for a whole semester. "
        "Volunteers repair donated bicycles in a workshop run by the city."
    ),
    "Resources needed": "The library costs EUR 48,000 a year and employs two mechanics.",
    "Evidence of success": "In 2023 the library lent 1,250 bicycles and 83% were returned in good shape.",
    "Potential for learning or transfer": "Any university town with a donation culture can copy it.",
}
NAV = "Home Practices Login Subscribe to our newsletter"
FOOTER = "Copyright 2024 Example Programme. Privacy policy. Cookie settings."


def check_practice(store: ChromaStore, practice_id: str, *, source: str) -> None:
    """What a user relies on: the title, each section's text, and citations that match the text."""
    practice = store.get_practice(practice_id)
    assert practice is not None, f"{practice_id} not stored; stored: {sorted(store.document_index())}"
    assert practice.title == TITLE
    assert practice.source == source
    for name, text in SECTIONS.items():
        section = practice.section(name)
        assert section is not None, f"section {name!r} missing: {[s.name for s in practice.sections]}"
        assert " ".join(section.text.split()) == text
        assert practice.text[section.start : section.end] == section.text
    for chunk in store.all_chunks():
        if chunk.practice_id == practice_id:
            assert practice.text[chunk.start : chunk.end] == chunk.text


def ingest(store: ChromaStore, folder: Path, **kwargs):
    return Ingestor(store, store.embeddings, **kwargs).run([folder])


# -- writers ---------------------------------------------------------------------------------


def write_html(path: Path) -> None:
    body = "".join(f"<h2>{name}</h2>\n<p>{text}</p>\n" for name, text in SECTIONS.items())
    path.write_text(
        f"""<!doctype html><html><head><title>{TITLE} | Example Programme</title>
<link rel="canonical" href="https://example.org/gp/vilnius-bike-library">
<script>var tracking = "Resources needed: none";</script><style>p {{ color: red }}</style></head>
<body><header class="site-header"><nav><a href="/">Home</a> <a href="/p">Practices</a>
<a href="/login">Login</a></nav></header>
<div class="cookie-banner">We use cookies. Accept all?</div>
<main><ol class="breadcrumbs"><li>Home</li><li>Good practices</li></ol>
<h1>{TITLE}</h1>
{body}<h2>Good practice owner</h2><p>Country: Lithuania</p>
<div class="share-buttons">Share on Facebook</div>
</main><aside>Related practices: Bike Kitchen Riga</aside>
<footer><p>{FOOTER}</p><p>{NAV}</p></footer></body></html>""",
        encoding="utf-8",
    )


def test_a_page_wrapped_in_a_form_or_a_sidebar_layout_keeps_its_content(
    store: ChromaStore, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    body = "".join(f"<h3>{name}</h3><p>{text}</p>" for name, text in SECTIONS.items())
    (folder / "aspx-page.htm").write_text(
        f"<html><body><form id='aspnetForm'><div class='page-with-sidebar'>"
        f"<div class='sidebar'>Other practices</div><div id='content'><h1>{TITLE}</h1>{body}</div>"
        f"</div></form></body></html>",
        encoding="utf-8",
    )
    assert ingest(store, folder).ok
    check_practice(store, "aspx-page", source="aspx-page.htm")
    practice = store.get_practice("aspx-page")
    assert practice is not None and "Other practices" not in practice.text


def write_pdf(path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=16)
    pdf.cell(0, 10, TITLE, new_x="LMARGIN", new_y="NEXT")
    for name, text in SECTIONS.items():
        pdf.set_font("Helvetica", style="B", size=13)
        pdf.cell(0, 9, name, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(100, 6, text, new_x="LMARGIN", new_y="NEXT")  # narrow: text wraps over lines
    pdf.output(str(path))


def write_docx(path: Path) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Example Programme - internal draft"
    document.add_heading(TITLE, level=0)  # style "Title"
    for name, text in SECTIONS.items():
        document.add_heading(name, level=2)
        document.add_paragraph(text)
    document.add_heading("Contact", level=2)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Organisation", "Vilnius City Municipality"
    table.cell(1, 0).text, table.cell(1, 1).text = "Email", "bikes@vilnius.example"
    document.save(str(path))


# -- one practice per file -------------------------------------------------------------------


def test_html_page_keeps_the_practice_and_drops_navigation_and_footer(
    store: ChromaStore, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    write_html(folder / "vilnius-bike-library.html")
    report = ingest(store, folder)
    assert report.ok and report.added == ["vilnius-bike-library.html"], report.failed
    check_practice(store, "vilnius-bike-library", source="vilnius-bike-library.html")
    practice = store.get_practice("vilnius-bike-library")
    assert practice is not None
    for boilerplate in (
        "Login",
        "cookies",
        "Copyright",
        "Share on Facebook",
        "Related practices",
        "Good practices",
        "tracking",
        "color",
    ):
        assert boilerplate not in practice.text, boilerplate
    assert practice.metadata["url"] == "https://example.org/gp/vilnius-bike-library"
    assert practice.metadata["country"] == "Lithuania"


def test_pdf_paragraphs_wrapped_over_lines_come_back_whole(store: ChromaStore, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    write_pdf(folder / "vilnius-bike-library.pdf")
    report = ingest(store, folder)
    assert report.ok and report.added == ["vilnius-bike-library.pdf"], report.failed
    check_practice(store, "vilnius-bike-library", source="vilnius-bike-library.pdf")
    answer = make_assistant(store).ask("How much does the Vilnius Bike Library cost a year?")
    first = answer.citations[0]
    assert (first.source, first.section) == ("vilnius-bike-library.pdf", "Resources needed")
    assert first.text == "The library costs EUR 48,000 a year and employs two mechanics."


def test_docx_headings_tables_and_no_page_header(store: ChromaStore, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    write_docx(folder / "vilnius-bike-library.docx")
    report = ingest(store, folder)
    assert report.ok and report.added == ["vilnius-bike-library.docx"], report.failed
    check_practice(store, "vilnius-bike-library", source="vilnius-bike-library.docx")
    practice = store.get_practice("vilnius-bike-library")
    assert practice is not None
    contact = practice.section("Contact")  # a heading outside the template is a section too
    assert contact is not None and "Organisation | Vilnius City Municipality" in contact.text
    assert "internal draft" not in practice.text


def test_markdown_still_reads_as_before(store: ChromaStore, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    body = "".join(f"\n## {name}\n\n{text}\n" for name, text in SECTIONS.items())
    (folder / "vilnius-bike-library.md").write_text(f"# {TITLE}\n{body}", encoding="utf-8")
    assert ingest(store, folder).ok
    check_practice(store, "vilnius-bike-library", source="vilnius-bike-library.md")


# -- exports: one practice per record --------------------------------------------------------


def _records() -> list[dict[str, object]]:
    second = {name: text.replace("Vilnius", "Kaunas") for name, text in SECTIONS.items()}
    return [
        {
            "id": "LT-001",
            "title": TITLE,
            "country": "Lithuania",
            "region": "Vilnius County",
            "theme": ["mobility", "students"],
            "url": "https://example.org/gp/1",
            "sections": SECTIONS,
        },
        {"id": "LT-002", "title": "Kaunas Bike Library", "country": "Lithuania", "sections": second},
    ]


def test_json_export_becomes_one_practice_per_record(store: ChromaStore, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "export.json").write_text(json.dumps({"practices": _records()}), encoding="utf-8")
    report = ingest(store, folder)
    assert report.ok, report.failed
    assert sorted(report.added) == ["export.json#lt-001", "export.json#lt-002"]
    check_practice(store, "export-lt-001", source="export.json#lt-001")
    practice = store.get_practice("export-lt-001")
    assert practice is not None
    assert practice.metadata == {
        "country": "Lithuania",
        "region": "Vilnius County",
        "theme": "mobility, students",
        "url": "https://example.org/gp/1",
    }
    kaunas = store.get_practice("export-lt-002")
    assert kaunas is not None and kaunas.title == "Kaunas Bike Library"


def test_jsonl_export_with_a_broken_line_keeps_the_others(store: ChromaStore, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    first, second = _records()
    lines = [
        json.dumps(first),
        "{not json",
        json.dumps({"id": "LT-003", "country": "Lithuania"}),
        json.dumps(second),
    ]
    (folder / "export.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest(store, folder)
    assert sorted(report.added) == ["export.jsonl#lt-001", "export.jsonl#lt-002"]
    reasons = dict(report.failed)
    assert "line 2: not valid JSON" in reasons["export.jsonl line 2"]
    assert "line 3: no title" in reasons["export.jsonl line 3"]
    check_practice(store, "export-lt-001", source="export.jsonl#lt-001")


def test_csv_export_with_a_custom_field_mapping(store: ChromaStore, tmp_path: Path) -> None:
    """A spreadsheet with its own column names, mapped with settings/--fields."""
    folder = tmp_path / "docs"
    folder.mkdir()
    columns = ["Ref", "Practice name", "Nation", "Summary", "Budget and staff", "Results", "Transfer"]
    with (folder / "programme.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(columns)
        writer.writerow(["7", TITLE, "Lithuania", *SECTIONS.values()])
        writer.writerow(
            ["8", "Riga Repair Cafe", "Latvia", "Volunteers fix things.\nEvery Saturday.", "", "", ""]
        )
    fields = FieldMap.from_overrides(
        {
            "id": "ref",
            "title": "Practice name",
            "country": "nation",
            "sections": {
                "About this good practice": "summary",
                "Resources needed": "budget_and_staff",
                "Evidence of success": "results",
                "Potential for learning or transfer": "transfer",
            },
        }
    )
    report = ingest(store, folder, fields=fields)
    assert report.ok and sorted(report.added) == ["programme.csv#7", "programme.csv#8"], report.failed
    check_practice(store, "programme-7", source="programme.csv#7")
    riga = store.get_practice("programme-8")
    assert riga is not None and riga.metadata["country"] == "Latvia"
    about = riga.section("About this good practice")
    assert about is not None and about.text == "Volunteers fix things.\nEvery Saturday."


def test_csv_without_the_mapped_columns_says_how_to_map_them(store: ChromaStore, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "odd.csv").write_text("code,label,text\n1,Bike Library,Lends bicycles.\n", encoding="utf-8")
    report = ingest(store, folder)
    assert not report.added
    ((name, reason),) = report.failed
    assert name == "odd.csv row 2"
    assert "odd.csv row 2: no title" in reason and "--fields" in reason


def test_bad_field_mapping_names_the_bad_key() -> None:
    from assistant.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown record field target 'titel'"):
        FieldMap.from_overrides({"titel": "name"})
    with pytest.raises(ConfigError, match='"sections" must map a heading'):
        FieldMap.from_overrides({"sections": "about"})


# -- corrupt files ---------------------------------------------------------------------------

CORRUPT: dict[str, tuple[bytes, str]] = {
    "broken.pdf": (b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF garbage", "not a readable PDF"),
    "broken.docx": (b"PK\x03\x04 this is not a zip archive", "not a readable Word .docx file"),
    "broken.html": (b"\x00\x01\x02binary\x00", "looks binary"),
    "broken.json": (b'{"practices": [{"title": "A", ', "not valid JSON (line 1"),
    "broken.jsonl": (b"{nope\n[also nope\n", "no line is valid JSON"),
    "broken.csv": (b'title,about\n"Bike Library,"unterminated\x00', "looks binary"),
    "broken.txt": (b"\xff\xfe\xfa not utf-8", "not valid UTF-8"),
    "broken.md": (b"", "no text to ingest"),
}


@pytest.mark.parametrize("name", sorted(CORRUPT))
def test_a_corrupt_file_is_named_and_the_run_continues(store: ChromaStore, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    data, message = CORRUPT[name]
    (folder / name).write_bytes(data)
    write_html(folder / "vilnius-bike-library.html")
    report = ingest(store, folder)
    assert report.added == ["vilnius-bike-library.html"]
    ((failed_name, reason),) = report.failed
    assert failed_name == str(folder / name)
    assert reason.startswith(f"{folder / name}: ") and message in reason, reason


def test_a_pathologically_nested_page_fails_alone(store: ChromaStore, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "deep.html").write_text("<div>" * 5000 + "text" + "</div>" * 5000, encoding="utf-8")
    write_html(folder / "vilnius-bike-library.html")
    report = ingest(store, folder)
    assert report.added == ["vilnius-bike-library.html"]
    ((name, reason),) = report.failed
    assert name == str(folder / "deep.html") and reason.startswith(f"{folder / 'deep.html'}: ")


def test_a_docx_zip_without_word_parts_is_corrupt_too(store: ChromaStore, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    with zipfile.ZipFile(folder / "empty.docx", "w") as archive:
        archive.writestr("hello.txt", "not a Word document")
    report = ingest(store, folder)
    ((_, reason),) = report.failed
    assert "empty.docx: not a readable Word .docx file" in reason


def test_scanned_pdf_without_text_asks_for_ocr(store: ChromaStore, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60)  # drawing only, no text layer
    pdf.output(str(folder / "scan.pdf"))
    report = ingest(store, folder)
    ((_, reason),) = report.failed
    assert "scan.pdf: the PDF has no text layer" in reason and "OCR" in reason
