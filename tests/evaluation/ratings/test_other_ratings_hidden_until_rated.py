import pytest

from tests.evaluation.ratings.conftest import item_url
from tests.evaluation.ratings.items import make_item, rate


@pytest.mark.django_db
def test_it_shows_other_raters_scores_only_after_the_raters_own_rating(rita, rita_client, raj, olivia):
    item = make_item("test/model")
    rate(item, raj, 1, comment="The why is nonsense", hallucinated_number=True)
    rate(item, olivia, 2, comment="Agreed, too dear")

    before = rita_client.get(item_url(item)).content.decode()
    rita_client.post(item_url(item), {"why_sensible": "4", "values_reasonable": "4", "overall": "4"})
    after = rita_client.get(item_url(item)).content.decode()

    for seen_only_after in ("Other raters", "The why is nonsense", "Agreed, too dear", "rater 1", "rater 2",
                            "hallucinated number"):
        assert seen_only_after not in before
        assert seen_only_after in after
    assert after.index("The why is nonsense") < after.index("Agreed, too dear")  # numbered in the order they rated
    for name in ("raj", "olivia"):
        assert name not in after.lower()
