"""The Dockerfile's start and health-check commands, read from it and run from an installed
environment: `make package-check` tries what the image would run, without a Docker engine.

    python scripts/container_commands.py Dockerfile      (scripts/check-package.sh runs it)

With the portal's virtual environment first on PATH and the production environment set, it starts
the final stage's CMD on a free loopback port (``STYRMODELL_BIND``), runs the HEALTHCHECK's command
until it passes, stops the server, and checks that the health check then fails. Paths the
Dockerfile copies from the checkout (``COPY scripts/healthcheck.py /usr/local/bin/...``) are run
from the checkout.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Stage:
    """One stage of a Dockerfile: what it starts from and the instructions that matter here."""

    base: str
    user: str = "root"
    cmd: list[str] = field(default_factory=list)
    healthcheck: list[str] = field(default_factory=list)
    # Path in the image → path in the checkout, for the files copied from the build context.
    copied: dict[str, str] = field(default_factory=dict)
    run: list[str] = field(default_factory=list)


def read_dockerfile(path: Path) -> list[Stage]:
    """The stages of a Dockerfile, its continuation lines joined and its comments left out.

    Only the exec (JSON) form of CMD and HEALTHCHECK is read: the shell form would need a shell
    the image may not run the same way.
    """
    stages: list[Stage] = []
    for line in _instructions(path.read_text()):
        instruction, _, argument = line.partition(" ")
        instruction, argument = instruction.upper(), argument.strip()
        if instruction == "FROM":
            stages.append(Stage(base=argument.split()[0]))
        elif instruction == "USER":
            stages[-1].user = argument
        elif instruction == "CMD":
            stages[-1].cmd = json.loads(argument)
        elif instruction == "HEALTHCHECK":
            stages[-1].healthcheck = json.loads(argument.split(" CMD ", 1)[1])
        elif instruction == "COPY" and not argument.startswith("--"):
            source, destination = argument.split()
            stages[-1].copied[destination] = source
        elif instruction == "RUN":
            stages[-1].run.append(argument)
    return stages


def _instructions(text: str) -> list[str]:
    lines, current = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1].strip() + " "
            continue
        lines.append(current + line)
        current = ""
    return lines


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main(dockerfile: Path) -> None:
    image = read_dockerfile(dockerfile)[-1]
    checkout = dockerfile.resolve().parent
    healthcheck = [
        str(checkout / image.copied[arg]) if arg in image.copied else arg for arg in image.healthcheck
    ]
    environment = {**os.environ, "STYRMODELL_BIND": f"127.0.0.1:{free_port()}", "WEB_CONCURRENCY": "2"}

    def healthy() -> bool:
        return subprocess.run(healthcheck, env=environment, capture_output=True).returncode == 0

    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(image.cmd, env=environment, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while not healthy():
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    sys.exit(
                        f"The image's CMD {image.cmd} did not pass its HEALTHCHECK {healthcheck}:\n"
                        + log.read().decode(errors="replace")
                    )
                time.sleep(0.5)
        finally:
            server.terminate()
            server.wait(timeout=30)
    if healthy():
        sys.exit(f"The HEALTHCHECK {healthcheck} passed with no server running")
    print(
        f"the image's CMD ({' '.join(image.cmd)}) served and its HEALTHCHECK passed, then failed once stopped"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
