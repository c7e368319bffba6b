"""The program a demo's own Python process runs: a supervisor, and under it the blocks, in order.

Standalone on purpose (the runner passes this file's text to `python -c`), so it imports nothing
from `tooling` and the demo cannot reach the tool's modules. It reads `job.json` from the folder
given as its argument.

The process the runner starts (in a session of its own) is the **supervisor**: it adopts every
orphan below it (Linux `PR_SET_CHILD_SUBREAPER`, so a daemon that calls `setsid` and forks stays
its descendant), forks the **worker** that runs the blocks, and when the worker ends, or the
runner asks (SIGTERM), or the runner dies (`PR_SET_PDEATHSIG`, else a poll of the parent), it
kills everything below it. When the runner died it also removes the demo's temporary folder. It
watches the total size of that folder (the disk budget) and stops the demo past it.

The worker sets its limits (address space, file size, CPU time, number of processes, no core
dumps), sends each block's stdout and stderr (file descriptors 1 and 2, so C-level writes are
caught too) to `<i>.out` and `<i>.err`, and appends one JSON line per finished block to
`results.jsonl`; what was written before a kill stays readable.
"""

import json
import os
import signal
import sys
import time

POLL = 0.05  # seconds between the supervisor's looks at the worker
DISK_EVERY = 0.5  # seconds between two measures of the temporary folder


def _prctl(option: int, value: int) -> bool:
    """Linux prctl(2); False where there is none."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except Exception:
        return False


PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER = 1, 36


def _limit(job: dict) -> None:
    """Cap the address space (a memory hog gets MemoryError), file sizes (a runaway print gets an
    error instead of filling the disk), CPU time (a backstop should everyone above die), the
    processes the user may have (a fork bomb gets an error) and core dumps."""
    import resource

    cpu = job["cpu_seconds"]
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    memory = job["memory_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    size = job["output_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Counted over all the user's processes and threads: what exists now plus the demo's share.
    tasks = _user_tasks() + job["processes"]
    try:
        resource.setrlimit(resource.RLIMIT_NPROC, (tasks, tasks))
    except (ValueError, OSError):
        pass
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the cap fail with EFBIG instead


def _user_tasks() -> int:
    """Processes and threads of this user now (what RLIMIT_NPROC counts)."""
    uid, count = os.getuid(), 0
    try:
        names = os.listdir("/proc")
    except OSError:
        return 0
    for name in names:
        if name.isdigit():
            try:
                info = os.stat(f"/proc/{name}/task")
            except OSError:
                continue
            if info.st_uid == uid:
                count += max(info.st_nlink - 2, 1)
    return count


def _orphan_watch() -> None:
    """End the worker if its supervisor dies (it would be adopted by another process)."""
    import threading

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _figures() -> list:
    """SVG text of every open matplotlib figure, then close them; only when the demo imported
    pyplot (importing it ourselves would cost every demo ~0.5 s)."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None:
        return []
    import io

    plt.rcParams["svg.hashsalt"] = "kb-demo"  # stable ids: the same figure gives the same bytes
    found = []
    for number in plt.get_fignums():
        buffer = io.StringIO()
        try:
            plt.figure(number).savefig(buffer, format="svg", metadata={"Date": None})
        except Exception as exc:
            print(f"could not save figure {number}: {type(exc).__name__}: {exc}", file=sys.stderr)
        else:
            found.append(buffer.getvalue())
    plt.close("all")
    return found


def _traceback(exc: BaseException) -> str:
    """The traceback from the demo's first frame on (the driver's own frames left out)."""
    import traceback

    tb = exc.__traceback__
    while tb is not None and not tb.tb_frame.f_code.co_filename.startswith("<demo"):
        tb = tb.tb_next
    text = "".join(traceback.format_exception(type(exc), exc, tb))
    # Library frames by module path (numpy/_core/numeric.py), not the builder's folders.
    for folder in sorted((p for p in sys.path if os.path.isabs(p)), key=len, reverse=True):
        text = text.replace(f'File "{folder.rstrip(os.sep)}{os.sep}', 'File "')
    return text


def _run(code: str, filename: str, namespace: dict) -> tuple:
    """Run one block in the namespace; return (status, error text or None)."""
    import linecache

    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    try:
        exec(compile(code, filename, "exec"), namespace)
    except SystemExit as exc:
        if exc.code in (None, 0):
            return "ok", None
        return "error", f"the demo exited with status {exc.code}"
    except MemoryError as exc:
        namespace.clear()  # free what the demo holds, so reporting it still has room
        try:
            return "memory", _traceback(exc)
        except MemoryError:
            return "memory", "MemoryError"
    except BaseException as exc:
        return "error", _traceback(exc)
    return "ok", None


