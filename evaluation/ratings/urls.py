"""Mounted at /rate/. admin_view gives every page the admin's login, staff check, CSRF
protection and never-cache headers."""

from django.contrib import admin
from django.urls import path

from evaluation.ratings import views

app_name = "ratings"

urlpatterns = [
    path("", admin.site.admin_view(views.queue_view), name="queue"),
    path("next/", admin.site.admin_view(views.next_view), name="next"),
    path("item/<slug:public_id>/", admin.site.admin_view(views.item_view), name="item"),
    path("pair/", admin.site.admin_view(views.pair_view), name="pair"),
    path("leaderboard/", admin.site.admin_view(views.leaderboard_view), name="leaderboard"),
]
