"""Blind rating against a determined rater (issue 14, 4): rating items get a random public id and
a random queue position (each existing item its own, so the columns are filled before they become
unique and required), and existing pairwise choices are stored in the canonical order (item_a the
lower id, the choice turned round), keeping a rater's latest choice where they voted on both
orders of one pair."""

from django.db import migrations, models

import evaluation.models.ratings

TURNED = {"a": "b", "b": "a", "tie": "tie"}


def fill_item_ids(apps, schema_editor):
    RatingItem = apps.get_model("evaluation", "RatingItem")
    for item in RatingItem.objects.filter(public_id__isnull=True).iterator():
        item.public_id = evaluation.models.ratings.new_public_id()
        item.queue_position = evaluation.models.ratings.new_queue_position()
        item.save(update_fields=["public_id", "queue_position"])


def canonical_pairs(apps, schema_editor):
    PairwiseComparison = apps.get_model("evaluation", "PairwiseComparison")
    kept = set()
    rows = PairwiseComparison.objects.order_by("-created_at", "-id").values_list("pk", "rater_id", "item_a_id", "item_b_id",
                                                                                "choice")
    for pk, rater_id, item_a_id, item_b_id, choice in list(rows):
        low, high = sorted((item_a_id, item_b_id))
        if (rater_id, low, high) in kept or low == high:
            PairwiseComparison.objects.filter(pk=pk).delete()
            continue
        kept.add((rater_id, low, high))
        if item_a_id != low:
            PairwiseComparison.objects.filter(pk=pk).update(item_a_id=low, item_b_id=high, choice=TURNED[choice])


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0017_operator_input_bounds")]

    operations = [
        migrations.AddField(model_name="ratingitem", name="public_id",
                            field=models.CharField(max_length=32, null=True, editable=False)),
        migrations.AddField(model_name="ratingitem", name="queue_position",
                            field=models.BigIntegerField(null=True, editable=False)),
        migrations.RunPython(fill_item_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="ratingitem", name="public_id",
            field=models.CharField(default=evaluation.models.ratings.new_public_id, editable=False, max_length=32,
                                   unique=True, help_text="The random address raters see instead of the primary key")),
        migrations.AlterField(
            model_name="ratingitem", name="queue_position",
            field=models.BigIntegerField(default=evaluation.models.ratings.new_queue_position, editable=False,
                                         help_text="Random: the rating queue is ordered by it, mixed per rater")),
        migrations.RunPython(canonical_pairs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="pairwisecomparison",
            constraint=models.CheckConstraint(condition=models.Q(item_a__lt=models.F("item_b")),
                                              name="pair_in_canonical_order")),
    ]