def work(folder: str, job: dict) -> None:
    """The worker: limits, then each block in order; never returns."""
    _limit(job)
    _orphan_watch()
    results = open(os.path.join(folder, "results.jsonl"), "a", encoding="utf-8")
    saved = os.dup(1), os.dup(2)
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    sys.argv = ["demo"]
    blocks = job["blocks"]
    for index, code in enumerate(blocks):
        filename = "<demo>" if len(blocks) == 1 else f"<demo {index + 1}>"
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, suffix in ((1, "out"), (2, "err")):
            target = os.open(os.path.join(folder, f"{index}.{suffix}"),
                             os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(target, fd)
            os.close(target)
        status, error = _run(code, filename, namespace)
        try:
            figures = _figures() if status == "ok" else []
        except Exception as exc:
            figures = []
            print(f"could not save the figures: {type(exc).__name__}: {exc}", file=sys.stderr)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        results.write(json.dumps({"index": index, "status": status, "error": error,
                                  "figures": figures}) + "\n")
        results.flush()
        if status != "ok":
            break  # later blocks of a session depend on this one
    results.close()
    os._exit(0)  # threads the demo left running do not keep the process alive


# --- the supervisor ---------------------------------------------------------------------------

def _descendants(root: int) -> list:
    """Every process below `root`, from the kernel's parent links."""
    children: dict = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return []
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()  # after "pid (command) "
        if len(fields) > 1:
            children.setdefault(int(fields[1]), []).append(int(name))
    found, pending = [], [root]
    while pending:
        for child in children.get(pending.pop(), ()):
            found.append(child)
            pending.append(child)
    return found


def kill_below() -> None:
    """Kill every process below this one and reap them (orphans come back to us: we are their
    subreaper), until none is left."""
    me = os.getpid()
    for _ in range(100):
        below = _descendants(me)
        if not below:
            break
        for pid in below:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        _reap(wait=0.2)
    _reap(wait=0)


def _reap(wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if time.monotonic() >= deadline:
                return
            time.sleep(0.01)


def _folder_size(top: str) -> int:
    total, pending = 0, [top]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                else:
                    total += entry.stat(follow_symlinks=False).st_blocks * 512
            except OSError:
                continue
    return total


class Stop(Exception):
    """The runner asked us to stop, or died."""


def supervise(folder: str, job: dict) -> None:
    """Run the worker and clean up after it, whatever happens; never returns."""
    temp = os.path.dirname(os.path.abspath(folder))
    runner = os.getppid()
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)

    def stop(signum: int, frame: object) -> None:
        raise Stop

    for name in ("SIGTERM", "SIGHUP", "SIGINT"):
        signal.signal(getattr(signal, name), stop)
    worker = os.fork()
    if worker == 0:
        for name in ("SIGTERM", "SIGHUP", "SIGINT"):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
        try:
            work(folder, job)
        finally:
            os._exit(1)
    status, orphaned, measured = 0, False, 0.0
    budget = job["disk_mb"] * 1024 * 1024
    try:
        if os.getppid() != runner:
            raise Stop
        while True:
            done, status = os.waitpid(worker, os.WNOHANG)
            if done:
                break
            if os.getppid() != runner:  # no PDEATHSIG here: the runner is gone
                raise Stop
            now = time.monotonic()
            if now - measured > DISK_EVERY:
                measured = now
                if _folder_size(temp) > budget:
                    print(f"the demo wrote more than {job['disk_mb']} MB to its folder and was "
                          "stopped", file=sys.stderr, flush=True)
                    status = -1
                    break
            time.sleep(POLL)
    except Stop:
        orphaned = os.getppid() != runner
    for name in ("SIGTERM", "SIGHUP", "SIGINT"):
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    kill_below()
    if orphaned:  # nobody is left to read the results or to remove the folder
        import shutil

        shutil.rmtree(temp, ignore_errors=True)
    if status == -1:
        os._exit(3)
    if os.WIFSIGNALED(status):  # end as the worker ended, so the runner can say why
        signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
        os.kill(os.getpid(), os.WTERMSIG(status))
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def main() -> None:
    folder = sys.argv[1]
    with open(os.path.join(folder, "job.json"), encoding="utf-8") as handle:
        job = json.load(handle)
    supervise(folder, job)


if __name__ == "__main__":
    main()
