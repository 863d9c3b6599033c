"""Catch wrong statements that are not numbers: a renewable share, a contract length or a
usage pattern that contradicts the facts ("100% renewable" for a 0 % plan)."""

import re

from energy.pipeline.numbers import matches_a_fact

PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
MONTH_CONTRACT = re.compile(r"(\d+)[- ]month")
AMOUNT_PER_PERIOD = re.compile(r"\$([\d,]+(?:\.\d+)?) (?:a|per) (month|year)")
NO_CONTRACT = re.compile(r"\b(no contract|month-to-month|no-contract)\b", re.IGNORECASE)


def plan_claim_errors(text: str, *, renewable_pct: int, contract_months: int) -> list[str]:
    errors = [f"says {p}% but the plan is {renewable_pct}% renewable"
              for p in PERCENT.findall(text) if float(p) != renewable_pct]
    errors += [f"says {m}-month but the contract is {contract_months} months"
               for m in MONTH_CONTRACT.findall(text) if int(m) != contract_months]
    if NO_CONTRACT.search(text) and contract_months:
        errors.append(f"says no contract but the contract is {contract_months} months")
    return errors


def label_claim_errors(text: str, *, labels: tuple[str, ...], actual: str) -> list[str]:
    """A text may name the actual label (e.g. the seasonal pattern) but no other one. A label
    must start a word: "surprisingly" does not say "rising"."""
    lowered = text.lower()
    return [f"says {label!r} but the facts say {actual!r}" for label in labels
            if label != actual and re.search(rf"(?<![a-z]){re.escape(label)}", lowered)]


def period_claim_errors(text: str, *, monthly: list[float], yearly: list[float]) -> list[str]:
    """"$2,370.48 a month" is wrong when $2,370.48 is the yearly cost."""
    errors = []
    for amount, period in AMOUNT_PER_PERIOD.findall(text):
        value = float(amount.replace(",", ""))
        if not matches_a_fact(value, monthly if period == "month" else yearly):
            errors.append(f"says ${amount} a {period}, which is not a {period}ly figure")
    return errors
