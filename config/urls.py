from django.contrib import admin
from django.urls import include, path

from config.api import api
from config.metrics import metrics_view

urlpatterns = [
    path("admin/switchboard/", include("evaluation.slots.urls")),
    path("admin/benchmarks/", include("evaluation.benchmarks.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("rate/", include("evaluation.ratings.urls")),
    path("metrics", metrics_view, name="metrics"),
]
