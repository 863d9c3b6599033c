import pytest
from django.core.management import CommandError


@pytest.mark.django_db
def test_it_refuses_to_report_a_run_that_has_not_finished(run, export_report):
    with pytest.raises(CommandError, match=rf"benchmark run {run.pk} is queued \(0/17 units have ended\)"):
        export_report("--run", str(run.pk))
