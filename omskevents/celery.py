"""The Celery application: configured from Django settings under the CELERY_ namespace."""

import os
from pathlib import Path
from typing import Any

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omskevents.settings.local")

app = Celery("omskevents")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The folders kombu's filesystem transport reads and writes; it expects them to exist.
FILESYSTEM_BROKER_FOLDERS = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")


@app.on_after_configure.connect
def filesystem_broker_folders_create(sender: Celery, **kwargs: Any) -> None:
    """Create the filesystem broker's folders as soon as the configuration is read.

    Every process (a management command publishing a notice, the worker, beat) reads the configuration
    before it first touches the broker, so a fresh checkout needs no setup step and no second run.
    """
    if not str(sender.conf.broker_url or "").startswith("filesystem://"):
        return
    options = sender.conf.broker_transport_options or {}
    for key in FILESYSTEM_BROKER_FOLDERS:
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@worker_init.connect
def worker_warm(**kwargs: Any) -> None:
    """In the worker's main process, before its pool forks: the URLconf, the catalogues and the mail templates
    loaded once for every child (core.warm), not by each child's first mail."""
    import django

    django.setup()  # as Celery's Django fixup does at this signal; a second call does nothing
    from omskevents.core.warm import process_warm

    process_warm(template_folders=["emails"])
