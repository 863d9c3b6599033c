import pytest

from tests.evaluation.ratings.conftest import item_url
from tests.evaluation.ratings.items import INPUTS, PAYLOAD, make_item


@pytest.mark.django_db
def test_it_leaves_out_every_field_that_is_not_part_of_the_request_or_the_output(rita_client, secret_model):
    payload = {**PAYLOAD, "metadata": {"models": {"narrative": "acme/secret-model-x"}, "request_id": "req-7f3a"},
               "performance": {"narrative": {"model": "Acme Secret X"}}}
    inputs = {**INPUTS, "mode": "accurate"}
    item = make_item(secret_model.key, payload=payload, inputs=inputs)

    html = rita_client.get(item_url(item)).content.decode()

    for hidden in ("metadata", "req-7f3a", "secret", "performance", "accurate"):
        assert hidden not in html.lower()
