"""PlanTerms rejects inconsistent plans at construction."""

from decimal import Decimal

import pytest

from energy.tariffs import PlanTerms, Tier

OPEN = Tier(up_to_kwh=None, cents=Decimal("15"))


def test_it_rejects_both_a_flat_rate_and_tiers():
    with pytest.raises(ValueError, match="exactly one"):
        PlanTerms(energy_rate_cents=Decimal("12"), tiers=(OPEN,))


def test_it_rejects_neither_a_flat_rate_nor_tiers():
    with pytest.raises(ValueError, match="exactly one"):
        PlanTerms()
    with pytest.raises(ValueError, match="exactly one"):
        PlanTerms(tiers=())


def test_it_rejects_a_last_tier_that_is_not_open_ended():
    with pytest.raises(ValueError, match="open-ended"):
        PlanTerms(tiers=(Tier(Decimal("1000"), Decimal("12")),))
    with pytest.raises(ValueError, match="open-ended"):
        PlanTerms(tiers=(Tier(Decimal("500"), Decimal("10")), Tier(Decimal("1000"), Decimal("12"))))


def test_it_rejects_an_open_ended_tier_before_the_last():
    with pytest.raises(ValueError, match="open-ended"):
        PlanTerms(tiers=(Tier(None, Decimal("10")), OPEN))


def test_it_rejects_non_increasing_bounds():
    with pytest.raises(ValueError, match="strictly increasing"):  # equal bounds
        PlanTerms(tiers=(Tier(Decimal("1000"), Decimal("10")), Tier(Decimal("1000"), Decimal("12")), OPEN))
    with pytest.raises(ValueError, match="strictly increasing"):  # decreasing bounds
        PlanTerms(tiers=(Tier(Decimal("1000"), Decimal("10")), Tier(Decimal("500"), Decimal("12")), OPEN))


def test_it_rejects_non_positive_bounds():
    with pytest.raises(ValueError, match="positive"):
        PlanTerms(tiers=(Tier(Decimal("0"), Decimal("10")), OPEN))
    with pytest.raises(ValueError, match="positive"):
        PlanTerms(tiers=(Tier(Decimal("-5"), Decimal("10")), OPEN))


def test_it_rejects_a_credit_max_below_the_credit_min():
    with pytest.raises(ValueError, match="credit_max_kwh"):
        PlanTerms(
            energy_rate_cents=Decimal("12"),
            bill_credit=Decimal("50"),
            credit_min_kwh=Decimal("1000"),
            credit_max_kwh=Decimal("999"),
        )


def test_it_accepts_valid_plans():
    PlanTerms(energy_rate_cents=Decimal("12"))
    PlanTerms(tiers=(OPEN,))
    PlanTerms(tiers=(Tier(Decimal("500"), Decimal("10")), Tier(Decimal("1000"), Decimal("12")), OPEN))
    # a one-point credit window (max == min) is valid
    PlanTerms(
        energy_rate_cents=Decimal("12"),
        bill_credit=Decimal("50"),
        credit_min_kwh=Decimal("1000"),
        credit_max_kwh=Decimal("1000"),
    )
