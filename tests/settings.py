"""The test suite's settings: the project's own, with background tasks run at once in
the test process (an email is delivered when its change's transaction commits).
The tests of the worker itself run `manage.py db_worker` with the project's
settings, on the database backend."""

from sro_portal.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# Exports write their files here, not into the project's media folder.
import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="sro-portal-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

# Django's `flush` truncates every table after a transactional test; the triggers of
# migration 0011 refuse TRUNCATE of the permanent records unless the session says
# so. Only the test suite's connections do (the tests of the refusal turn it off).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c sro.allow_truncate=on"  # noqa: F405
