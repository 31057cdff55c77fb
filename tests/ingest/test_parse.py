from pathlib import Path

import pytest

from assistant.errors import CorpusError
from assistant.types import DOCUMENT_SECTION, SECTION_NAMES
from ingest.chunk import chunk_practice
from ingest.parse import load_practice, parse_practice, read_text
from tests.conftest import INOLINK, LAUGEA


def test_laugea_is_parsed_into_its_template_sections() -> None:
    practice, warnings = load_practice(LAUGEA)
    assert warnings == []
    assert practice.id == "laugea-lithuanian-automotive-export-association"
    assert practice.title == "Lithuanian Automotive Export Association (LAuGEA)"
    names = [s.name for s in practice.sections]
    assert names == [
        "About this good practice",
        "Expert opinion",
        "Resources needed",
        "Evidence of success",
        "Potential for learning or transfer",
        "Good practice owner",
    ]  # "Further information" is empty in this file and is left out
    resources = practice.section("Resources needed")
    assert resources is not None and resources.text.startswith("Cluster employs 4 employees.")
    for section in practice.sections:
        assert practice.text[section.start : section.end] == section.text


def test_inolink_keeps_its_sections_and_figures() -> None:
    practice, _ = load_practice(INOLINK)
    assert practice.title == "Fostering and Developing Innovative Networks (InoLink)"
    assert {s.name for s in practice.sections} >= {
        "About this good practice",
        "Resources needed",
        "Evidence of success",
        "Potential for learning or transfer",
    }
    resources = practice.section("Resources needed")
    assert resources is not None and "100 000" in resources.text


def test_crlf_bom_and_heading_case_are_tolerated(tmp_path: Path) -> None:
    original = LAUGEA.read_text(encoding="utf-8")
    variant = original.replace("Resources needed", "RESOURCES NEEDED:").replace("\n", "\r\n")
    path = tmp_path / "variant.txt"
    path.write_bytes(b"\xef\xbb\xbf" + variant.encode("utf-8"))
    practice, warnings = load_practice(path)
    assert warnings == []
    assert practice.title == "Lithuanian Automotive Export Association (LAuGEA)"
    resources = practice.section("Resources needed")
    assert resources is not None and resources.text.startswith("Cluster employs 4 employees.")
    assert "\r" not in practice.text and not practice.text.startswith("\ufeff")


def test_missing_and_extra_markdown_sections(tmp_path: Path) -> None:
    path = tmp_path / "short.md"
    path.write_text(
        "# Tiny practice\n\nSome intro text.\n\n## Evidence of success\nIt worked: 12 towns joined.\n\n"
        "## Challenges\nWinter was hard.\n",
        encoding="utf-8",
    )
    practice, warnings = load_practice(path)
    assert practice.title == "Tiny practice"
    assert [s.name for s in practice.sections] == [SECTION_NAMES[0], "Evidence of success", "Challenges"]
    assert practice.section("Challenges").text == "Winter was hard."  # type: ignore[union-attr]


def test_a_file_without_the_template_is_one_document_section_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Regional notes\nWe met twice and agreed on 3 pilots.\n", encoding="utf-8")
    practice, warnings = load_practice(path)
    assert [s.name for s in practice.sections] == [DOCUMENT_SECTION]
    assert "3 pilots" in practice.sections[0].text
    assert warnings and "notes.txt" in warnings[0] and "no template headings" in warnings[0]


def test_metadata_comes_from_the_text_when_not_given() -> None:
    practice, _ = parse_practice(
        "Title\nAbout this good practice\nText.\nGood practice owner\nOrganisation: City of X\n",
        source="x.txt",
        practice_id="x",
    )
    assert practice.metadata == {"owner": "City of X"}  # no country invented


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"  \n\n ", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("Caf\u00e9 r\u00e9gional\n".encode("latin-1"), "not valid UTF-8"),
    ],
)
def test_bad_files_get_a_clear_message_naming_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CorpusError) as error:
        read_text(path)
    assert "bad.txt" in str(error.value) and message in str(error.value)


def test_unsupported_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "slides.pptx"
    path.write_bytes(b"PK")
    with pytest.raises(CorpusError, match="unsupported file type '.pptx'"):
        load_practice(path)


def test_chunks_never_span_sections_and_point_at_their_text() -> None:
    practice, _ = load_practice(INOLINK)
    chunks = chunk_practice(practice, target_chars=300, overlap=1)
    assert len(chunks) > len(practice.sections)
    for chunk in chunks:
        section = next(s for s in practice.sections if s.name == chunk.section)
        assert section.start <= chunk.start < chunk.end <= section.end
        assert practice.text[chunk.start : chunk.end] == chunk.text
        assert chunk.text[-1] in ".;:!?)" or chunk.end == section.end or chunk.text[-1].isalnum()
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    assert len({c.id for c in chunks}) == len(chunks)


def test_long_sections_overlap_by_a_sentence() -> None:
    body = " ".join(f"Sentence number {i} says something about the pilot." for i in range(12))
    practice, _ = parse_practice(f"T\nEvidence of success\n{body}\n", source="t.txt", practice_id="t")
    chunks = chunk_practice(practice, target_chars=200, overlap=1)
    assert len(chunks) >= 3
    for first, second in zip(chunks, chunks[1:], strict=False):
        assert second.start < first.end  # the last sentence of one chunk opens the next
        assert practice.text[second.start : first.end].startswith("Sentence number")
