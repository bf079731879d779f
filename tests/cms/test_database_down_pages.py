"""With the database unreachable, people still get pages, not Django's English
"Server Error (500)": the reader its shell (the app then shows what the API
answers), the admin a Vietnamese 503 with ``Retry-After``. A real gunicorn
pointed at a PostgreSQL port nobody listens on, and at a SQLite file that
cannot be opened (a cluster stopped or hung: tests/cms/test_postgresql_faults.py)."""

import urllib.error
import urllib.request

import pytest

from harness.server import free_port, served

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"


def answer(url: str) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers={"User-Agent": BROWSER})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.mark.parametrize(
    "database_url",
    [
        pytest.param(f"postgres://postgres@127.0.0.1:{free_port()}/gone", id="pg"),
        pytest.param("sqlite:////nonexistent-newsdesk-dir/db.sqlite3", id="sqlite"),
    ],
)
def test_the_reader_and_the_admin_answer_pages_while_the_database_is_down(
    database_url,
):
    with served(
        workers=1,
        dataset={"DATABASE_URL": database_url},
        # The admin's static files without a collectstatic run.
        settings="tests.settings",
        wait_for_database=False,
    ) as server:
        for path in ("/", "/tin-tuc-su-kien/bai-viet/", "/tim-kiem/?q=ket+nap"):
            status, headers, body = answer(server.url + path)
            assert status == 200, (path, body[:300])
            assert headers["Content-Type"] == "text/html; charset=utf-8"
            assert 'src="/js/app.js"' in body

        for path in ("/admin/", "/admin/login/", "/admin/pages/"):
            status, headers, body = answer(server.url + path)
            assert status == 503, (path, body[:300])
            assert headers["Retry-After"].isdigit()
            assert headers["Content-Type"] == "text/html; charset=utf-8"
            assert "Hệ thống tạm thời gián đoạn" in body
            assert "Server Error" not in body
            assert "nonexistent" not in body and "127.0.0.1" not in body
