"""Check a running newsdesk the way a browser behind the TLS proxy sees it.

    python scripts/probe_site.py http://127.0.0.1:PORT

Sends ``Host: localhost`` (and ``X-Forwarded-Proto: https``, as the proxy does)
and checks: the admin login page is 200 in Vietnamese with HSTS and nosniff
headers; a plain-HTTP request is redirected to HTTPS; a static asset the page
links is served (by WhiteNoise, under its hashed manifest name). Exits 1 with a
message on the first failure. Loopback only: it never follows a redirect.
"""

import re
import sys
import urllib.error
import urllib.request
from urllib.parse import urljoin, urlsplit

HOST = "localhost"
HTTPS = {"Host": HOST, "X-Forwarded-Proto": "https"}
# Manifest storage names carry a content hash: core.1a2b3c4d5e6f.css
HASHED_ASSET = re.compile(r'(?:href|src)="(/static/[^"?#]+\.[0-9a-f]{12}\.(?:css|js))"')


class ProbeError(Exception):
    pass


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise ProbeError(message)


def probe(base: str) -> list[str]:
    """Run every check; return one line per check passed."""
    done = []
    login = urljoin(base, "/admin/login/")

    status, headers, _ = fetch(login, {"Host": HOST})
    location = headers.get("Location", "")
    expect(
        status == 301 and location.startswith(f"https://{HOST}"),
        f"plain HTTP {login}: expected a 301 to https://{HOST}..., got {status} "
        f"{location!r}",
    )
    done.append(f"plain HTTP /admin/login/ -> {status} {location}")

    status, headers, body = fetch(login, HTTPS)
    html = body.decode("utf-8", "replace")
    expect(status == 200, f"{login} over HTTPS: expected 200, got {status}")
    expect('<html lang="vi"' in html, f'{login}: no <html lang="vi" in the page')
    expect(
        "max-age=" in headers.get("Strict-Transport-Security", ""),
        f"{login}: no Strict-Transport-Security header",
    )
    expect(
        headers.get("X-Content-Type-Options") == "nosniff",
        f"{login}: no X-Content-Type-Options: nosniff",
    )
    done.append(f'/admin/login/ -> 200, <html lang="vi">, {len(body)} bytes, HSTS')

    assets = re.findall(HASHED_ASSET, html)
    expect(bool(assets), f"{login}: links no hashed /static/ asset (manifest storage)")
    asset = urljoin(base, assets[0])
    status, headers, body = fetch(asset, HTTPS)
    expect(status == 200 and body, f"{asset}: expected 200 with a body, got {status}")
    expect(
        "immutable" in headers.get("Cache-Control", ""),
        f"{asset}: not served by WhiteNoise as immutable (Cache-Control: "
        f"{headers.get('Cache-Control')!r})",
    )
    path = urlsplit(asset).path
    done.append(f"{path} -> 200, {len(body)} bytes, {headers.get('Content-Type')}")
    return done


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        for line in probe(argv[0]):
            print(f"  ok: {line}")
    except (ProbeError, OSError) as exc:
        print(f"probe failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
