"""A probe's failure as a kind an API client may be told (GET /slots), apart from its detail."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0019_product_staff_without_serving_records'),
    ]

    operations = [
        migrations.AddField(
            model_name='modelprobe',
            name='kind',
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
