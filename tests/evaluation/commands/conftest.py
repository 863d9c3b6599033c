from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def switch_model() -> Callable[..., str]:
    """Run `manage.py switch_model` with the given arguments and return what it printed."""

    def run(*args: str) -> str:
        out = StringIO()
        call_command("switch_model", *args, stdout=out)
        return out.getvalue()

    return run
