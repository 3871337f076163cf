from django.apps import AppConfig


class ExpectationsConfig(AppConfig):
    name = "expectations"
