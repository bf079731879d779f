"""``manage.py repeat --every N COMMAND``: the periodic processes of the
Procfile and docker-compose.yml (publish_scheduled)."""

import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from harness.server import ROOT, migrated_sqlite


def test_refuses_what_could_never_work():
    with pytest.raises(CommandError):
        call_command("repeat", "--every", "0", "publish_scheduled")
    with pytest.raises(CommandError):
        call_command("repeat", "--every", "1", "no_such_command")
    with pytest.raises(CommandError):
        call_command("repeat", "--every", "1", "publish_scheduled", "+", "nope")
    with pytest.raises(CommandError):
        call_command("repeat", "--every", "1", "publish_scheduled", "+", "+", "check")


@pytest.mark.slow  # starts manage.py repeat
def test_runs_the_command_again_and_again(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
        "PATH": "/usr/bin:/bin",
    }
    migrated_sqlite(tmp_path / "db.sqlite3", env=env)
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "repeat",
            "--every",
            "0.2",
            "publish_scheduled",
            "--dryrun",
            "+",
            "record_changes",
            "--verbosity",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    runs = recordings = 0
    try:
        for _ in range(200):
            line = process.stdout.readline()
            runs += "Will do a dry run." in line
            recordings += "changes recorded" in line
            if recordings == 3:
                break
        assert process.poll() is None  # still going
    finally:
        process.kill()
        process.wait(timeout=10)
    assert runs == recordings == 3
