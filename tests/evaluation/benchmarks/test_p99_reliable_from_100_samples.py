import pytest

from evaluation.figures import SMALL_SAMPLE, percentiles


@pytest.mark.parametrize(("n", "reliable"), [(1, False), (SMALL_SAMPLE - 1, False), (SMALL_SAMPLE, True), (500, True)])
def test_it_flags_p99_as_unreliable_under_100_samples(n, reliable):
    figures = percentiles([float(i) for i in range(n)])

    assert figures.n == n
    assert figures.p99_reliable is reliable
    assert figures.as_dict()["p99_reliable"] is reliable
