"""The model catalog over HTTP: the models, with measured figures and whether each provider's
secret is set."""


from asgiref.sync import sync_to_async
from django.http import HttpRequest
from ninja import Query, Router

from evaluation.catalog.schemas import ModelFilterIn, ModelOut
from evaluation.models import AIModel
from evaluation.ratings.blind import sees_model_figures

router = Router(tags=["models"])


@router.get("/models", response={200: list[ModelOut]},
            summary="The model catalog, with measured figures and whether each provider's secret is set",
            description="`quality_score` and `quality_evidence` move with human ratings, so they are null for a key "
                        "whose user may rate but not see the catalog's models (raters stay blind; docs/security.md).")
async def list_models(request: HttpRequest, filters: Query[ModelFilterIn]):
    models = AIModel.objects.select_related("provider", "council__chairman").prefetch_related("council__members")
    if filters.status:
        models = models.filter(status=filters.status)
    if filters.provider_kind:
        models = models.filter(provider__kind=filters.provider_kind)
    listed = [model async for model in models]
    if not await sync_to_async(sees_model_figures)(request.auth.user):
        for model in listed:  # not saved: the figure is withheld from this answer only
            model.quality_score = model.quality_evidence = None
    return listed
