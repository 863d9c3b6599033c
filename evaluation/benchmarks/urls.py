"""Mounted at /admin/benchmarks/. admin_view gives every page the admin's login, staff check,
CSRF protection and never-cache headers (the progress poll must never be served from a cache)."""

from django.contrib import admin
from django.urls import path

from evaluation.benchmarks import views

app_name = "benchmarks"

urlpatterns = [
    path("", admin.site.admin_view(views.index_view), name="index"),
    path("runs/new/", admin.site.admin_view(views.run_form_view), name="run-new"),
    path("runs/<int:run_id>/", admin.site.admin_view(views.run_view), name="run"),
    path("runs/<int:run_id>/judges/", admin.site.admin_view(views.judge_view), name="judge"),
    path("runs/<int:run_id>/progress.json", admin.site.admin_view(views.progress_view), name="progress"),
    path("compare/", admin.site.admin_view(views.compare_view), name="compare"),
    path("matrix/", admin.site.admin_view(views.matrix_view), name="matrix"),
    path("matrix/routes/<int:route_id>/promote/", admin.site.admin_view(views.promote_view), name="promote"),
]
