"""``bench.run.cpu_seconds``: the CPU a server spent, read from ``/proc`` for a process and its children.

The bench divides these seconds into the requests served for the CPU per request that
docs/deployment.md sizes servers from, so they are checked against processes that burn a known
amount of CPU.
"""

import subprocess
import sys
import textwrap

import pytest
from django.db import connection

from bench.run import cpu_seconds, database_server_pid

BURN = textwrap.dedent(
    """
    import sys, time
    end = time.process_time() + float(sys.argv[1])
    while time.process_time() < end:
        pass
    print("burnt", flush=True)
    """
)
# A parent that burns nothing itself: one child burns and ends (the parent waits for it), another
# burns and stays alive; then the parent waits to be read.
PARENT = textwrap.dedent(
    f"""
    import subprocess, sys, time
    burn = {BURN!r}
    subprocess.run([sys.executable, "-c", burn, "0.5"], stdout=subprocess.DEVNULL, check=True)
    alive = subprocess.Popen(
        [sys.executable, "-c", burn + "time.sleep(120)", "0.5"], stdout=subprocess.PIPE, text=True
    )
    alive.stdout.readline()
    print("ready", flush=True)
    time.sleep(120)
    """
)


@pytest.fixture
def started():
    """Start a Python program, wait for its first line, and stop it (and its children) afterwards."""
    processes = []

    def start(program: str, *args: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-c", program, *args], stdout=subprocess.PIPE, text=True, start_new_session=True
        )
        processes.append(process)
        process.stdout.readline()
        return process

    yield start
    for process in processes:
        subprocess.run(["kill", "--", f"-{process.pid}"], check=False)
        process.wait(timeout=10)


def test_a_process_that_burnt_half_a_second_counts_that_and_no_more_while_it_sleeps(started):
    busy = started(BURN + "import time\ntime.sleep(120)", "0.5")

    spent = cpu_seconds(busy.pid)

    # Half a second of the loop, and the interpreter's start (well under a second even on a busy machine).
    assert 0.5 <= spent < 1.5
    assert cpu_seconds(busy.pid) == spent


def test_the_time_of_a_child_that_ended_and_of_one_still_running_both_count_for_the_parent(started):
    parent = started(PARENT)

    # Two children of half a second each. Without the ended child's time (which moved into the
    # parent's cutime when it was waited for), or without the live child's, it would be under 1.0.
    assert 1.0 <= cpu_seconds(parent.pid) < 3.0


@pytest.mark.django_db
def test_the_database_server_is_found_on_this_machine_and_its_cpu_grows_with_a_query():
    server = database_server_pid()
    if connection.vendor != "postgresql":
        assert server is None  # SQLite runs inside the application: no server of its own.
        return
    before = cpu_seconds(server)

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM generate_series(1, 3000000)")
        assert cursor.fetchone() == (3000000,)

    # The query runs in this connection's backend, a child of the server's main process.
    assert cpu_seconds(server) - before >= 0.1
