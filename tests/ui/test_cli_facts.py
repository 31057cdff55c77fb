"""`praxis compare`, `facts`, `similar` and `practices` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.embeddings import HashingEmbeddings
from assistant.store.chroma import ChromaStore
from assistant.store.client import open_client
from ingest.ingestor import Ingestor
from tests.conftest import CORPUS
from ui.cli import main


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("cli-data")
    embeddings = HashingEmbeddings()
    Ingestor(ChromaStore(open_client(data), embeddings, name="praxis"), embeddings).run([CORPUS])
    return data


@pytest.fixture
def praxis(data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.setenv("PRAXIS_DATA_DIR", str(data_dir))
    monkeypatch.setenv("PRAXIS_EMBEDDING__BACKEND", "hashing")

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_compare_prints_a_cited_table(praxis) -> None:
    code, out, _ = praxis("compare", "laugea", "inolink")
    assert code == 0
    assert "Lithuanian Automotive Export Association (LAuGEA)" in out
    assert "Fostering and Developing Innovative Networks (InoLink)" in out
    assert "Resources needed" in out and "Start year" in out
    table, _, sources = out.partition("\n\n[1] ")
    assert "2014 [" in table and "4 employees [" in table
    assert "per cluster in 3 years [" in table
    markers = {int(n) for n in __import__("re").findall(r"\[(\d+)\]", table)}
    listed = {int(line.split("]")[0].lstrip("[")) for line in ("[1] " + sources).splitlines() if line}
    assert markers == listed  # every marker in the table is explained below it
    assert "inolink-fostering-innovative-networks.txt, chars" in sources


def test_compare_json(praxis) -> None:
    code, out, _ = praxis("compare", "laugea", "inolink", "--json")
    assert code == 0
    data = json.loads(out)
    assert len(data["practices"]) == 2 and data["rows"] and data["citations"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("compare", "laugea"), "compare takes 2 to 5 practices, got 1"),
        (("compare", "laugea", "atlantis"), "no practice matches 'atlantis'"),
        (("compare", "cluster", "laugea"), "'cluster' matches"),
        (("practices", "--budget-below", "cheap"), "cannot read the amount 'cheap'"),
    ],
)
def test_bad_input_exits_2_with_a_clear_error(praxis, args, message: str) -> None:
    code, out, err = praxis(*args)
    assert code == 2 and out == ""
    assert message in err


def test_facts_with_evidence(praxis) -> None:
    code, out, _ = praxis("facts", "inolink", "--evidence")
    assert code == 0
    assert "Budget / cost" in out and "about 100,000 (currency not stated) per cluster in 3 years" in out
    assert "total amount in financial form" in out  # the sentence it came from
    code, out, _ = praxis("facts", "laugea", "--json", "--kind", "members")
    data = json.loads(out)
    assert [f["value"] for f in data["facts"]] == [21, 19, 2]
    assert all(
        f["evidence"].startswith("Currently, the cluster consists of 21 members") for f in data["facts"]
    )


def test_similar_lists_other_countries(praxis) -> None:
    code, out, _ = praxis("similar", "laugea", "--k", "4", "--per-country", "1", "--json")
    assert code == 0
    found = json.loads(out)["similar"]
    assert len(found) == 4 and len({s["country"] for s in found}) == 4
    assert "Lithuania" not in {s["country"] for s in found}


def test_practices_filtered_by_facts(praxis) -> None:
    code, out, err = praxis("practices", "--budget-below", "GBP 260000", "--started-after", "2015")
    assert code == 0
    assert "oldham-community-power" in out and "since 2016" in out
    assert "practice(s)" in err
    code, out, _ = praxis("practices", "--budget-below", "300000", "--json")
    data = json.loads(out)
    assert data["count"] == len(data["practices"]) > 3
    assert all(p["budget_converted"] < 300000 for p in data["practices"])


def test_practices_say_which_days_rate_converted_a_budget(praxis, capsys) -> None:
    args = ("practices", "--budget-below", "EUR 300000", "--rates-on", "2024-06-30")
    code, out, _ = praxis(*args)
    oldham = next(line for line in out.splitlines() if line.startswith("oldham-community-power"))
    assert code == 0
    assert "GBP 250,000 = EUR 295,376 at the ECB euro reference rate of 2024-06-28" in oldham
    data = json.loads(praxis(*args, "--json")[1])
    row = next(p for p in data["practices"] if p["practice_id"] == "oldham-community-power")
    assert (row["budget_converted"], row["budget_currency"], row["rate_date"]) == (
        295375.6,
        "EUR",
        "2024-06-28",
    )
    # in January 2007 the pound was worth more: the same budget is over EUR 300,000
    code, out, _ = praxis("practices", "--budget-below", "EUR 300000", "--rates-on", "2007-01-02")
    assert code == 0 and "oldham-community-power" not in out
    with pytest.raises(SystemExit):
        praxis("practices", "--rates-on", "last week")
    assert "'last week' is not a date; write YYYY-MM-DD" in capsys.readouterr().err


def test_practices_country_theme_and_region_filters(praxis) -> None:
    code, out, _ = praxis("practices", "--country", "Lithuania", "--json")
    lithuanian = json.loads(out)
    assert code == 0 and lithuanian["count"] >= 3
    for spelling in ("lithuanian", "LITHUÁNIA"):
        assert json.loads(praxis("practices", "--country", spelling, "--json")[1]) == lithuanian
    code, out, _ = praxis("practices", "--theme", "CLUSTERS / AUTOMOTIVE")
    assert code == 0 and "laugea-lithuanian-automotive-export-association" in out
    code, out, err = praxis("practices", "--region", "nowhere at all")
    assert code == 0 and out == "" and "0 practice(s)" in err


def test_the_cli_and_the_api_list_the_same_practices(praxis, http) -> None:
    query = {"country": "british", "budget_below": "GBP 260000", "started_after": "2010"}
    _, out, _ = praxis(
        "practices",
        "--country",
        query["country"],
        "--budget-below",
        query["budget_below"],
        "--started-after",
        query["started_after"],
        "--json",
    )
    from_cli = [p["practice_id"] for p in json.loads(out)["practices"]]
    from_api = [p["id"] for p in http.get("/v1/practices", params=query).json()["practices"]]
    assert from_cli == from_api and "oldham-community-power" in from_cli
