"""Operator input is bounded: a value serving or the figures could not use (a negative price, a
zero timeout or concurrency, a parameter the product does not read or of the wrong type, a
reason longer than the log keeps) is refused with a message naming the field, and nothing is
stored; the admin shows the same message on the field instead of failing."""

import pytest

from evaluation.catalog.actions import EditRefused, edit_model, edit_provider
from evaluation.models import AIModel, CatalogChange, Provider, Slot
from evaluation.models.catalog import REASON_MAX_CHARS
from evaluation.slots.actions import SwitchRefused, switch_slot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("changes", "message"), [
    ({"price_input_per_mtok": "-0.5"}, "price_input_per_mtok: Ensure this value is greater than or equal to 0"),
    ({"price_output_per_mtok": "-1"}, "price_output_per_mtok: Ensure this value is greater than or equal to 0"),
    ({"context_window": 0}, "context_window: Ensure this value is greater than or equal to 1"),
    ({"advertised_ttft_ms": -5}, "advertised_ttft_ms: Ensure this value is greater than or equal to 0"),
    ({"parameters": {"n_ctx": "huge"}}, "parameters: n_ctx must be an integer from 128 to 131072, not 'huge'"),
    ({"parameters": {"n_ctx": 10**9}}, "parameters: n_ctx must be an integer from 128 to 131072"),
    ({"parameters": {"json_grammar": "yes"}}, "parameters: json_grammar must be true or false"),
    ({"parameters": {"temperature_hack": 3}}, "parameters: 'temperature_hack' is not a parameter the product reads"),
])
def test_a_model_value_out_of_bounds_is_refused_and_nothing_is_stored(operator, rules_b, changes, message):
    with pytest.raises(EditRefused) as refused:
        edit_model(rules_b, changes, acting_user=operator, reason="tune")

    assert message in str(refused.value)
    unchanged = AIModel.objects.get(pk=rules_b.pk)
    assert (unchanged.price_input_per_mtok, unchanged.parameters, unchanged.context_window) == (0, {}, None)
    assert not CatalogChange.objects.exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"read_timeout_s": 0}, "read_timeout_s"),
    ({"read_timeout_s": 100000}, "read_timeout_s"),
    ({"connect_timeout_s": -1}, "connect_timeout_s"),
    ({"max_concurrency": 0}, "max_concurrency"),
    ({"requests_per_minute": 0}, "requests_per_minute"),
])
def test_a_provider_value_out_of_bounds_is_refused(operator, rules_b, changes, field):
    provider = rules_b.provider

    with pytest.raises(EditRefused, match=f"^{field}: Ensure this value"):
        edit_provider(provider, changes, acting_user=operator, reason="tune")

    assert not CatalogChange.objects.exists()


def test_valid_parameters_are_accepted(operator, rules_b):
    edit_model(rules_b, {"parameters": {"n_ctx": 4096, "n_threads": 2, "json_grammar": True, "why_shape": "short"}},
               acting_user=operator, reason="tune")

    assert AIModel.objects.get(pk=rules_b.pk).parameters["n_ctx"] == 4096


def test_a_reason_longer_than_the_log_keeps_is_refused_for_edits_and_switches(operator, rules_model, rules_b):
    Slot.objects.create(name="fast", model=rules_model)
    too_long = "x" * (REASON_MAX_CHARS + 1)

    with pytest.raises(EditRefused, match=f"reason: at most {REASON_MAX_CHARS} characters"):
        edit_model(rules_b, {"display_name": "B"}, acting_user=operator, reason=too_long)
    with pytest.raises(SwitchRefused, match=f"reason: at most {REASON_MAX_CHARS} characters"):
        switch_slot("fast", rules_b, acting_user=operator, reason=too_long)

    assert not CatalogChange.objects.exists()
    assert Slot.objects.get(name="fast").model == rules_model


def test_the_admin_shows_a_negative_price_on_its_field(admin_client, rules_b):
    url = f"/admin/evaluation/aimodel/{rules_b.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, (dict, list))}
    data.update({"price_input_per_mtok": "-2", "reason": "cheaper", "provider": rules_b.provider_id,
                 "parameters": "{}", "stage_settings": "{}", "aliases": "[]"})

    page = admin_client.post(url, data)

    assert page.status_code == 200
    assert "greater than or equal to 0" in page.content.decode()
    assert AIModel.objects.get(pk=rules_b.pk).price_input_per_mtok == 0
    assert Provider.objects.filter(pk=rules_b.provider_id).exists()
