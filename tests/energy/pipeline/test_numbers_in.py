"""Pulling the numbers out of a model's sentence."""

from energy.pipeline.numbers import numbers_in


def test_it_reads_money_with_thousands_separators():
    assert numbers_in("It costs $1,234.56 a year.") == [1234.56]


def test_it_reads_percentages():
    assert numbers_in("It is 45% renewable.") == [45]


def test_it_ignores_digits_in_plan_and_provider_names():
    text = "Secure 36 from Energy 2000 costs $1,879.38."
    assert numbers_in(text, ignore=("Secure 36", "Energy 2000")) == [1879.38]
    assert numbers_in(text) == [36, 2000, 1879.38]


def test_it_drops_a_trailing_comma_and_a_full_stop():
    assert numbers_in("Peaks at 1,700, in July, averaging 1,141.") == [1700, 1141]


def test_it_reads_rank_markers_and_contract_lengths():
    assert numbers_in("#1: a 12-month contract") == [1, 12]


def test_it_finds_nothing_in_words():
    assert numbers_in("Cheapest plan, no contract.") == []
