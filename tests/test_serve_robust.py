"""`kb serve` under stress (issue 17): its temporary site goes on SIGTERM and SIGHUP as on Ctrl-C,
a taken port is a sentence (not exit 70), an encoded NUL is a bad request, idle connections are
closed, and 200 readers at once all get their page."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from helpers import REPO, write_base
from site_helpers import poll

NOTES = {"papers/p.md": "---\ntitle: Paper P\n---\nText.\n"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(root: Path, port: int, temp: Path, idle: float | None = None) -> subprocess.Popen[str]:
    patch = f"import tooling.site.serve as s; s.IDLE_SECONDS = {idle}\n" if idle else ""
    program = (f"{patch}from tooling.cli import main\n"
               f"main(['serve', '--root', {str(root)!r}, '-a', '127.0.0.1:{port}'])\n")
    return subprocess.Popen([sys.executable, "-c", program], cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "TMPDIR": str(temp)})


@pytest.fixture
def served(tmp_path):
    """A running `kb serve` (its TMPDIR a folder of the test's): (process, base URL, TMPDIR)."""
    root = write_base(tmp_path / "kb", NOTES)
    temp = tmp_path / "tmp"
    temp.mkdir()
    port = free_port()
    process = start(root, port, temp, idle=1)
    url = f"http://127.0.0.1:{port}/"
    text, _ = poll(url + "papers/p/", "Paper P")
    assert text is not None, "kb serve never served the page"
    yield process, url, temp
    if process.poll() is None:
        process.kill()
        process.wait()


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGHUP])
def test_the_temporary_site_is_removed_on_sigterm_and_sighup(served, how):
    process, _, temp = served
    assert [p.name[:9] for p in temp.iterdir()] == ["kb-serve-"]
    process.send_signal(how)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert list(temp.iterdir()) == []


def test_an_encoded_nul_is_a_bad_request(served):
    _, url, _ = served
    for path in ("%00", "papers/%00/", "papers/p%00.html"):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(url + path, timeout=10)
        assert error.value.code in (400, 404), path


def test_an_idle_connection_is_closed(served):
    _, url, _ = served
    port = int(url.rsplit(":", 1)[1].strip("/"))
    with socket.create_connection(("127.0.0.1", port), timeout=30) as idle:
        assert idle.recv(1) == b""  # the server closed it (IDLE_SECONDS is 1 here)
    assert poll(url + "papers/p/", "Paper P", timeout=10)[0] is not None  # and still serves


def test_two_hundred_readers_at_once_are_all_answered(served):
    _, url, _ = served
    answers: list[int] = []
    start_line = threading.Barrier(200)

    def read() -> None:
        start_line.wait()
        try:
            with urllib.request.urlopen(url + "papers/p/", timeout=60) as response:
                answers.append(response.status)
        except OSError:
            answers.append(0)

    readers = [threading.Thread(target=read) for _ in range(200)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert answers.count(200) == 200


def test_a_taken_port_is_a_clear_error(tmp_path):
    root = write_base(tmp_path / "kb", NOTES)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        began = time.monotonic()
        process = start(root, port, tmp_path)
        _, err = process.communicate(timeout=120)
    assert process.returncode == 1, err
    assert f"error: cannot serve on 127.0.0.1:{port}: Address already in use" in err
    assert "internal error" not in err and time.monotonic() - began < 60  # refused before building
