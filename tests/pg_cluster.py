"""A throwaway PostgreSQL cluster of a test's own, on a Unix socket, that the test may stop and
start (the database "gone" under the app). Never stop the suite's shared cluster instead: the
other test worker's tests would fail while it is down."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from glob import glob
from pathlib import Path

import pytest

from tests.conftest import WAIT


def _pg_bin() -> str | None:
    found = sorted(glob("/usr/lib/postgresql/*/bin"))
    return found[-1] if found and os.access(f"{found[-1]}/initdb", os.X_OK) else None


class Cluster:
    """A throwaway PostgreSQL cluster on a Unix socket, that the test stops and starts."""

    def __init__(self, pg_bin: str) -> None:
        self.pg_bin = pg_bin
        self.dir = Path(tempfile.mkdtemp(prefix="parole-failing-"))
        self.as_pg = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        if self.as_pg:
            shutil.chown(self.dir, "postgres")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self._run("initdb", "-D", f"{self.dir}/data", "-U", "parole", "--auth=trust", "-E", "UTF8")
        self.start()

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self.as_pg, f"{self.pg_bin}/{args[0]}", *args[1:]],
            check=True,
            capture_output=True,
            timeout=WAIT,
        )

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://parole@/postgres?host={self.dir}&port={self.port}"

    def start(self) -> None:
        self._run(
            "pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/log", "-w", "-t", str(int(WAIT)),
            "-o", f"-p {self.port} -k {self.dir} -c listen_addresses='' -c fsync=off",
            "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with suppress(subprocess.CalledProcessError):
            self._run("pg_ctl", "-D", f"{self.dir}/data", "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def cluster() -> Iterator[Cluster]:
    pg_bin = _pg_bin()
    if pg_bin is None:
        pytest.skip("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin")
    made = Cluster(pg_bin)
    try:
        yield made
    finally:
        made.remove()
