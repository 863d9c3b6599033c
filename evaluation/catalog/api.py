"""The model catalog over HTTP: the models, with measured figures and whether each provider's
secret is set."""


from django.http import HttpRequest
from ninja import Query, Router

from evaluation.catalog.schemas import ModelFilterIn, ModelOut
from evaluation.models import AIModel

router = Router(tags=["models"])


@router.get("/models", response={200: list[ModelOut]},
            summary="The model catalog, with measured figures and whether each provider's secret is set")
async def list_models(request: HttpRequest, filters: Query[ModelFilterIn]):
    models = AIModel.objects.select_related("provider")
    if filters.status:
        models = models.filter(status=filters.status)
    if filters.provider_kind:
        models = models.filter(provider__kind=filters.provider_kind)
    return [model async for model in models]
