"""Ratings over the API: the same actions and queue as the rating pages. The API key acts for
its user, who needs evaluation.rate_output."""

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from energy.auth import ApiKeyAuth
from energy.schemas import ProblemOut
from evaluation.catalog.routes import get_model
from evaluation.models import RatingItem
from evaluation.ratings import queue
from evaluation.ratings.actions import check_rater, compare_pair, rate_result
from evaluation.ratings.blind import blind_fields, sees_model_figures
from evaluation.ratings.model_quality import automatic_vs_human, inter_rater_alpha, model_quality
from evaluation.ratings.pairs import next_served_pair, served
from evaluation.ratings.schemas import BlindItemOut, BlindPairOut, ModelQualityOut, PairwiseIn, PairwiseOut, RatingIn, RatingOut
from evaluation.web import acting_user

router = Router(tags=["ratings"])


def rater(request: HttpRequest) -> AbstractBaseUser:
    user = acting_user(request, to="rate outputs")
    check_rater(user)
    return user


def next_blind_item(user: AbstractBaseUser) -> dict[str, Any] | None:
    item = queue.next_item(user)
    return None if item is None else blind_fields(item)


def next_blind_pair(user: AbstractBaseUser) -> dict[str, Any] | None:
    pair = next_served_pair(user)
    return None if pair is None else {"pair": pair.token, "a": blind_fields(pair.left), "b": blind_fields(pair.right)}


def rate(user: AbstractBaseUser, payload: RatingIn) -> dict[str, Any]:
    item = get_object_or_404(RatingItem, public_id=payload.item_id)
    rating = rate_result(item, rater=user, **payload.model_dump(exclude={"item_id"}))
    return {**{f: getattr(rating, f) for f in RatingOut.model_fields if f not in ("revisions", "item_id")},
            "item_id": item.public_id, "revisions": rating.revisions.count()}


def compare(user: AbstractBaseUser, payload: PairwiseIn) -> dict[str, Any]:
    compare_pair(served(payload.pair, rater=user), rater=user, choice=payload.choice)
    return {"pair": payload.pair, "choice": payload.choice}  # as the rater gave it, not as stored


# Move with every rating: a rater reading them before and after rating would learn the model.
RATER_MOVED_FIGURES = ("quality", "source", "human", "human_n", "flags")


def quality(key: str, user: AbstractBaseUser | None) -> dict[str, Any]:
    figures = model_quality(get_model(key).key).as_dict()
    if not sees_model_figures(user):
        figures.update(dict.fromkeys(RATER_MOVED_FIGURES))
    alpha, alpha_items = inter_rater_alpha()
    rho, rho_items = automatic_vs_human()
    return {**figures, "inter_rater_alpha": alpha, "inter_rater_items": alpha_items,
            "automatic_vs_human_spearman": rho, "automatic_vs_human_items": rho_items}


@router.get("/ratings/next", response={200: BlindItemOut, 204: None}, auth=ApiKeyAuth("rate"),
            summary="The next output for this rater, blind (no model); 204 when the queue is empty")
async def next_item(request: HttpRequest):
    user = await sync_to_async(rater)(request)
    item = await sync_to_async(next_blind_item)(user)
    return Status(204, None) if item is None else item


@router.post("/ratings", response={200: RatingOut, 404: ProblemOut},
             auth=ApiKeyAuth("rate"),
             summary="Rate an output on the rubric (one rating per rater per item; a second post edits it)")
async def create_rating(request: HttpRequest, payload: RatingIn):
    user = await sync_to_async(rater)(request)
    return await sync_to_async(rate)(user, payload)


@router.get("/ratings/pairwise/next", response={200: BlindPairOut, 204: None},
            auth=ApiKeyAuth("rate"),
            summary="The next pair for this rater: two models' outputs for one input, blind, with the token to vote with; "
                    "204 when none is left")
async def next_pair(request: HttpRequest):
    user = await sync_to_async(rater)(request)
    pair = await sync_to_async(next_blind_pair)(user)
    return Status(204, None) if pair is None else pair


@router.post("/ratings/pairwise", auth=ApiKeyAuth("rate"),
             response={200: PairwiseOut, 404: ProblemOut},
             summary="Choose between the two outputs of a pair served to this rater: a, b or tie (a second vote on the "
                     "pair replaces the first)")
async def create_pairwise(request: HttpRequest, payload: PairwiseIn):
    user = await sync_to_async(rater)(request)
    return await sync_to_async(compare)(user, payload)


@router.get("/models/{path:key}/quality", response={200: ModelQualityOut, 404: ProblemOut},
            summary="A model's quality: human ratings, automatic checks, combined, and the agreement statistics")
async def get_model_quality(request: HttpRequest, key: str):
    return await sync_to_async(quality)(key, request.auth.user)
