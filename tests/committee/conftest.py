"""The committee tests assert exact English messages, whatever the Russian catalogue says."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
