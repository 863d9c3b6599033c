from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation.models import ModelProbe
from tests.evaluation.switchboard.conftest import BOARD_URL


@pytest.mark.django_db
def test_it_shows_each_slots_model_and_probe_age(operator_client, slots, challenger):
    slots["fast"].model = challenger
    slots["fast"].save()
    probe = ModelProbe.objects.create(model=challenger, slot_name="fast", ok=True, latency_ms=3.0)
    ModelProbe.objects.filter(pk=probe.pk).update(created_at=timezone.now() - timedelta(seconds=42))

    response = operator_client.get(BOARD_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "fast — builtin/rules-challenger" in html
    assert "accurate — builtin/rules" in html
    assert "42 s ago" in html
    assert "no probe yet" in html  # builtin/rules has never been probed
