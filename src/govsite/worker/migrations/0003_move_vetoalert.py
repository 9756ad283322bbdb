"""VetoAlert now belongs to the workorders app (workorders 0003): removed from this app's state only.

The table `worker_vetoalert` and its rows stay; workorders.VetoAlert uses it.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('worker', '0002_finding_time_indexes'),
        ('workorders', '0003_vetoalert'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='VetoAlert')],
            database_operations=[],
        ),
    ]
