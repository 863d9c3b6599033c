from datetime import timedelta

import pytest
from django.utils import timezone

from energy.models import Recommendation
from evaluation.slots import live_stats

CHALLENGER = "remote/chat-mini"


@pytest.mark.django_db
def test_it_counts_the_stages_whose_answer_passed_validation():
    Recommendation.objects.create(
        request_id="r1", mode="fast", inputs={},
        models_used={"usage_summary": CHALLENGER, "plan_scoring": CHALLENGER, "narrative": "builtin/rules"},
        errors=[{"stage": "narrative", "model": CHALLENGER, "kind": "invalid_json", "message": "not JSON"}],
    )
    Recommendation.objects.create(
        request_id="r2", mode="fast", inputs={},
        models_used={"usage_summary": CHALLENGER, "plan_scoring": "builtin/rules", "narrative": CHALLENGER},
        errors=[{"stage": "plan_scoring", "model": CHALLENGER, "kind": "timeout", "message": "read timeout"}],
    )
    old = Recommendation.objects.create(request_id="r0", mode="fast", inputs={}, models_used={"narrative": CHALLENGER})
    Recommendation.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))

    quality = live_stats.automatic_quality(CHALLENGER, timezone.now() - timedelta(hours=1))
    rules = live_stats.automatic_quality("builtin/rules", timezone.now() - timedelta(hours=1))

    assert (quality.hits, quality.n) == (4, 6)
    assert (rules.hits, rules.n) == (2, 2)


@pytest.mark.django_db
def test_it_counts_a_narrative_with_a_replaced_why_as_failed_once():
    # The model served the narrative, but two of its whys were refused and replaced by the rules engine's.
    Recommendation.objects.create(
        request_id="r1", mode="fast", inputs={}, models_used=dict.fromkeys(("usage_summary", "plan_scoring", "narrative"),
                                                                         CHALLENGER),
        errors=[{"stage": "narrative", "model": CHALLENGER, "kind": "wrong_fact", "message": "…", "plan_id": plan_id}
                for plan_id in (3, 14)],
    )

    quality = live_stats.automatic_quality(CHALLENGER, timezone.now() - timedelta(hours=1))

    assert (quality.hits, quality.n) == (2, 3)
