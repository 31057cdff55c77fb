"""GET /v1/practices (list and filters), one practice, its key facts, similar practices and
POST /v1/compare over real HTTP."""

from tests.ui.api import error_of

LAUGEA = "laugea-lithuanian-automotive-export-association"
INOLINK = "inolink-fostering-innovative-networks"


def test_facts_of_a_practice_carry_their_sentence(http) -> None:
    reply = http.get(f"/v1/practices/{LAUGEA}/facts")
    assert reply.status_code == 200
    facts = reply.json()["facts"]
    members = [f for f in facts if f["kind"] == "members"]
    assert members and members[0]["value"] == 21
    assert "21 members" in members[0]["text"] and members[0]["section"] == "Evidence of success"
    assert any(f["kind"] == "start_year" and f["value"] == 2014 for f in facts)
    assert any(f["kind"] == "staff" and f["value"] == 4 for f in facts)
    missing = http.get("/v1/practices/no-such-practice/facts")
    assert missing.status_code == 404 and "GET /v1/practices" in missing.json()["error"]["message"]


def test_compare_puts_two_practices_side_by_side_with_citations(http) -> None:
    reply = http.post("/v1/compare", json={"practices": [LAUGEA, INOLINK]})
    assert reply.status_code == 200
    body = reply.json()
    assert [p["id"] for p in body["practices"]] == [LAUGEA, INOLINK]
    labels = {row["label"] for row in body["rows"]}
    assert {"Resources needed", "Evidence of success", "Potential for learning or transfer"} <= labels
    numbers = {c["n"] for c in body["citations"]}
    for row in body["rows"]:
        for cell in row["cells"]:
            if not cell["missing"] and not cell["from_metadata"]:
                assert cell["citations"] and {c["n"] for c in cell["citations"]} <= numbers
    one = http.post("/v1/compare", json={"practices": [LAUGEA]})
    assert one.status_code == 422 and one.json()["error"]["message"]


def test_similar_practices_exclude_the_practice_itself(http) -> None:
    reply = http.get(f"/v1/practices/{LAUGEA}/similar", params={"k": 4})
    assert reply.status_code == 200
    similar = reply.json()["similar"]
    assert 1 <= len(similar) <= 4 and LAUGEA not in {s["practice_id"] for s in similar}
    scores = [s["score"] for s in similar]
    assert scores == sorted(scores, reverse=True)


def test_practices_list_and_filters(http):
    listing = http.get("/v1/practices").json()
    assert listing["count"] == 42 == len(listing["practices"])
    buurtzorg = next(p for p in listing["practices"] if p["id"] == "buurtzorg-neighbourhood-care")
    assert buurtzorg["country"] == "Netherlands" and "Resources needed" in buurtzorg["sections"]
    lithuania = http.get("/v1/practices", params={"country": "lithuania"}).json()
    assert lithuania["count"] >= 3 and {p["country"] for p in lithuania["practices"]} == {"Lithuania"}
    assert http.get("/v1/practices", params={"country": "Atlantis"}).json() == {"count": 0, "practices": []}


def test_practice_has_full_text_by_section(http):
    practice = http.get("/v1/practices/buurtzorg-neighbourhood-care").json()
    assert practice["title"] == "Buurtzorg Neighbourhood Care Model"
    assert practice["metadata"]["country"] == "Netherlands"
    for section in practice["sections"]:
        assert practice["text"][section["start"] : section["end"]] == section["text"]
    missing = http.get("/v1/practices/no-such-practice")
    assert missing.status_code == 404
    assert "GET /v1/practices" in error_of(missing)["message"]


def test_country_filter_takes_a_demonym_and_ignores_case_and_accents(http) -> None:
    by_name = http.get("/v1/practices", params={"country": "Lithuania"}).json()
    assert by_name["count"] >= 3
    for spelling in ("lithuanian", "LITHUANIA", " Lithuánia "):
        assert http.get("/v1/practices", params={"country": spelling}).json() == by_name
    czech = http.get("/v1/practices", params={"country": "Czechia"}).json()
    assert czech["count"] >= 1 and {p["country"] for p in czech["practices"]} == {"Czech Republic"}
    region = by_name["practices"][0]["region"]
    in_region = http.get("/v1/practices", params={"region": region.upper()}).json()
    assert in_region["count"] >= 1 and {p["region"] for p in in_region["practices"]} == {region}


def test_fact_filters_list_the_facts_that_decided(http) -> None:
    cheap = http.get("/v1/practices", params={"budget_below": "GBP 260000", "started_after": 2015}).json()
    ids = {p["id"] for p in cheap["practices"]}
    assert "oldham-community-power" in ids
    for practice in cheap["practices"]:
        kinds = {f["kind"] for f in practice["matched_facts"]}
        assert kinds == {"budget", "start_year"}
    assert http.get("/v1/practices").json()["practices"][0]["matched_facts"] is None
    mixed = http.get("/v1/practices", params={"budget_below": "GBP 1 million", "budget_above": "EUR 5"})
    assert mixed.status_code == 422 and "one currency" in error_of(mixed)["message"]


def test_budgets_converted_for_a_filter_name_the_day_of_their_rate(http) -> None:
    params = {"budget_below": "EUR 300000", "rates_on": "2024-06-29"}
    listed = {p["id"]: p for p in http.get("/v1/practices", params=params).json()["practices"]}
    oldham = listed["oldham-community-power"]  # GBP 250,000: Friday's rate, none on Saturdays
    assert (oldham["budget_converted"], oldham["budget_currency"], oldham["rate_date"]) == (
        295375.6,
        "EUR",
        "2024-06-28",
    )
    assert "oldham-community-power" not in {
        p["id"]
        for p in http.get("/v1/practices", params={**params, "rates_on": "2007-01-02"}).json()["practices"]
    }
    unlisted = http.get("/v1/practices").json()["practices"][0]
    assert unlisted["budget_converted"] is None and unlisted["rate_date"] is None
    for bad, message in (
        ({"rates_on": "1990-01-01"}, "before 1999"),
        ({"currency": "XYZ"}, "unknown currency"),
    ):
        reply = http.get("/v1/practices", params={"budget_below": "100", **bad})
        assert reply.status_code == 422 and message in error_of(reply)["message"]
