"""The switchboard pages' helpers: its address, logged-in admin users in the demo groups, and the
messages a page shows."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from evaluation.seeds.accounts import seed_groups

BOARD_URL = "/admin/switchboard/"
CATALOG_URL = "/admin/evaluation/aimodel/"


def logged_in(username: str, group_name: str) -> Client:
    seed_groups()
    user = get_user_model().objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]
