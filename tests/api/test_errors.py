"""Errors are RFC 9457 problem details; nothing a client sends gives a 500."""

import re

import pytest
from rest_framework.exceptions import ParseError, Throttled

from api.errors import exception_handler

PROBLEM = "application/problem+json"


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    return body


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"page": "abc"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "0"}, "page"),
        ({"page": "9" * 40}, "page"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "100000"}, "page_size"),
        ({"page_size": "1.5"}, "page_size"),
        ({"ordering": "password"}, "ordering"),
        ({"ordering": "-body"}, "ordering"),
        ({"published_after": "notadate"}, "published_after"),
        ({"published_before": "2017-02-30"}, "published_before"),
        ({"search": "x" * 10240}, "search"),
        ({"search": "!!! ... ???"}, "search"),
        ({"search": "a\x00b"}, "search"),
        ({"category": "bad slug!"}, "category"),
        ({"tag": "x" * 5000}, "tag"),
        ({"fields": "*"}, "fields"),
        ({"limit": "10", "offset": "3"}, "limit"),
    ],
)
def test_bad_list_parameters_are_400_naming_the_parameter(api, demo, params, parameter):
    body = assert_problem(api.get("/api/v1/articles/", params), 400)

    assert parameter in body["errors"]
    assert parameter in body["detail"]


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/articles/", "tag"),
        ("/api/v1/articles/", "page_size"),
        ("/api/v1/articles/", "page"),
        ("/api/v1/articles/", "search"),
        ("/api/v1/articles/", "category"),
        ("/api/v1/articles/", "ordering"),
        ("/api/v1/articles/", "published_after"),
        ("/api/v1/articles/most-viewed/", "period"),
        ("/api/v1/articles/most-viewed/", "limit"),
        ("/api/v1/preview/", "token"),
    ],
)
def test_an_empty_value_is_400_naming_the_parameter(api, demo, path, parameter):
    # The schema asks for at least one character; "given but empty" is not
    # "not given".
    body = assert_problem(api.get(f"{path}?{parameter}="), 400)

    assert list(body["errors"]) == [parameter]
    assert parameter in body["detail"]


def test_a_nul_in_a_tag_is_refused_as_the_schema_says(api, demo):
    schema = api.get("/api/v1/schema/?format=json").json()
    tag = next(
        p["schema"]
        for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"]
        if p["name"] == "tag"
    )
    assert re.search(tag["pattern"], "hiến máu")
    assert not re.search(tag["pattern"], "a\x00")
    refused = assert_problem(api.get("/api/v1/articles/?tag=%00"), 400)
    assert list(refused["errors"]) == ["tag"]
    # Spaces are part of the name as sent: an unknown tag, no result.
    response = api.get("/api/v1/articles/?tag=%20")
    assert response.status_code == 200 and response.json()["count"] == 0


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("ở", True),
        ("Đ", True),
        ("ket nap", True),
        ("2017", True),
        ("!!! ... ???", False),
        ("_", False),
        ("привет", False),
        ("\u0301", False),
    ],
)
def test_search_is_accepted_exactly_when_the_schema_pattern_matches(
    api, demo, value, accepted
):
    # The pattern spells its letters out: JavaScript and schema tools read
    # \w as ASCII, Python as any letter.
    schema = api.get("/api/v1/schema/?format=json").json()
    pattern = next(
        p["schema"]["pattern"]
        for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"]
        if p["name"] == "search"
    )
    assert "\\w" not in pattern
    response = api.get("/api/v1/articles/", {"search": value})

    assert bool(re.search(pattern, value)) is accepted
    assert response.status_code == (200 if accepted else 400)


def test_a_preview_token_of_spaces_opens_nothing(api, db):
    # The schema allows it (minLength 1): a token, not a missing one.
    body = assert_problem(api.get("/api/v1/preview/?token=%20%20"), 403)
    assert list(body["errors"]) == ["token"]


def test_a_tag_filters_by_its_exact_name(api, demo):
    response = api.get("/api/v1/articles/", {"tag": "hiến máu"})
    assert [a["slug"] for a in response.json()["results"]] == [
        "ngay-hoi-hien-mau-tinh-nguyen-dot-2-nam-2017"
    ]


def test_every_unknown_parameter_is_named(api, db):
    body = assert_problem(api.get("/api/v1/articles/", {"foo": 1, "bar": 2}), 400)
    assert set(body["errors"]) == {"foo", "bar"}


