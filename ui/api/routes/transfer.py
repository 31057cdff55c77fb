"""Transfer: the practices that fit a region best, with cited reasons; a briefing as a file."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from ui.api.deps import ServicesDep
from ui.api.errors import ERRORS, NOT_FOUND

router = APIRouter(prefix="/v1/transfer", tags=["transfer"])

PROFILE_DESCRIPTION = (
    "the importing region; every key optional: country, region_type (rural, urban, mixed, island, "
    "mountain, cross-border), population (a number), budget (text, e.g. 'EUR 200000 per year' or "
    "'PLN 1 million in total'), sector, assets (a list of strings), challenge (free text)"
)


class TransferRequest(BaseModel):
    profile: dict[str, Any] = Field(description=PROFILE_DESCRIPTION)
    k: int = Field(default=5, ge=1, le=50, description="how many practices, best first")


class BriefingRequest(BaseModel):
    profile: dict[str, Any] = Field(description=PROFILE_DESCRIPTION)
    practice_id: str = Field(min_length=1, max_length=200, description="a practice id or title fragment")
    format: Literal["md", "docx", "pdf"] = "md"


@router.post("", responses=ERRORS)
def rank(body: TransferRequest, services: ServicesDep) -> dict[str, Any]:
    """The practices that fit the profile best, best first. Each has `reasons[]` per criterion
    (budget, preconditions, evidence, topic, region) with a `verdict` (fits / partly / does not
    fit / not stated) and the `citation` of the sentence it rests on (null when not stated)."""
    return services.transfer.rank(body.profile, k=body.k).to_dict()


@router.post(
    "/briefing",
    response_class=Response,
    responses={
        200: {
            "description": "the briefing file",
            "content": {
                "text/markdown": {},
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {},
                "application/pdf": {},
            },
        },
        **NOT_FOUND,
    },
)
def briefing(body: BriefingRequest, services: ServicesDep) -> Response:
    """A transfer-workshop briefing of one practice for the profile, every statement cited."""
    from assistant.transfer.briefing import briefing
    from assistant.transfer.render import render

    rendered = render(briefing(services.transfer, body.profile, body.practice_id), body.format)
    disposition = f'attachment; filename="{rendered.filename}"'
    return Response(
        rendered.data, media_type=rendered.content_type, headers={"Content-Disposition": disposition}
    )
