"""A pair served to a rater, as a token signed with the project's secret key: the rater's id and
the two items' public ids, left then right, as the pair queue chose them. A pairwise vote names
its pair only by this token, so a vote counts only for a pair that was served to that rater;
a pair the rater put together (two outputs of one model, say) is refused like any forged token,
with nothing said about why. The record travels with the page (or the API answer) instead of a
table, because serving a pair is a GET and a GET writes nothing."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing

from evaluation.models import RatingItem
from evaluation.ratings.actions import RatingRefused
from evaluation.ratings.queue import next_pair

SALT = "evaluation.ratings.pairs"
NOT_SERVED = "pair is not a pair served to you: ask for the next pair and vote with the token it comes with"


class PairNotServed(RatingRefused):
    """A token this rater was not given, or whose outputs are gone: not found, like an unknown item
    (and the same answer whatever the reason, so that it tells nothing about the pair)."""

    status = 404
    title = "Not found"


@dataclass(frozen=True)
class ServedPair:
    left: RatingItem  # shown as A
    right: RatingItem  # shown as B
    token: str


def serve(rater: AbstractBaseUser, left: RatingItem, right: RatingItem) -> ServedPair:
    token = signing.dumps({"rater": rater.pk, "left": left.public_id, "right": right.public_id}, salt=SALT, compress=True)
    return ServedPair(left=left, right=right, token=token)


def served(token: str, *, rater: AbstractBaseUser) -> ServedPair:
    """The pair behind a token this rater was given, or RatingRefused."""
    try:
        signed = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise PairNotServed(NOT_SERVED) from None
    if not isinstance(signed, dict) or signed.get("rater") != rater.pk:
        raise PairNotServed(NOT_SERVED)
    items = RatingItem.objects.in_bulk([signed.get("left"), signed.get("right")], field_name="public_id")
    if len(items) != 2:
        raise PairNotServed("pair: one of its outputs is no longer in the rating queue")
    return ServedPair(left=items[signed["left"]], right=items[signed["right"]], token=token)


def next_served_pair(rater: AbstractBaseUser) -> ServedPair | None:
    pair = next_pair(rater)
    return None if pair is None else serve(rater, *pair)
