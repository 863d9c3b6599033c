import pytest

from evaluation.models import Slot
from tests.evaluation.switchboard.conftest import BOARD_URL


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), [("get", ""), ("post", "slots/fast/rollback/")])
def test_it_sends_an_anonymous_visitor_to_the_login_page(client, slots, method, path):
    response = getattr(client, method)(BOARD_URL + path)

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    assert Slot.objects.get(name="fast").model.key == "builtin/rules"
