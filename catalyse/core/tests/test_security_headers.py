import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.test import Client, RequestFactory
from django.urls import reverse

from catalyse.core.middleware import ContentSecurityPolicyMiddleware, allow_framing

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
# Set by settings_test for the test process; a production process has none of them.
TEST_ONLY_ENV = {"CATALYSE_TESTING", "DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp


def test_pages_cannot_be_framed_and_send_the_other_security_headers(client):
    response = client.get(reverse("accounts:login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_widget_views_opt_in_to_being_framed():
    view = allow_framing(lambda request: HttpResponse("widget"))
    chain = ContentSecurityPolicyMiddleware(XFrameOptionsMiddleware(view))
    response = chain(RequestFactory().get("/widget/"))
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]


def test_forms_refuse_posts_without_a_csrf_token(outsider):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"email": outsider.email, "password": "x"})
    assert response.status_code == 403


def test_session_writes_to_the_api_need_a_csrf_token(outsider):
    client = Client(enforce_csrf_checks=True)
    client.force_login(outsider)
    response = client.post("/api/v1/organisations", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403


def test_the_deployment_checklist_passes_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_ENV}
    env.update(SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="catalyse.example.org", DEBUG="0",
               CATALYSE_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="catalyse.settings",
               PYTHONPATH=str(ROOT))
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120, check=False, cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_turn_on_hsts_and_secure_cookies(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_ENV}
    env.update(SECRET_KEY=secrets.token_urlsafe(50), DEBUG="0", CATALYSE_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    code = ("import catalyse.settings as s; print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
            " s.SECURE_SSL_REDIRECT)")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,  # noqa: S603
                         cwd=ROOT, timeout=60).stdout.split()
    assert int(out[0]) >= 31536000 and out[1:] == ["True", "True", "True"]


def test_markdown_from_users_cannot_carry_scripts():
    from catalyse.core.markdown import render_markdown

    html = render_markdown('<script>alert(1)</script>[x](javascript:alert(1)) <img src=x onerror="alert(1)">')
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html


def test_secret_key_is_required_in_production(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_ENV | {"SECRET_KEY"}}
    env.update(CATALYSE_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", "import catalyse.settings"], env=env,  # noqa: S603
                            capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("url", ["/organisations/?q=a%00b", "/api/v1/organisations?q=%00"])
def test_nul_characters_in_addresses_are_refused_not_crashing(client, url):
    assert client.get(url).status_code == 400


def test_nul_characters_in_api_bodies_give_422_not_500(client, member):
    from catalyse.accounts import services

    key = services.api_token_create(user=member, name="t", scope="write")[1]
    response = client.post("/api/v1/organisations", '{"name": "a\\u0000b", "profile": "public"}',
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code in {201, 422}
