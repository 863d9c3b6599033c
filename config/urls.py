from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from config.api import api, unknown_url
from config.metrics import metrics_view

urlpatterns = [
    # The admin's "View site" link, and anyone who types the bare address: the product is the admin.
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/switchboard/", include("evaluation.slots.urls")),
    path("admin/benchmarks/", include("evaluation.benchmarks.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("rate/", include("evaluation.ratings.urls")),
    path("metrics", metrics_view, name="metrics"),
]

handler404 = unknown_url
