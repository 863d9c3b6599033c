"""The rating pages: users with evaluation.rate_output (Product staff and Operators) rate
outputs blind, compare pairs, and read the leaderboard. Without the permission every page
answers 403 before any input is read. Items reach templates only through `blind`."""


from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_http_methods

from evaluation.models import PairwiseComparison, QualityRating, RatingItem
from evaluation.ratings.actions import RATE_PERMISSION, RatingRefused, compare_pair, rate_result
from evaluation.ratings.blind import blind, other_ratings, sees_model_figures
from evaluation.ratings.forms import PairForm, RubricForm
from evaluation.ratings.pairs import next_served_pair, served
from evaluation.ratings.queue import queue
from evaluation.ratings.standings import standings
from evaluation.web import needs, page

RECENT_RATINGS = 10


def rater_page(request: HttpRequest, template: str, title: str, **context) -> HttpResponse:
    # No admin sidebar: raters judge the output in front of them, not browse the catalog beside it.
    return page(request, template, title, sidebar=False, **context)


def following(rater: AbstractBaseUser, skipped: str | None) -> RatingItem | None:
    """The head of the rater's queue; after a skip, the item after the skipped one (round the end)."""
    items = queue(rater)
    ids = [item.public_id for item in items]
    if skipped in ids:
        return items[(ids.index(skipped) + 1) % len(items)]
    return items[0] if items else None


@require_GET
@needs(RATE_PERMISSION, to="rating")
def queue_view(request: HttpRequest) -> HttpResponse:
    mine = QualityRating.objects.filter(rater=request.user)
    return rater_page(
        request, "evaluation/ratings/queue.html", "Rate outputs",
        waiting=RatingItem.objects.exclude(ratings__rater=request.user).count(),
        rated=mine.count(), compared=PairwiseComparison.objects.filter(rater=request.user).count(),
        recent=mine.order_by("-updated_at", "-id").values("item__public_id", "overall", "updated_at")[:RECENT_RATINGS],
    )


@require_GET
@needs(RATE_PERMISSION, to="rating")
def next_view(request: HttpRequest) -> HttpResponse:
    item = following(request.user, request.GET.get("skip"))
    if item is None:
        messages.info(request, "Nothing left to rate. Thank you!")
        return redirect("ratings:queue")
    return redirect("ratings:item", public_id=item.public_id)


@require_http_methods(["GET", "POST"])
@needs(RATE_PERMISSION, to="rating")
def item_view(request: HttpRequest, public_id: str) -> HttpResponse:
    item = get_object_or_404(RatingItem, public_id=public_id)
    own = QualityRating.objects.filter(item=item, rater=request.user).first()
    if request.method == "POST":
        form = RubricForm(request.POST)
        if form.is_valid():
            try:
                rate_result(item, rater=request.user, **form.cleaned_data)
            except RatingRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"{'Updated' if own else 'Saved'} your rating of output {item.public_id}.")
                return redirect("ratings:next")
    else:
        form = RubricForm.editing(own) if own else RubricForm()
    return rater_page(
        request, "evaluation/ratings/item.html", f"Output {item.public_id}",
        shown=blind(item), form=form, own=own,
        revisions=own.revisions.count() if own else 0,
        # Seen only after the rater's own judgement, so it cannot anchor it.
        others=other_ratings(item, request.user) if own else [],
    )


@require_http_methods(["GET", "POST"])
@needs(RATE_PERMISSION, to="rating")
def pair_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PairForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Not recorded: choose A, B or tie for the pair on the page.")
            return redirect("ratings:pair")
        try:
            compare_pair(served(form.cleaned_data["pair"], rater=request.user), rater=request.user,
                         choice=form.cleaned_data["choice"])
        except RatingRefused as exc:
            messages.error(request, f"Not recorded: {exc}")
        else:
            messages.success(request, "Choice recorded.")
        return redirect("ratings:pair")
    pair = next_served_pair(request.user)
    if pair is None:
        return rater_page(request, "evaluation/ratings/pair.html", "Compare outputs", pair=None)
    left, right = blind(pair.left), blind(pair.right)
    return rater_page(
        request, "evaluation/ratings/pair.html", "Compare outputs",
        pair=(left, right), request_shown=left.request, form=PairForm(initial={"pair": pair.token}),
    )


@require_GET
@needs(RATE_PERMISSION, to="rating")
def leaderboard_view(request: HttpRequest) -> HttpResponse:
    # Figures that move when one rating is added would tell a rater which model they just rated.
    return rater_page(request, "evaluation/ratings/leaderboard.html", "Quality leaderboard",
                      standings=standings(per_model_figures=sees_model_figures(request.user)))
