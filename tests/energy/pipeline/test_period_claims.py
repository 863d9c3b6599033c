"""An amount stated "a month" must be a monthly figure, "a year" a yearly one."""

from energy.pipeline.claims import period_claim_errors

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
