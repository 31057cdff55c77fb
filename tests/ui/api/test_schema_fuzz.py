"""Schemathesis against /openapi.json of a live server: no public route answers 5xx, every
response matches the documented schema, and every error has the one error shape."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.config import CheckConfig

PUBLIC = (
    r"^/(v1/(ask|ask/stream|chat/completions|search|practices|practices/\{practice_id\}|models)"
    r"|healthz)$"
)
EXAMPLES = 25  # per operation and mode: bounded, a few seconds each
# A schema cannot say "the question must contain printable text", so a schema-valid question made of
# control characters is rightly refused with 422; every other check stays on.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]
# Schemathesis' rejections, plus 413: a schema-violating body may also be over the size limit, and is
# then refused before it is read (a generated 2 MB history once made this test fail at random).
REJECTED = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]


@pytest.fixture
def operations(live):
    schema = schemathesis.openapi.from_url(f"{live.url}/openapi.json")
    schema.config.checks.negative_data_rejection = CheckConfig(expected_statuses=REJECTED)
    found = [
        result.ok()
        for result in schema.include(path_regex=PUBLIC).exclude(method="DELETE").get_all_operations()
    ]
    assert len(found) == 8, [op.label for op in found]
    return found


@pytest.mark.slow
@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode), ids=lambda m: m.value)
def test_public_routes_never_fail_on_generated_input(operations, mode):
    for operation in operations:
        takes_input = {"parameters", "requestBody"} & set(operation.definition.raw)
        if mode is schemathesis.GenerationMode.NEGATIVE and not takes_input:
            continue  # nothing to get wrong: /healthz and /v1/models take no input

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call_and_validate(timeout=30, excluded_checks=EXCLUDED)
            if response.status_code >= 400:
                body = response.json()
                assert set(body) == {"error"} and set(body["error"]) == {"type", "message"}, body

        check()
