"""The VetoAlert move (worker 0003 / workorders 0003) keeps every alert row and its links."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("surveys", "0001_initial"), ("worker", "0002_finding_time_indexes"), ("workorders", "0001_initial")]
AFTER = [("worker", "0003_move_vetoalert"), ("workorders", "0003_vetoalert")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_an_alert_raised_before_the_move_is_read_after_it():
    old = migrate(BEFORE)
    assert not any(m._meta.label == "workorders.VetoAlert" for m in old.get_models())
    survey = old.get_model("surveys", "Survey").objects.create(name="迁移", year=2025, as_of="2025-11-30")
    site = old.get_model("surveys", "Site").objects.create(survey=survey, name="清河县人民政府", url="http://127.0.0.1:9/")
    order = old.get_model("workorders", "WorkOrder").objects.create(site=site, title="单项否决告警", finding_type="stale_homepage")
    old.get_model("worker", "VetoAlert").objects.create(site=site, rule="stale_homepage", reason="首页", workorder=order)

    new = migrate(AFTER)
    with pytest.raises(LookupError):
        new.get_model("worker", "VetoAlert")
    alert = new.get_model("workorders", "VetoAlert").objects.get()
    assert (alert.site_id, alert.workorder_id, alert.rule, alert.reason) == (site.pk, order.pk, "stale_homepage", "首页")

    back = migrate(BEFORE)  # and the move reverses
    assert back.get_model("worker", "VetoAlert").objects.get().rule == "stale_homepage"
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # the database as the other tests expect it
