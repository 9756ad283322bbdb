"""VetoAlert moves here from the worker app (worker 0003 drops it from that app's state).

The table, its rows and its index stay as they are (`worker_vetoalert`): only
Django's idea of which app owns the model changes, so no data is copied.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0001_initial'),
        ('workorders', '0002_finding_type_free'),
        ('worker', '0002_finding_time_indexes'),  # the table exists (worker 0001)
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='VetoAlert',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rule', models.CharField(max_length=40, verbose_name='否决规则')),
                        ('reason', models.TextField(verbose_name='否决原因')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('job', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='surveys.job')),
                        ('site', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='veto_alerts', to='surveys.site')),
                        ('workorder', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='veto_alerts', to='workorders.workorder')),
                    ],
                    options={
                        'verbose_name': '单项否决告警',
                        'verbose_name_plural': '单项否决告警',
                        'db_table': 'worker_vetoalert',
                        'indexes': [models.Index(fields=['site', 'rule'], name='worker_veto_site_id_409945_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
