"""A text may name the actual label (seasonal pattern, trend) but no other one."""

from energy.pipeline.claims import label_claim_errors
from energy.pipeline.stages.usage_summary import PATTERNS, TRENDS


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
