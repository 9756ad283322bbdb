# Every site has its website now (0004): the reference becomes required.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("surveys", "0004_website_fill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="site",
            name="website",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="sites", to="surveys.website"),
        ),
    ]
