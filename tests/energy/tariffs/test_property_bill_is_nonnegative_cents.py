"""Property: every monthly bill is >= 0 and has exactly two decimal places."""

from hypothesis import given

from energy.tariffs import monthly_bill

from .strategies import plans, usages


@given(terms=plans(), usage=usages)
def test_it_never_returns_a_negative_bill_and_always_two_places(terms, usage):
    bill = monthly_bill(terms, usage)

    assert bill >= 0
    assert not bill.is_signed()  # no "-0.00"
    assert bill.as_tuple().exponent == -2
