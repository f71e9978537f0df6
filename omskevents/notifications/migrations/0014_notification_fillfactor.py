"""Room on each page of the outbox table for the next version of a row (PostgreSQL only).

A row is written once by the scan and then updated a few times (handed to the worker, claimed, sent). Rows stored
by COPY fill their pages; an update that finds no room on the row's page writes the new version elsewhere and adds
it to every index. With a quarter of each page kept free, an update that changes no indexed column (the hand-over's
`dispatched_at`) stays on the page and touches no index (a heap-only tuple)."""

from django.db import migrations


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE notifications_notification SET (fillfactor = 75)")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE notifications_notification RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("notifications", "0013_scan_state")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor)]
