"""Project-wide guards: migrations, production checks and headers."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-check-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "example.org,testserver",
    "SIGNATURE_SEAL_KEY": "a-seal-key-of-its-own-kept-apart-from-the-database-0123456789",
}


def _run(args: list[str], extra_env: dict) -> subprocess.CompletedProcess:
    # A clean environment: nothing of the test process (DEBUG, the async flag the
    # browser tests set) may leak into what production would run.
    leaks = ("DEBUG", "SECRET_KEY", "SIGNATURE_SEAL_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in leaks}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_no_pending_migrations(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_check_deploy_is_clean_with_production_settings():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {**PRODUCTION_ENV, "ALLOWED_HOSTS": "example.org"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_seal_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SIGNATURE_SEAL_KEY"}
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "SIGNATURE_SEAL_KEY must be set when DEBUG is off" in result.stderr


def test_check_deploy_refuses_the_secret_key_as_the_seal_key():
    env = {**PRODUCTION_ENV, "SIGNATURE_SEAL_KEY": PRODUCTION_ENV["SECRET_KEY"]}
    result = _run(["manage.py", "check", "--deploy"], env)
    assert result.returncode != 0
    assert "sro_portal.E010" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _run(["manage.py", "check"], {"DEBUG": "false", "ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


HEADERS_SCRIPT = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/accounts/login/", secure=True)
insecure = Client().get("/accounts/login/")
print(json.dumps({"status": response.status_code, "headers": dict(response.headers),
                  "cookies": [morsel.output() for morsel in response.cookies.values()],
                  "body": response.content.decode(), "insecure": insecure.status_code,
                  "insecure_location": insecure.headers.get("Location", "")}))
"""


@pytest.fixture(scope="module")
def production_response(tmp_path_factory):
    static_root = tmp_path_factory.mktemp("static")
    env = {
        **PRODUCTION_ENV,
        "STATIC_ROOT": str(static_root),
        "DJANGO_SETTINGS_MODULE": "sro_portal.settings",
    }
    collected = _run(["manage.py", "collectstatic", "--no-input", "-v0"], env)
    assert collected.returncode == 0, collected.stderr
    result = _run(["-c", HEADERS_SCRIPT], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_responses_carry_the_security_headers(production_response):
    headers = {k.lower(): v for k, v in production_response["headers"].items()}
    assert production_response["status"] == 200
    csp = headers["content-security-policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert headers["x-frame-options"] == "DENY"
    [cookie] = production_response["cookies"]
    assert "csrftoken" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie


def test_production_redirects_plain_http_to_https(production_response):
    assert production_response["insecure"] == 301
    assert production_response["insecure_location"].startswith("https://")


def test_every_script_carries_the_pages_nonce(production_response):
    headers = {k.lower(): v for k, v in production_response["headers"].items()}
    nonce = headers["content-security-policy"].split("'nonce-")[1].split("'")[0]
    body = production_response["body"]
    assert body.count("<script") == body.count(f'nonce="{nonce}"') > 0
    assert "style=" not in body  # inline styles are blocked by the policy


def test_production_cookies_are_host_prefixed(production_response):
    # `__Host-`: a browser keeps it only if Secure, for Path=/ and without a Domain.
    [cookie] = production_response["cookies"]
    assert cookie.startswith("Set-Cookie: __Host-csrftoken="), cookie
    assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
