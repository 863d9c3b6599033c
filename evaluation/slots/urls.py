"""Mounted at /admin/switchboard/. admin_view gives every page the admin's login, staff check,
CSRF protection and never-cache headers."""

from django.contrib import admin
from django.urls import path

from evaluation.slots import views

app_name = "switchboard"

urlpatterns = [
    path("", admin.site.admin_view(views.board_view), name="board"),
    path("slots/<slug:slot_name>/switch/", admin.site.admin_view(views.switch_view), name="switch"),
    path("slots/<slug:slot_name>/rollback/", admin.site.admin_view(views.rollback_view), name="rollback"),
    path("slots/<slug:slot_name>/canary/start/", admin.site.admin_view(views.start_canary_view), name="canary-start"),
    path("slots/<slug:slot_name>/canary/promote/", admin.site.admin_view(views.promote_canary_view), name="canary-promote"),
    path("slots/<slug:slot_name>/canary/abort/", admin.site.admin_view(views.abort_canary_view), name="canary-abort"),
    path("tiers/<int:tier_id>/apply/", admin.site.admin_view(views.apply_tier_view), name="tier-apply"),
    path("changes/<slug:source>/<int:change_id>/rollback/", admin.site.admin_view(views.change_rollback_view),
         name="change-rollback"),
]
