from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "onboarding"
    verbose_name = "People, schools and agreements"

    def ready(self) -> None:
        from onboarding.agreements import seal  # noqa: F401 (its deploy check)
        from onboarding.people import signals  # noqa: F401
