"""Behind the compose file's proxies every request reaches the app from a
proxy's address; ``TRUSTED_PROXIES`` as docker-compose.yml sets it makes each
reader their own address again (issue 22: five wrong passwords locked an editor
out from everywhere, and the counting limit was one for the whole site).

Real varnishd with the deploy's VCL in front of a real gunicorn; the test
client plays the TLS proxy in front of Varnish, naming each reader in
X-Forwarded-For (Varnish appends its own client, the proxy, as it does in
compose)."""

import html
import http.cookies
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml

from harness.server import ROOT, served
from harness.varnish import varnish_child

pytestmark = pytest.mark.varnish

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"
PASSWORD = "mat-khau-bien-tap-2025"
ATTACKER, EDITOR = "203.0.113.66", "198.51.100.7"
MAKE_EDITOR = f"""
from django.contrib.auth.models import Group, User
user = User.objects.create_user("bientap", password="{PASSWORD}")
from articles.newsroom import EDITORS
user.groups.add(Group.objects.get(name=EDITORS))
"""


def compose_trusted_proxies() -> str:
    """The value compose gives web when .env does not set it."""
    compose = yaml.safe_load(Path(ROOT / "docker-compose.yml").read_text())
    value = compose["x-app"]["environment"]["TRUSTED_PROXIES"]
    default = re.fullmatch(r"\$\{TRUSTED_PROXIES:-(.+)\}", value)
    assert default, value
    return default[1]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(NoRedirects)


def request(url, *, client, data=None, cookies="", method=None):
    headers = {"User-Agent": BROWSER, "X-Forwarded-For": client}
    if cookies:
        headers["Cookie"] = cookies
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with _opener.open(req, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def sign_in(base: str, *, client: str, password: str) -> int:
    """A fresh browser at ``client``: the form, then the POST; the status."""
    status, headers, page = request(f"{base}/admin/login/", client=client)
    assert status == 200, page[:300]
    jar = http.cookies.SimpleCookie()
    for value in headers.get_all("Set-Cookie"):
        jar.load(value)
    token = html.unescape(
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    )
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "bientap", "password": password}
    ).encode()
    status, _, _ = request(
        f"{base}/admin/login/",
        client=client,
        data=body,
        cookies=f"csrftoken={jar['csrftoken'].value}",
    )
    return status


def test_behind_varnish_each_reader_is_their_own_address():
    environment = {
        "TRUSTED_PROXIES": compose_trusted_proxies(),
        "COUNTING_THROTTLE_RATE": "3/min",
    }
    with served(workers=1, settings="tests.settings", extra_env=environment) as app:
        app.shell(
            "from django.core.management import call_command; "
            "call_command('setup_newsroom')"
        )
        app.shell(MAKE_EDITOR)
        port = int(app.url.rsplit(":", 1)[1])
        with varnish_child(backends=[("127.0.0.1", port)]) as cache:
            # Five wrong passwords from one reader lock bientap out there...
            for _ in range(4):
                assert sign_in(cache.url, client=ATTACKER, password="sai") == 200
            assert sign_in(cache.url, client=ATTACKER, password="sai") == 429
            assert sign_in(cache.url, client=ATTACKER, password=PASSWORD) == 429
            # ...not for the editor elsewhere.
            assert sign_in(cache.url, client=EDITOR, password=PASSWORD) == 302

            # The counting limit is per reader too.
            views = f"{cache.url}/api/v1/articles/{app.article_id}/views/"
            for _ in range(3):
                status, _, _ = request(views, client=ATTACKER, method="POST", data=b"")
                assert status == 200
            assert request(views, client=ATTACKER, method="POST", data=b"")[0] == 429
            assert request(views, client=EDITOR, method="POST", data=b"")[0] == 200
