import pytest

from evaluation.ratings.actions import compare_pair
from evaluation.ratings.queue import next_pair
from tests.evaluation.ratings.items import make_item


@pytest.mark.django_db
def test_it_pairs_different_models_on_the_same_input_until_each_pair_is_compared(rita, raj):
    a, b = make_item("test/model-a", scenario_key="scenario:1"), make_item("test/model-b", scenario_key="scenario:1")
    make_item("test/model-a", scenario_key="scenario:1")  # same model as a: never paired with it
    make_item("test/model-c", scenario_key="scenario:2")  # alone on its input

    seen = set()
    while (pair := next_pair(rita)) is not None:
        left, right = pair
        assert left.scenario_key == right.scenario_key
        assert left.model_key != right.model_key
        seen.add(frozenset((left.pk, right.pk)))
        compare_pair(left, right, rater=rita, choice="tie")

    assert len(seen) == 2
    assert frozenset((a.pk, b.pk)) in seen
    assert next_pair(raj) is not None  # Rita's comparisons are hers only
