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
| `readiness` | `lines_for(schools, *,           | `onboarding/readiness/summary.py`:   |
|             | name_overdue)`,                  | the principal's dashboard and home,  |
|             | `columns_for(schools, lines, *,  | the district table and its CSV, the  |
|             | month)`                          | binder's cover                       |
| `home`      | `panels_for(request, *,          | `onboarding/homes/views.py`, the     |
|             | memberships)`; optionally        | home page; `onboarding/homes/        |
|             | `officer_columns_for(schools,    | panels.py`, the supervisor's table   |
|             | officers, *, month)`             |                                      |
| `binder`    | `chapters_for(school, year)`     | `onboarding/binder/chapters.py`, the |
|             |                                  | evidence binder                      |
| `agreements`| `amendment_part(amendment)`      | an amendment's page (`onboarding/    |
|             |                                  | agreements/amendments.py`)           |

What they return is plain data of the foundation (`onboarding/readiness/lines.py`):
`Line`s, `Column`s of `Cell`s, `Part`s (a template and its context) and `Chapter`s;
the foundation's templates render them, each app's fragments rendering its own.
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
