"""Helpers for tests that go through the web pages."""

from django.conf import settings


def login_in_english(client, user):
    """Log the test client in as `user` with the English interface: exact English assertions, whatever the Russian
    catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client
