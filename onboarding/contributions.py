"""What each app adds to the pages and commands that span every capability.

The foundation (`onboarding`) never imports a feature app. A page that gathers what
every capability knows (the readiness dashboard, each person's home, the evidence
binder), and the commands that build demo or scale data, ask each local app for its
part instead: a module of an agreed name at the top of the app's package, found the
way `django.contrib.admin` finds each app's `admin.py`. An app without the module
contributes nothing. The foundation's own parts (the role agreement's) are called
directly by the page that gathers them, before the feature apps' parts.

Module names and what each provides (the functions are documented in the module
that calls them):

| module      | provides                         | read by                              |
|-------------|----------------------------------|--------------------------------------|
| `demo`      | `seed(world)`                    | `manage.py seed_demo`                |
| `scale`     | `seed(world)`                    | `manage.py seed_scale`               |
| `agreements`| `amendment_part(amendment)`      | an amendment's page (`agreements/amendments.py`) |
"""

from functools import cache
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import module_has_submodule

FOUNDATION = "onboarding"


@cache
def contributions(name: str) -> list[ModuleType]:
    """Each feature app's module `name`, in the order of `LOCAL_APPS`."""
    modules = []
    for app_name in settings.LOCAL_APPS:
        if app_name == FOUNDATION:
            continue
        config = apps.get_app_config(app_name.rpartition(".")[2])
        if module_has_submodule(config.module, name):
            modules.append(import_module(f"{config.name}.{name}"))
    return modules
