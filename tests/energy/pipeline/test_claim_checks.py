"""Checking what a model's text claims: the numbers in it, invented numbers, periods, labels and plan terms."""

from energy.pipeline.claims import label_claim_errors, period_claim_errors, plan_claim_errors
from energy.pipeline.numbers import numbers_in, unsupported_numbers
from energy.pipeline.stages.usage_summary import PATTERNS, TRENDS


# Pulling the numbers out of a model's sentence.
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


# An invented number is one that matches no fact within 0.5 %, nor is a fact rounded to a whole number.
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


# An amount stated "a month" must be a monthly figure, "a year" a yearly one.
MONTHLY = [166.89, 243.94]
YEARLY = [2002.68]


def test_it_accepts_amounts_in_their_own_period():
    assert period_claim_errors("$2,002.68 a year, about $166.89 a month, up to $243.94 per month.",
                               monthly=MONTHLY, yearly=YEARLY) == []


def test_it_catches_a_yearly_amount_called_monthly():
    assert period_claim_errors("Only $2,002.68 a month.", monthly=MONTHLY, yearly=YEARLY) == [
        "says $2,002.68 a month, which is not a monthly figure"
    ]


def test_it_catches_a_monthly_amount_called_yearly():
    assert period_claim_errors("Only $166.89 per year.", monthly=MONTHLY, yearly=YEARLY) == [
        "says $166.89 a year, which is not a yearly figure"
    ]


# A text may name the actual label (seasonal pattern, trend) but no other one.
def test_it_accepts_the_actual_label():
    assert label_claim_errors("Usage is summer-peaking.", labels=PATTERNS, actual="summer-peaking") == []


def test_it_accepts_a_text_that_names_no_label():
    assert label_claim_errors("Usage is highest in July.", labels=PATTERNS, actual="winter-peaking") == []


def test_it_catches_another_label():
    assert label_claim_errors("Usage is Winter-Peaking.", labels=PATTERNS, actual="summer-peaking") == [
        "says 'winter-peaking' but the facts say 'summer-peaking'"
    ]
    assert label_claim_errors("Usage is rising.", labels=TRENDS, actual="stable") == [
        "says 'rising' but the facts say 'stable'"
    ]


def test_it_does_not_read_a_label_inside_another_word():
    assert label_claim_errors("Usage is surprisingly high in July.", labels=TRENDS, actual="stable") == []
    assert label_claim_errors("Usage is unstable.", labels=TRENDS, actual="falling") == []
    assert label_claim_errors("Usage is dual-peaking.", labels=PATTERNS, actual="flat") == [
        "says 'dual-peak' but the facts say 'flat'"
    ]


# Wrong statements about a plan that are not amounts: renewable share and contract length.
def test_it_accepts_true_claims():
    assert plan_claim_errors("It is 50% renewable with a 12-month contract.", renewable_pct=50, contract_months=12) == []
    assert plan_claim_errors("100% renewable, no contract.", renewable_pct=100, contract_months=0) == []


def test_it_catches_a_wrong_renewable_share():
    assert plan_claim_errors("It is 100% renewable.", renewable_pct=0, contract_months=12) == [
        "says 100% but the plan is 0% renewable"
    ]


def test_it_catches_a_wrong_contract_length():
    assert plan_claim_errors("A 24-month contract.", renewable_pct=0, contract_months=12) == [
        "says 24-month but the contract is 12 months"
    ]
    assert plan_claim_errors("Locked in for 36 months.", renewable_pct=0, contract_months=12) == [
        "says 36-month but the contract is 12 months"
    ]


def test_it_catches_no_contract_on_a_contract_plan():
    for claim in ("No contract needed.", "It is month-to-month.", "A no-contract plan."):
        assert plan_claim_errors(claim, renewable_pct=0, contract_months=12) == [
            "says no contract but the contract is 12 months"
        ]
