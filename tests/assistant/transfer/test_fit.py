"""Verdicts per criterion on invented practices, each resting on a cited sentence that says it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.errors import InvalidQuestion
from assistant.transfer import PracticeFit, TransferAdvisor, supports
from assistant.transfer.reasons import NOT_STATED
from tests.assistant.transfer.conftest import HEAT_ID, TRANSIT_ID, VOUCHER_ID

RURAL_POLAND = {
    "country": "Poland",
    "region_type": "rural",
    "population": 20000,
    "budget": "PLN 1 million per year",
    "sector": "renewable heat",
    "assets": ["large forests", "sawmills"],
    "challenge": "Schools burn imported heating oil while wood chips from local forests are wasted.",
}


def _fits(advisor: TransferAdvisor, profile: dict, k: int = 3) -> dict[str, PracticeFit]:
    return {fit.practice_id: fit for fit in advisor.rank(profile, k=k).practices}


def _reason(fit: PracticeFit, criterion: str):
    return next(r for r in fit.reasons if r.criterion == criterion)


def test_every_stated_verdict_cites_a_sentence_that_contains_what_it_states(advisor: TransferAdvisor) -> None:
    result = advisor.rank(RURAL_POLAND, k=3)
    reasons = [r for fit in result.practices for r in fit.reasons]
    assert {r.criterion for r in reasons} == {"topic", "budget", "preconditions", "evidence", "region"}
    for reason in reasons:
        if reason.verdict == NOT_STATED:
            assert reason.citation is None
            continue
        assert reason.citation is not None and supports(reason), reason
        practice = advisor.store.get_practice(reason.citation.practice_id)
        assert practice is not None
        assert practice.text[reason.citation.start : reason.citation.end] == reason.citation.text


def test_the_practice_on_the_region_challenge_ranks_first_and_its_score_adds_up(
    advisor: TransferAdvisor,
) -> None:
    result = advisor.rank(RURAL_POLAND, k=3)
    assert result.practices[0].practice_id == HEAT_ID
    for fit in result.practices:
        assert fit.score == pytest.approx(sum(r.points for r in fit.reasons))
    scores = [fit.score for fit in result.practices]
    assert scores == sorted(scores, reverse=True)
    data = result.to_dict()
    assert data["practices"][0]["practice_id"] == HEAT_ID
    first = data["practices"][0]["reasons"][0]
    assert set(first) >= {"criterion", "verdict", "citation", "text", "points"}
    assert set(first["citation"]) == {
        "n",
        "practice_id",
        "title",
        "section",
        "source",
        "text",
        "start",
        "end",
    }


def test_budget_yearly_cost_within_the_region_money_fits(advisor: TransferAdvisor) -> None:
    heat = _fits(advisor, RURAL_POLAND)[HEAT_ID]
    budget = _reason(heat, "budget")
    assert budget.verdict == "fits"
    assert budget.stated == ("about EUR 120,000 a year",)
    assert "EUR 120,000 a year" in budget.citation.text


def test_budget_far_above_the_region_money_does_not_fit(advisor: TransferAdvisor) -> None:
    buses = {
        **RURAL_POLAND,
        "sector": "public transport",
        "challenge": "Free buses for residents of the city.",
    }
    transit = _fits(advisor, buses)[TRANSIT_ID]
    budget = _reason(transit, "budget")
    assert budget.verdict == "does not fit"
    assert "EUR 9 million per year" in budget.citation.text
    assert budget.points < 0  # it counts against the practice, weighted by its closeness to the challenge
    assert transit.weight > 0


def test_budget_of_a_grant_scheme_is_judged_by_the_grants_the_money_pays(advisor: TransferAdvisor) -> None:
    voucher = _fits(advisor, RURAL_POLAND)[VOUCHER_ID]
    budget = _reason(voucher, "budget")
    assert budget.verdict == "fits"  # about EUR 230,000 a year pays more than 50 vouchers of EUR 4,000
    assert budget.stated == ("up to EUR 4,000",)
    small = _fits(advisor, {**RURAL_POLAND, "budget": "EUR 10,000 per year"})[VOUCHER_ID]
    assert _reason(small, "budget").verdict == "partly"


def test_budget_not_in_the_profile_is_not_stated_and_uncited(advisor: TransferAdvisor) -> None:
    profile = {k: v for k, v in RURAL_POLAND.items() if k != "budget"}
    heat = _fits(advisor, profile)[HEAT_ID]
    budget = _reason(heat, "budget")
    assert (budget.verdict, budget.citation, budget.points) == ("not stated", None, 0.0)


def test_preconditions_met_by_an_asset_fit_and_missing_ones_are_named(advisor: TransferAdvisor) -> None:
    heat = _fits(advisor, RURAL_POLAND)[HEAT_ID]
    conditions = [r for r in heat.reasons if r.criterion == "preconditions" and r.citation is not None]
    condition = next(r for r in conditions if "large forests" in r.stated)
    assert condition.verdict == "partly"  # forests yes, a technical university not in the profile
    assert "'large forests' (you have 'large forests')" in condition.text
    assert "'technical university' (not in your profile)" in condition.text
    with_university = {**RURAL_POLAND, "assets": ["large forests", "a technical university"]}
    heat = _fits(advisor, with_university)[HEAT_ID]
    condition = next(
        r for r in heat.reasons if r.criterion == "preconditions" and "large forests" in r.stated
    )
    assert condition.verdict == "fits"


def test_scale_compares_inhabitants(advisor: TransferAdvisor) -> None:
    similar = _fits(advisor, RURAL_POLAND)[HEAT_ID]
    scale = next(r for r in similar.reasons if r.criterion == "preconditions" and "inhabitants" in r.text)
    assert scale.verdict == "fits" and scale.stated == ("about 12,000 inhabitants",)
    huge = _fits(advisor, {**RURAL_POLAND, "population": 5_000_000})[HEAT_ID]
    scale = next(r for r in huge.reasons if r.criterion == "preconditions" and "inhabitants" in r.text)
    assert scale.verdict == "does not fit"


def test_evidence_with_figures_is_strong_and_statements_are_weak(advisor: TransferAdvisor) -> None:
    fits = _fits(advisor, RURAL_POLAND)
    strong = _reason(fits[HEAT_ID], "evidence")
    assert strong.verdict == "fits" and "9,000 MWh" in " ".join(strong.stated)
    weak = _reason(fits[TRANSIT_ID], "evidence")
    assert weak.verdict == "does not fit"
    assert weak.stated == ("No formal impact evaluation",)


def test_region_type_and_country(advisor: TransferAdvisor) -> None:
    fits = _fits(advisor, RURAL_POLAND)
    heat_place = [r for r in fits[HEAT_ID].reasons if r.criterion == "region"]
    assert [r.verdict for r in heat_place] == ["fits", "fits"]  # rural; Poland
    assert "Poland" in heat_place[1].stated
    transit_place = [r for r in fits[TRANSIT_ID].reasons if r.criterion == "region"]
    assert transit_place[0].verdict == "does not fit"  # cities, not a rural region
    assert transit_place[1].verdict == "partly" and "Denmark" in transit_place[1].text


def test_k_and_profile_are_validated(advisor: TransferAdvisor) -> None:
    with pytest.raises(InvalidQuestion, match="k must be a whole number from 1 to 50"):
        advisor.rank(RURAL_POLAND, k=0)
    with pytest.raises(InvalidQuestion, match="unknown profile key 'budgett'"):
        advisor.rank({"budgett": "EUR 5"})
    assert len(advisor.rank({}, k=2).practices) == 2  # an empty profile still ranks


def test_the_support_check_catches_a_figure_the_cited_sentence_does_not_state(
    advisor: TransferAdvisor,
) -> None:
    budget = _reason(_fits(advisor, RURAL_POLAND)[HEAT_ID], "budget")
    assert supports(budget)
    assert not supports(replace(budget, stated=("about EUR 150,000 a year",)))
    assert not supports(replace(budget, stated=()))
