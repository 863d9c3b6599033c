"""The evaluation tests' shared cast (the rules-kind models `rules_a` and `rules_b`, the model
whose server is down, API keys acting for the operator and for product staff) is in
tests/conftest.py; these names are re-exported for modules that import them from here."""

from tests.conftest import key_headers, rules_kind_model

__all__ = ["key_headers", "rules_kind_model"]
