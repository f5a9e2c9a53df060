"""The care plans API: plans, versions, proposals and agreements. Thin: services write,
selectors read; a plan that is not the caller's is the same 404 as none."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Status

from tend.api.errors import problem
from tend.api.pagination import PageParams, paginate
from tend.api.schemas import Page
from tend.careplans.models import CarePlan, Version
from tend.careplans.schemas import CarePlanIn, CarePlanOut, PlanContentIn, VersionOut
from tend.careplans.selectors import (
    active_version,
    agreements_of,
    careplan_for,
    careplans_listed_for,
    left_ids,
    parties_of,
    version_document,
    version_for,
    versions_listed_for,
)
from tend.careplans.services import (
    agreement_give,
    agreement_withdraw,
    careplan_create,
    proposal_create,
)
from tend.connections.selectors import connection_for

router = Router(tags=["careplans"])


def _version(version: Version, *, left: set[str]) -> dict[str, Any]:
    """``version`` as the people still in its plan read it (``left``: ``left_ids`` of the plan)."""
    return {
        "id": version.id,
        "number": version.number,
        "status": version.status,
        "author_id": version.author_id,
        "base_id": version.base_id,
        "created_at": version.created_at,
        "activated_at": version.activated_at,
        "content": version_document(version, left=left),
        "agreements": agreements_of(version),
    }


def _plan(plan: CarePlan) -> dict[str, Any]:
    active = active_version(plan)
    return {
        "id": plan.id,
        "connection_id": plan.connection_id,
        "party_ids": [p.id for p in parties_of(plan)],
        "created_at": plan.created_at,
        "review_on": plan.review_on,
        "under_review_since": plan.under_review_since,
        "active_version": _version(active, left=left_ids(plan)) if active else None,
    }


def _invalid(error: ValidationError) -> Any:
    return problem(
        422,
        gettext("The plan could not be used."),
        errors=[{"location": "body", "message": m} for m in error.messages],
    )


@router.get("", response=Page[CarePlanOut], summary="Your care plans")
def careplans_list(request: HttpRequest, page: Query[PageParams]) -> Any:
    plans = careplans_listed_for(viewer=request.auth)  # type: ignore[attr-defined]
    result = paginate(plans, page=page, key="created_at")
    result["items"] = [_plan(p) for p in result["items"]]
    return result


@router.post("", response={201: CarePlanOut}, summary="Start a care plan with connections")
def careplans_create(request: HttpRequest, body: CarePlanIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    connections = [connection_for(viewer=user, id=i) for i in body.connection_ids]
    return Status(201, _plan(careplan_create(actor=user, connections=connections)))


@router.get("/{plan_id}", response=CarePlanOut, summary="Read a care plan")
def careplans_read(request: HttpRequest, plan_id: uuid.UUID) -> Any:
    return _plan(careplan_for(viewer=request.auth, id=plan_id))  # type: ignore[attr-defined]


@router.get("/{plan_id}/versions", response=Page[VersionOut], summary="Versions and proposals")
def versions_list(request: HttpRequest, plan_id: uuid.UUID, page: Query[PageParams]) -> Any:
    plan = careplan_for(viewer=request.auth, id=plan_id)  # type: ignore[attr-defined]
    result = paginate(versions_listed_for(plan), page=page, key="created_at")
    left = left_ids(plan)
    result["items"] = [_version(v, left=left) for v in result["items"]]
    return result


@router.get("/{plan_id}/versions/{version_id}", response=VersionOut, summary="Read a version")
def versions_read(request: HttpRequest, plan_id: uuid.UUID, version_id: uuid.UUID) -> Any:
    plan = careplan_for(viewer=request.auth, id=plan_id)  # type: ignore[attr-defined]
    return _version(version_for(plan=plan, id=version_id), left=left_ids(plan))


@router.post(
    "/{plan_id}/proposals",
    response={201: VersionOut},
    summary="Propose the whole plan (you agree to your own proposal)",
)
def proposals_create(request: HttpRequest, plan_id: uuid.UUID, body: PlanContentIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    plan = careplan_for(viewer=user, id=plan_id)
    content = body.model_dump(mode="json")
    try:
        version = proposal_create(actor=user, plan=plan, content=content)
    except ValidationError as error:
        return _invalid(error)
    version.refresh_from_db()
    return Status(201, _version(version, left=left_ids(plan)))


@router.post(
    "/{plan_id}/versions/{version_id}/agreement",
    response=VersionOut,
    summary="Agree to a proposal (it becomes active once everyone has)",
)
def agreement_create(request: HttpRequest, plan_id: uuid.UUID, version_id: uuid.UUID) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    plan = careplan_for(viewer=user, id=plan_id)
    version = version_for(plan=plan, id=version_id)
    try:
        agreement_give(actor=user, plan=plan, version=version)
    except ValidationError as error:
        return problem(409, " ".join(error.messages))
    version.refresh_from_db()
    return _version(version, left=left_ids(plan))


@router.delete(
    "/{plan_id}/agreement",
    response={204: None},
    summary="Withdraw your agreement from the active version (the plan goes under review)",
)
def agreement_delete(request: HttpRequest, plan_id: uuid.UUID) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    plan = careplan_for(viewer=user, id=plan_id)
    try:
        agreement_withdraw(actor=user, plan=plan)
    except ValidationError as error:
        return problem(409, " ".join(error.messages))
    return Status(204, None)
