"""The GIN index behind the plan's Russian full-text search (workplan.search.TaskDocument), on PostgreSQL only:
SQLite, the zero-setup database, searches by substring and needs none."""

from django.db import migrations

INDEX = "workplan_task_search_ru"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON workplan_task USING GIN "
    "(to_tsvector('russian'::regconfig, COALESCE(\"title\", '') || ' ' || COALESCE(\"description\", '')))"
)
DROP = f"DROP INDEX IF EXISTS {INDEX}"


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("workplan", "0003_task_sort_indexes")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
