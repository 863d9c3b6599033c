"""The embedded model runs in one inference engine process now, whose thread count is a setting of
that process (ENGINE_THREADS), not of a request: the one-thread benchmark candidate cannot be run
any more, so it is retired (kept, with its past results)."""

from django.db import migrations

KEY = "local/gemma-3-270m-1-thread"
NOTE = (" Retired: threads are a setting of the inference engine process (ENGINE_THREADS), not of a"
        " request; bench/engines.py measures them.")


def retire(apps, schema_editor):
    AIModel = apps.get_model("evaluation", "AIModel")
    for model in AIModel.objects.filter(key=KEY).exclude(status="retired"):
        model.status = "retired"
        model.notes = (model.notes + NOTE).strip()
        model.save(update_fields=["status", "notes"])


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0009_benchmarkunit_queue_ms")]
    operations = [migrations.RunPython(retire, migrations.RunPython.noop)]
