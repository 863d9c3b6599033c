"""Property: the bill credit lowers a bill by at least 0 and at most bill_credit."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import given

from energy.tariffs import credit_applies, monthly_bill

from .strategies import plans, usages


@given(terms=plans(credit="some"), usage=usages)
def test_it_changes_the_bill_by_at_most_the_credit(terms, usage):
    without = monthly_bill(replace(terms, bill_credit=Decimal("0")), usage)
    with_credit = monthly_bill(terms, usage)

    assert Decimal("0") <= without - with_credit <= terms.bill_credit
    if not credit_applies(terms, usage):
        assert with_credit == without
