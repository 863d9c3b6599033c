"""The switchboard and the model catalog show the inference engine's state: up with its model,
slots and tokens/s, or down with the reason."""

import pytest

from tests.evaluation.switchboard.conftest import BOARD_URL

CATALOG_URL = "/admin/evaluation/aimodel/"


@pytest.mark.llm
@pytest.mark.django_db
@pytest.mark.parametrize("url", [BOARD_URL, CATALOG_URL])
def test_a_running_engine_is_shown_with_its_model_and_slots(operator_client, slots, engine, url):
    response = operator_client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Inference engine" in html
    assert "<strong>up</strong>" in html
    assert "<code>gemma-3-270m-q4_k_m.gguf</code>" in html
    assert "0 of 4" in html  # slots busy


@pytest.mark.django_db
@pytest.mark.parametrize("url", [BOARD_URL, CATALOG_URL])
def test_a_down_engine_is_shown_with_what_it_means(operator_client, slots, settings, url):
    settings.ENGINE_URL = "http://127.0.0.1:9"

    html = operator_client.get(url).content.decode()

    assert "<strong>down</strong>" in html
    assert "fall back to the rules engine" in html
