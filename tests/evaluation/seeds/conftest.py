from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def seed_demo() -> Callable[[], list[str]]:
    """Run `manage.py seed_demo` and return its output lines."""

    def run() -> list[str]:
        out = StringIO()
        call_command("seed_demo", stdout=out)
        return out.getvalue().splitlines()

    return run
