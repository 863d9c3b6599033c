"""Tiered plans are marginal: each kWh is priced by the tier its position falls in."""

from decimal import Decimal

from energy.tariffs import PlanTerms, Tier, energy_charge, monthly_bill

TWO_TIERS = PlanTerms(
    tiers=(
        Tier(up_to_kwh=Decimal("1000"), cents=Decimal("12")),
        Tier(up_to_kwh=None, cents=Decimal("15")),
    )
)

THREE_TIERS = PlanTerms(
    tiers=(
        Tier(up_to_kwh=Decimal("500"), cents=Decimal("10")),
        Tier(up_to_kwh=Decimal("1000"), cents=Decimal("12")),
        Tier(up_to_kwh=None, cents=Decimal("15")),
    )
)


def test_it_prices_usage_below_the_first_bound_at_the_first_tier():
    # 500 × 12 ¢ = 6000 ¢ = $60.00
    assert monthly_bill(TWO_TIERS, Decimal("500")) == Decimal("60.00")


def test_it_prices_usage_exactly_at_the_bound_entirely_in_the_first_tier():
    # 1000 × 12 ¢ = 12000 ¢ = $120.00
    assert monthly_bill(TWO_TIERS, Decimal("1000")) == Decimal("120.00")


def test_it_prices_only_the_kwh_above_the_bound_at_the_next_tier():
    # 1000 × 12 ¢ + 1 × 15 ¢ = 12015 ¢ = $120.15
    assert monthly_bill(TWO_TIERS, Decimal("1001")) == Decimal("120.15")
    # 1000 × 12 ¢ + 0.5 × 15 ¢ = 12007.5 ¢ = $120.075 (unrounded)
    assert energy_charge(TWO_TIERS, Decimal("1000.5")) == Decimal("120.075")


def test_it_prices_usage_deep_in_the_open_ended_last_tier():
    # 1000 × 12 ¢ + 1500 × 15 ¢ = 12000 + 22500 = 34500 ¢ = $345.00
    assert monthly_bill(TWO_TIERS, Decimal("2500")) == Decimal("345.00")


def test_it_prices_three_tiers_marginally():
    # below the first bound: 400 × 10 = 4000 ¢ = $40.00
    assert monthly_bill(THREE_TIERS, Decimal("400")) == Decimal("40.00")
    # at the first bound: 500 × 10 = 5000 ¢ = $50.00
    assert monthly_bill(THREE_TIERS, Decimal("500")) == Decimal("50.00")
    # one above it: 5000 + 1 × 12 = 5012 ¢ = $50.12
    assert monthly_bill(THREE_TIERS, Decimal("501")) == Decimal("50.12")
    # at the second bound: 5000 + 500 × 12 = 11000 ¢ = $110.00
    assert monthly_bill(THREE_TIERS, Decimal("1000")) == Decimal("110.00")
    # one above it: 11000 + 1 × 15 = 11015 ¢ = $110.15
    assert monthly_bill(THREE_TIERS, Decimal("1001")) == Decimal("110.15")
    # in the open-ended tier: 11000 + 1000 × 15 = 26000 ¢ = $260.00
    assert monthly_bill(THREE_TIERS, Decimal("2000")) == Decimal("260.00")


def test_it_adds_fees_and_tdu_rate_on_top_of_tiered_energy():
    terms = PlanTerms(
        tiers=TWO_TIERS.tiers,
        base_fee=Decimal("9.95"),
        tdu_fixed=Decimal("4.23"),
        tdu_rate_cents=Decimal("4"),
    )
    # 9.95 + 4.23 + (1000 × 12 + 200 × 15)/100 (= 150.00) + 1200 × 4/100 (= 48.00) = 212.18
    assert monthly_bill(terms, Decimal("1200")) == Decimal("212.18")
