"""Catch invented numbers: every number a model states must be one of the facts.

A 270M model will happily write "$1,250" for a $1,530.12 plan. Text is checked by pulling
out each number (after removing plan and provider names, which may contain digits) and
requiring it to match some fact within 0.5 %, or to be that fact rounded to a whole number.
"""

import re
from collections.abc import Iterable

NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
TOLERANCE = 0.005


def numbers_in(text: str, *, ignore: Iterable[str] = ()) -> list[float]:
    for phrase in ignore:
        if phrase:
            text = text.replace(phrase, " ")
    found = []
    for match in NUMBER.finditer(text):
        token = match.group().rstrip(",")
        try:
            found.append(float(token.replace(",", "")))
        except ValueError:
            continue
    return found


def matches_a_fact(value: float, facts: Iterable[float]) -> bool:
    for fact in facts:
        if abs(value - fact) <= abs(fact) * TOLERANCE:
            return True
        if value == int(value) and round(fact) == value:
            return True
    return False


def unsupported_numbers(text: str, facts: Iterable[float], *, ignore: Iterable[str] = ()) -> list[float]:
    allowed = [float(f) for f in facts]
    return [n for n in numbers_in(text, ignore=ignore) if not matches_a_fact(n, allowed)]
