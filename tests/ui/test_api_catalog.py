"""Key facts, compare and similar practices over real HTTP."""

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
