"""The program a demo's own Python process runs: limits, then each block of the job, in order.

Standalone on purpose (the runner passes this file's text to `python -c`), so it imports nothing
from `tooling` and the demo cannot reach the tool's modules. It reads `job.json` from the folder
given as its argument, sends each block's stdout and stderr (file descriptors 1 and 2, so C-level
writes are caught too) to `<i>.out` and `<i>.err` there, and appends one JSON line per finished
block to `results.jsonl`. The parent kills the process when a block outlives its timeout; what was
written so far stays readable.
"""

import json
import os
import sys


def _limit(memory_mb: int, output_mb: int, cpu_seconds: int) -> None:
    """Cap the address space (a memory hog gets MemoryError), file sizes (a runaway print gets an
    error instead of filling the disk) and CPU time (a backstop should the parent die before it
    can kill us); no core dumps."""
    import resource
    import signal

    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    size = output_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the cap fail with EFBIG instead


def _orphan_watch() -> None:
    """End this process if the runner that started it dies (we would be adopted by another)."""
    import threading
    import time

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


def main() -> None:
    folder = sys.argv[1]
    with open(os.path.join(folder, "job.json"), encoding="utf-8") as handle:
        job = json.load(handle)
    _limit(job["memory_mb"], job["output_mb"], job["cpu_seconds"])
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


if __name__ == "__main__":
    main()
