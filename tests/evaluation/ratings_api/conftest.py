import pytest

from evaluation.models import RatingItem
from tests.evaluation.api.conftest import key_headers

PAYLOAD = {"usage_summary": {"summary": "Usage averages 1,000 kWh a month."},
           "recommendations": [{"rank": 1, "plan_id": 1, "plan_name": "Saver 12", "why": "Cheapest."}]}


@pytest.fixture
def items(db) -> list[RatingItem]:
    """Two outputs for the same input from two models, and one for another input."""
    return [
        RatingItem.objects.create(source="benchmark", scenario_key="s1", model_key="acme/secret-model-x", payload=PAYLOAD,
                                  inputs={"monthly_usage_kwh": [1000] * 12}, automatic_quality=0.9),
        RatingItem.objects.create(source="benchmark", scenario_key="s1", model_key="builtin/rules", payload=PAYLOAD,
                                  inputs={"monthly_usage_kwh": [1000] * 12}, automatic_quality=1.0),
        RatingItem.objects.create(source="live", scenario_key="s2", model_key="builtin/rules", payload=PAYLOAD,
                                  inputs={"monthly_usage_kwh": [500] * 12}),
    ]


@pytest.fixture
def staff_headers(staff) -> dict[str, str]:
    return key_headers(staff)


@pytest.fixture
def operator_headers(operator) -> dict[str, str]:
    return key_headers(operator)
