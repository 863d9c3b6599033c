"""An invented number is one that matches no fact within 0.5 %, nor is a fact rounded to a
whole number."""

from energy.pipeline.numbers import unsupported_numbers

FACTS = [1530.12, 127.51, 100, 12]


def test_it_flags_an_invented_amount():
    assert unsupported_numbers("It costs $1,250 a year.", FACTS) == [1250]


def test_it_accepts_the_exact_fact():
    assert unsupported_numbers("It costs $1,530.12 a year.", FACTS) == []


def test_it_accepts_a_number_within_half_a_percent():
    assert unsupported_numbers("About $1,531 a year.", FACTS) == []  # 0.06 % off
    assert unsupported_numbers("About $1,537.77 a year.", FACTS) == []  # 0.5 % of $1,530.12 is $7.65


def test_it_flags_a_number_just_outside_half_a_percent():
    assert unsupported_numbers("About $1,537.78 a year.", FACTS) == [1537.78]


def test_it_accepts_the_fact_rounded_to_a_whole_number():
    assert unsupported_numbers("About $1,530 a year, $128 a month.", FACTS) == []


def test_it_flags_only_the_invented_ones():
    assert unsupported_numbers("$1,530.12 a year, 12-month contract, 45% renewable.", FACTS) == [45]


def test_it_ignores_names_before_checking():
    assert unsupported_numbers("Secure 36 costs $1,530.12.", FACTS, ignore=("Secure 36",)) == []
    assert unsupported_numbers("Secure 36 costs $1,530.12.", FACTS) == [36]