@pytest.mark.parametrize(
    "path", ["/api/v1/site/", "/api/v1/categories/", "/api/v1/categories/thong-bao/"]
)
def test_endpoints_without_parameters_refuse_them(api, demo, path):
    assert "x" in assert_problem(api.get(path, {"x": "1"}), 400)["errors"]


def test_detail_refuses_parameters(api, seed):
    assert_problem(api.get(f"/api/v1/articles/{seed.pk}/", {"fields": "title"}), 400)


def test_unknown_category_is_404(api, demo):
    body = assert_problem(api.get("/api/v1/articles/", {"category": "khong-co"}), 404)
    assert "khong-co" in body["detail"]


@pytest.mark.parametrize(
    "params",
    [
        {"published_after": "0001-01-01T00:00:00+14:00"},
        {"published_before": "9999-12-31T23:59:59-12:00"},
        {"published_after": "0001-01-01", "published_before": "9999-12-31"},
    ],
)
def test_extreme_dates_are_answered(api, demo, params):
    response = api.get("/api/v1/articles/", params)
    assert response.status_code == 200


def test_page_past_the_end_is_404_naming_page_as_the_schema_says(api, demo):
    body = assert_problem(api.get("/api/v1/articles/", {"page": "999999"}), 404)
    assert list(body["errors"]) == ["page"]

    schema = api.get("/api/v1/schema/?format=json").json()
    not_found = schema["paths"]["/api/v1/articles/"]["get"]["responses"]["404"]
    assert "`page`" in not_found["description"]
    errors = schema["components"]["schemas"]["Problem"]["properties"]["errors"]
    assert "404" in errors["description"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/articles/0/",
        "/api/v1/articles/2147483648/",
        "/api/v1/articles/9223372036854775808/",
        "/api/v1/articles/" + "9" * 100 + "/",
        "/api/v1/articles/abc/",
        "/api/v1/articles/slug/khong-ton-tai/",
        "/api/v1/articles/slug/%E1%BA%BFt/",
        "/api/v1/categories/khong-ton-tai/",
        "/api/v1/nothing/",
        "/api/v2/articles/",
        "/api/",
        "/api/v1/nothing",
    ],
)
def test_unknown_things_are_404_problems(api, demo, path):
    assert_problem(api.get(path), 404)


def test_a_read_without_its_trailing_slash_is_redirected(api, demo):
    response = api.get("/api/v1/articles?page_size=2")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/articles/?page_size=2"
    assert api.get(response["Location"]).status_code == 200
    # A write is not redirected (a client would resend it as a GET).
    assert_problem(api.post("/api/v1/site/visits"), 404)


def test_an_unknown_category_page_is_404_not_the_category_list(api, demo):
    body = assert_problem(api.get("/api/v1/categories/tin-tuc-su-kien/x/"), 404)
    assert "/api/v1/categories/tin-tuc-su-kien/x/" in body["detail"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_405_with_allow(api, seed, method):
    response = getattr(api, method)(f"/api/v1/articles/{seed.pk}/")
    assert_problem(response, 405)
    assert "GET" in response["Allow"]


def test_unacceptable_media_type_is_406(api, demo):
    assert_problem(api.get("/api/v1/articles/", HTTP_ACCEPT="application/xml"), 406)


def test_parse_errors_and_throttling_become_problems():
    parse = exception_handler(ParseError("JSON parse error"), {})
    throttled = exception_handler(Throttled(wait=30), {})

    assert parse.status_code == 400 and parse.content_type == PROBLEM
    assert parse.data["detail"] == "JSON parse error"
    assert throttled.status_code == 429
    assert throttled["Retry-After"] == "30"
    assert throttled.data["title"] == "Too Many Requests"


def test_malformed_json_body_is_a_400_problem(api, db):
    # No read endpoint takes a body; the error path is the same for the counting
    # endpoints that do, and for any POST reaching DRF's parser.
    response = api.generic(
        "POST", "/api/v1/articles/", "{not json", content_type="application/json"
    )
    assert_problem(response, 405)


def test_a_host_django_refuses_is_a_400_problem_under_api(api, db):
    # Raised by a middleware, before any view: Django's handler400 answers.
    assert_problem(api.get("/api/v1/site/", HTTP_HOST="evil.example"), 400)
    html = api.get("/admin/login/", HTTP_HOST="evil.example")
    assert html.status_code == 400
    assert html["Content-Type"].startswith("text/html")


def test_an_unexpected_error_is_a_logged_500_problem(api, seed, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("api.representation.article_detail", broken)
    response = api.get(f"/api/v1/articles/{seed.pk}/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 500
    assert "disk on fire" not in response.content.decode()
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert logged and "disk on fire" in str(logged[0].exc_info[1])
