"""A throwaway varnishd of our own in front of one or more app instances, with
the project's VCL (``deploy/varnish/default.vcl``).

``with varnish_child(backends=[("127.0.0.1", 8001), ...]) as cache:`` writes
the deploy's VCL with those backends (round robin, the deploy's health probe)
in place of its single ``web:8000``, starts ``varnishd`` in the foreground on
a free loopback port (its work directory in a temporary folder), waits until
it answers, and stops it (and only it) afterwards. ``port=`` fixes the port
(the app's ``VARNISH_PURGE_URLS`` must name it before the app starts).
``static_bytes=`` also stores an object of that many bytes at
:data:`STATIC_PATH`, made by Varnish itself: the tier's floor in
``bench/scale.py``.
"""

import json
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from harness.server import ROOT, free_port

VCL = ROOT / "deploy" / "varnish" / "default.vcl"
STATIC_PATH = "/__static__"
_BACKEND = re.compile(r"backend default \{.*?\n\}\n", re.S)


class VarnishMissing(RuntimeError):
    pass


def available() -> bool:
    return shutil.which("varnishd") is not None


@dataclass
class Varnish:
    url: str
    port: int
    workdir: Path
    process: subprocess.Popen

    def stats(self) -> dict[str, int]:
        """varnishstat's counters (``MAIN.cache_hit``, ``MAIN.cache_miss``, ...)."""
        out = subprocess.run(
            ["varnishstat", "-n", str(self.workdir / "n"), "-1", "-j"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        counters = json.loads(out)
        counters = counters.get("counters", counters)
        return {
            name: value["value"]
            for name, value in counters.items()
            if isinstance(value, dict) and "value" in value
        }


def vcl_for(backends: list[tuple[str, int]], *, static_bytes: int = 0) -> str:
    """The deploy's VCL, its backend replaced by ``backends`` (round robin)."""
    source = VCL.read_text()
    match = _BACKEND.search(source)
    template = match.group(0)
    defined = []
    for number, (host, port) in enumerate(backends):
        block = template.replace("backend default", f"backend app{number}")
        block = block.replace('"web"', f'"{host}"').replace('"8000"', f'"{port}"')
        defined.append(block)
    adds = [
        "import directors;",
        *defined,
        "sub vcl_init {\n    new apps = directors.round_robin();",
        *(f"    apps.add_backend(app{n});" for n in range(len(backends))),
        "}",
        "sub vcl_recv {\n    set req.backend_hint = apps.backend();",
    ]
    if static_bytes:
        adds.append(f'    if (req.url == "{STATIC_PATH}") {{ return (hash); }}')
    adds.append("}")
    if static_bytes:
        # Never answered by a backend: Varnish makes it and keeps it.
        adds += [
            'backend nowhere { .host = "127.0.0.1"; .port = "1"; }',
            "sub vcl_backend_fetch {",
            f'    if (bereq.url == "{STATIC_PATH}") {{',
            "        set bereq.backend = nowhere;",
            "    }",
            "}",
            "sub vcl_backend_error {",
            f'    if (bereq.url == "{STATIC_PATH}") {{',
            "        set beresp.status = 200;",
            '        set beresp.http.Content-Type = "application/json";',
            "        set beresp.ttl = 1h;",
            f'        synthetic("{"x" * static_bytes}");',
            "        return (deliver);",
            "    }",
            "}",
        ]
    return source.replace(template, "\n".join(adds) + "\n")


@contextmanager
def varnish_child(
    *,
    backends: list[tuple[str, int]],
    port: int | None = None,
    static_bytes: int = 0,
    memory: str = "256m",
):
    if not available():
        raise VarnishMissing("varnishd not installed (apt-get install varnish)")
    workdir = Path(tempfile.mkdtemp(prefix="newsdesk-varnish-"))
    # Run as root, varnishd reads the VCL as its own unprivileged user.
    workdir.chmod(0o755)
    port = port or free_port()
    vcl = workdir / "default.vcl"
    vcl.write_text(vcl_for(backends, static_bytes=static_bytes))
    process = None
    try:
        with (workdir / "varnishd.out").open("w") as out:
            process = subprocess.Popen(
                [
                    shutil.which("varnishd"),
                    "-F",
                    *("-n", str(workdir / "n")),
                    *("-a", f"127.0.0.1:{port}"),
                    *("-T", "127.0.0.1:0"),
                    *("-f", str(vcl)),
                    *("-s", f"malloc,{memory}"),
                    # A purged or expired answer is fetched anew, never queued
                    # behind a slow fetch for long.
                    *("-p", "default_grace=0"),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url, process, workdir)
        yield Varnish(url=url, port=port, workdir=workdir, process=process)
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def _wait_until_up(url: str, process: subprocess.Popen, workdir: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (workdir / "varnishd.out").read_text(errors="replace")
            raise RuntimeError(f"varnishd exited while starting:\n{log}")
        try:
            request = urllib.request.Request(url + "/healthz/", method="HEAD")
            urllib.request.urlopen(request, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # Varnish answers (the backend may not yet)
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("varnishd did not answer in time")
