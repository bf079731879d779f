"""Audit the reader as a reader's browser gets it: accessibility (axe-core),
Lighthouse (mobile) and the bytes of JS and CSS shipped.

    python -m bench.reader_audit                 # starts its own demo site
    python -m bench.reader_audit --url http://127.0.0.1:8000   # make run's server
    python -m bench.reader_audit --no-lighthouse

axe-core runs in Debian's Chromium through axe-playwright-python (which bundles
axe-core) on the home, category, article, tag, search and 404 pages at 360 and
1280 px. Lighthouse runs through ``npx --yes lighthouse`` (fetched from npm on
the first run) with ``CHROME_PATH`` set to Debian's Chromium. Figures are
printed and written to ``reader/reports/audit.json`` (git-ignored); the
measured ones are kept in docs/reader.md.
"""

import argparse
import gzip
import json
import os
import shutil
import subprocess
import tempfile
import urllib.request
from contextlib import nullcontext
from pathlib import Path

from harness.demo_site import demo_site
from harness.server import ROOT

REPORTS = ROOT / "reader" / "reports"
DESKTOP_CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
SEED = (
    "/tin-tuc-su-kien/"
    "hoi-nghi-chuyen-de-thuc-trang-tinh-hinh-cong-tac-ket-nap-dang-vien/"
)
PAGES = {
    "home": "/",
    "category": "/tin-tuc-su-kien/",
    "article": SEED,
    "tag": "/the/%C4%91%E1%BA%A3ng%20vi%C3%AAn/",
    "search": "/tim-kiem/?q=ket+nap+dang+vien",
    "404": "/khong-co/trang-nay/",
}


def chromium() -> str:
    return shutil.which("chromium") or "/usr/bin/chromium"


def shipped_bytes(url: str) -> dict:
    """JS and CSS the reader loads, raw and gzipped as the server sends them."""
    site = ROOT / "reader" / "site"
    files = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.suffix in (".js", ".css")
    )
    rows = {}
    for name in files:
        request = urllib.request.Request(
            f"{url}/{name}", headers={"Accept-Encoding": "gzip"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
            encoding = response.headers.get("Content-Encoding", "")
        raw = gzip.decompress(body) if encoding == "gzip" else body
        rows[name] = {
            "raw": len(raw),
            "gzip_served": len(body) if encoding == "gzip" else None,
            "gzip_9": len(gzip.compress(raw, compresslevel=9)),
        }
    rows["total"] = {
        key: sum(row[key] or 0 for row in rows.values())
        for key in ("raw", "gzip_served", "gzip_9")
    }
    return rows


def axe_audit(url: str) -> dict:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    axe = Axe()
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium(), args=["--no-sandbox"]
        )
        for width in (360, 1280):
            context = browser.new_context(
                user_agent=DESKTOP_CHROME, viewport={"width": width, "height": 800}
            )
            page = context.new_page()
            for name, path in PAGES.items():
                page.goto(url + path)
                page.wait_for_selector("main h1")
                page.wait_for_load_state("networkidle")
                violations = axe.run(page).response["violations"]
                found[f"{name}@{width}"] = [
                    {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])}
                    for v in violations
                ]
            context.close()
        browser.close()
    return found


def lighthouse(url: str, name: str) -> dict:
    out = Path(tempfile.mkdtemp(prefix="lighthouse-")) / "report.json"
    env = {**os.environ, "CHROME_PATH": chromium()}
    command = [
        "npx",
        "--yes",
        "lighthouse",
        url,
        "--chrome-flags=--headless=new --no-sandbox",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--form-factor=mobile",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
    ]
    run = subprocess.run(command, env=env, capture_output=True, text=True)
    if run.returncode != 0 or not out.exists():
        return {"error": (run.stderr or run.stdout)[-800:]}
    report = json.loads(out.read_text())
    shutil.copy(out, REPORTS / f"lighthouse-{name}.json")
    audits = report["audits"]
    return {
        **{k: round(v["score"] * 100) for k, v in report["categories"].items()},
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="audit this server (default: a demo site)")
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()
    REPORTS.mkdir(parents=True, exist_ok=True)
    with nullcontext(args.url) if args.url else demo_site() as site:
        url = site if isinstance(site, str) else site.url
        results = {"url": url, "bytes": shipped_bytes(url), "axe": axe_audit(url)}
        if not args.no_lighthouse:
            results["lighthouse"] = {
                name: lighthouse(url + PAGES[name], name)
                for name in ("home", "article")
            }
    (REPORTS / "audit.json").write_text(json.dumps(results, indent=2) + "\n")

    total = results["bytes"]["total"]
    print(
        f"JS+CSS: {total['raw']:,} B raw, {total['gzip_served']:,} B gzipped as "
        f"served, {total['gzip_9']:,} B at gzip -9"
    )
    for page, violations in results["axe"].items():
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        print(
            f"axe {page:14} {len(serious)} serious/critical, {len(violations)} in all"
            + "".join(f"  [{v['impact']}] {v['id']} x{v['nodes']}" for v in violations)
        )
    for page, scores in results.get("lighthouse", {}).items():
        print(f"lighthouse {page}: {scores}")


if __name__ == "__main__":
    main()
