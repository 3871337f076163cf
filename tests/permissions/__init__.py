"""The permission table: every URL of the product, and who may use it.

Each module in this package defines `ROUTES`, a list of `Route`. The test in
tests/test_permissions.py walks the URL resolver and fails on any route that no
module lists, then checks each route for every kind of visitor in tests.world.KINDS.
Add your app's routes in a module of its own here.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.world import KINDS, REMOVED_KINDS, World


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: Callable[[World], dict] = lambda w: {}
    method: str = "get"
    # Who gets what. Every kind in KINDS must be in exactly one of ok, forbidden
    # (403), hidden (404) or login (redirect to sign-in), unless the route is public;
    # the removed members (tests.world.REMOVED_KINDS) are hidden unless listed.
    ok: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    login: tuple[str, ...] = ("anonymous",)
    ok_status: tuple[int, ...] = (200, 302)
    data: Callable[[World], dict] = field(default=lambda w: {})
    # Public routes (sign-in, health check, public pages) answer everybody alike:
    # anonymous visitors and removed members (signed in) are checked.
    public: bool = False
    public_status: tuple[int, ...] = (200,)
    # What a signed-in visitor gets from a public route when it differs (the
    # sign-in page sends them on); None: public_status.
    signed_in_status: tuple[int, ...] | None = None

    def expected(self, kind: str) -> str:
        for outcome in ("ok", "forbidden", "hidden", "login"):
            if kind in getattr(self, outcome):
                return outcome
        if kind in REMOVED_KINDS:
            # Someone taken off the school's roster sees nothing of it, unless the
            # route says otherwise (a page of their own, across their schools).
            return "hidden"
        raise AssertionError(f"{self.name}: the table does not say what {kind} gets")

    def check_complete(self) -> None:
        if self.public:
            return
        listed = [*self.ok, *self.forbidden, *self.hidden, *self.login]
        missing = set(KINDS) - set(REMOVED_KINDS) - set(listed)
        repeated = {k for k in listed if listed.count(k) > 1}
        assert not missing, f"{self.name}: no outcome for {sorted(missing)}"
        assert not repeated, f"{self.name}: more than one outcome for {sorted(repeated)}"


def all_routes() -> list[Route]:
    routes = []
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        routes.extend(getattr(module, "ROUTES", []))
    return routes


# Visitor groups most school pages use.
SCHOOL_MANAGERS = ("principal", "district_admin")
SCHOOL_MEMBERS_NOT_MANAGERS = ("staff", "counselor", "sro")
