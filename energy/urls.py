from django.contrib import admin
from django.urls import include, path

from energy.api import api

urlpatterns = [
    path("admin/switchboard/", include("evaluation.switchboard.urls")),
    path("admin/benchmarks/", include("evaluation.benchmark_pages.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("rate/", include("evaluation.rating_pages.urls")),
]
