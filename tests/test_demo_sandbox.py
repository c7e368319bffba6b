"""The demo sandbox (issue 17): a demo's processes never outlive it, daemons included, whether it
ends, times out or `kb` itself is killed; a `kb` that dies leaves no temporary folder; HOME is the
demo's own folder, and the disk it may fill and the processes it may start are bounded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import REPO

from tooling.demos import RunSettings, run_blocks

# A daemon as daemons are made: fork, setsid, fork again; the grandchild writes its pid.
DAEMON = """\
import os, sys, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        open({pid_file!r}, "w").write(str(os.getpid()))
        time.sleep(600)
    os._exit(0)
time.sleep(0.5)
"""


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


def wait_for(path: Path, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while not (path.exists() and path.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return path.read_text()


def test_a_daemon_the_demo_started_is_killed_when_the_demo_ends(tmp_path):
    pid_file = tmp_path / "daemon.pid"
    result = run_blocks([DAEMON.format(pid_file=str(pid_file)) + "print('done')\n"], [20])[0]
    assert result.status == "ok", result.error
    pid = int(wait_for(pid_file))
    assert gone(pid), "a setsid daemon outlived its demo"


def test_a_daemon_is_killed_when_the_demo_times_out(tmp_path):
    pid_file = tmp_path / "daemon.pid"
    code = DAEMON.format(pid_file=str(pid_file)) + "while True:\n    pass\n"
    result = run_blocks([code], [2])[0]
    assert result.status == "timeout"
    assert gone(int(wait_for(pid_file))), "a setsid daemon outlived a demo that timed out"


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_killing_kb_kills_the_demo_its_daemons_and_removes_its_folder(tmp_path, how):
    pid_file, temp = tmp_path / "daemon.pid", tmp_path / "tmp"
    temp.mkdir()
    code = DAEMON.format(pid_file=str(pid_file)) + "while True:\n    pass\n"
    runner = subprocess.Popen([sys.executable, "-c", "from tooling.demos import run_blocks\n"
                               f"run_blocks([{code!r}], [120])\n"],
                              cwd=REPO, env={**os.environ, "TMPDIR": str(temp)})
    daemon = int(wait_for(pid_file))
    folders = list(temp.iterdir())
    assert [f.name[:8] for f in folders] == ["kb-demo-"]
    runner.send_signal(how)  # kb dies without running any cleanup of its own
    runner.wait()
    assert gone(daemon), "the demo's daemon outlived kb"
    deadline = time.monotonic() + 10
    while list(temp.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(temp.iterdir()) == [], "the demo's temporary folder stayed"


def test_home_is_the_demos_own_temporary_folder():
    result = run_blocks(["import os\nprint(os.path.expanduser('~'))\nprint(os.getcwd())\n"], [20])[0]
    home, cwd = result.stdout.split()
    assert os.path.basename(home).startswith("kb-demo-") and cwd == os.path.join(home, "work")
    assert home != os.path.expanduser("~")


def test_a_demo_filling_the_disk_past_its_budget_is_stopped():
    code = ("chunk = b'x' * 1024 * 1024\nfor n in range(40):\n"
            "    open(f'file{n}', 'wb').write(chunk)\nimport time\ntime.sleep(3)\nprint('finished')\n")
    result = run_blocks([code], [30], RunSettings(disk_mb=8))[0]
    assert result.status == "error" and "finished" not in result.stdout
    assert "wrote more than 8 MB to its folder" in result.error


def test_the_demos_processes_are_bounded():
    """RLIMIT_NPROC counts all the user's tasks: the demo gets what exists now plus its share
    (root is exempt from it, so the limit is checked, not a fork bomb)."""
    tasks = sum(os.stat(f"/proc/{p}/task").st_nlink - 2 for p in os.listdir("/proc")
                if p.isdigit() and os.path.exists(f"/proc/{p}/task")
                and os.stat(f"/proc/{p}/task").st_uid == os.getuid())
    code = "import resource\nprint(resource.getrlimit(resource.RLIMIT_NPROC)[0])\n"
    limit = int(run_blocks([code], [20], RunSettings(processes=10))[0].stdout)
    assert 0 < limit - tasks < 10 + 500  # other programs of the user may start or end meanwhile
