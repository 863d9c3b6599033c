import pytest


@pytest.mark.django_db
def test_it_writes_the_same_bytes_for_the_same_run(finished_run, export_report):
    first = export_report("--run", str(finished_run.pk))

    assert export_report("--run", str(finished_run.pk)) == first
    assert export_report() == first  # the default is the latest finished run
