from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models: the app exists to give `seed_demo` to development and test settings, never to production."""

    name = "omskevents.demo"
    label = "demo"
