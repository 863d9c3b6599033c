"""Wrong statements about a plan that are not amounts: renewable share and contract length."""

from energy.pipeline.claims import plan_claim_errors


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
