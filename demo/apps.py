from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for the whole portal. Sits on top of every other app and nothing imports it."""

    name = "demo"
