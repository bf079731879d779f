"""Read the runtime stage of the Dockerfile, so check_deploy.sh runs what it says.

    python scripts/dockerfile_runtime.py env|cmd|healthcheck [Dockerfile]

prints the final stage's ENV (``NAME=value``, except PATH), its CMD or its
HEALTHCHECK command, one item per NUL-terminated field for ``mapfile -d ''``.
It parses with the ``dockerfile`` package (BuildKit's own parser), and exits 1
with a message when the Dockerfile breaks a rule the deployment relies on: exec
form CMD and HEALTHCHECK, a numeric non-root USER, no SECRET_KEY in any ENV/ARG.
"""

import sys

import dockerfile


class DockerfileError(Exception):
    pass


def runtime_stage(commands: tuple) -> list:
    """The instructions after the last FROM (the stage that becomes the image)."""
    starts = [i for i, command in enumerate(commands) if command.cmd == "FROM"]
    if not starts:
        raise DockerfileError("no FROM instruction")
    return list(commands[starts[-1] + 1 :])


def check_rules(commands: tuple) -> None:
    for command in commands:
        if command.cmd in {"ENV", "ARG"}:
            names = command.value[::2] if command.cmd == "ENV" else command.value
            if any(name.split("=")[0] == "SECRET_KEY" for name in names):
                raise DockerfileError(
                    f"line {command.start_line}: SECRET_KEY in {command.cmd} would "
                    "be baked into the image; pass it inline to the one RUN line"
                )
    users = [c for c in runtime_stage(commands) if c.cmd == "USER"]
    user = users[-1].value[0] if users else "root"
    uid = user.split(":")[0]
    if not uid.isdigit() or uid == "0":
        raise DockerfileError(
            f"the runtime stage runs as {user!r}; use a numeric non-root USER"
        )


def last(stage: list, name: str):
    found = [command for command in stage if command.cmd == name]
    if not found:
        raise DockerfileError(f"the runtime stage has no {name}")
    return found[-1]


def runtime_env(stage: list) -> list[str]:
    pairs = []
    for command in stage:
        if command.cmd == "ENV":
            values = command.value
            pairs += [
                f"{k}={v}" for k, v in zip(values[::2], values[1::2], strict=True)
            ]
    return [pair for pair in pairs if not pair.startswith("PATH=")]


def runtime_command(stage: list, name: str) -> list[str]:
    command = last(stage, name)
    argv = list(command.value)
    if name == "HEALTHCHECK":
        if argv[:1] != ["CMD"]:
            raise DockerfileError("HEALTHCHECK must be `HEALTHCHECK [options] CMD`")
        argv = argv[1:]
    if not command.json:
        raise DockerfileError(f"{name} must use the exec (JSON array) form")
    return argv


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2) or argv[0] not in {"env", "cmd", "healthcheck"}:
        print(__doc__, file=sys.stderr)
        return 2
    path = argv[1] if len(argv) == 2 else "Dockerfile"
    try:
        commands = dockerfile.parse_file(path)
        check_rules(commands)
        stage = runtime_stage(commands)
        if argv[0] == "env":
            items = runtime_env(stage)
        else:
            items = runtime_command(stage, argv[0].upper())
    except (DockerfileError, dockerfile.GoParseError) as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write("".join(f"{item}\0" for item in items))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
