"""Vendor the site's third-party browser assets from the npm registry, reproducibly.

    python -m tooling.site.vendor          download, verify, extract, record hashes
    python -m tooling.site.vendor --check  verify the committed files against the recorded hashes
    python -m tooling.site.vendor pyodide  fetch the in-browser Python runtime (not committed: see
                                           runtime.py)

The manifest (`vendor.json`) pins each package's version, tarball URL and registry integrity; the
extracted files' sha256 are recorded there too, so a test can prove the committed bytes are exactly
those of the pinned releases. A bundle is one file made of several packages' files, joined in the
manifest's order (the graph's d3: each d3 module's own minified build adds itself to the global
`d3`, so joining the modules the graph uses, dependencies first, makes a d3 with only those parts;
no bundler, no build step of ours). Only this script touches the network, and only the npm registry.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "vendor.json"
DEST = HERE / "docs" / "assets" / "vendor"
TEST_DEST = HERE.parent.parent / "tests" / "data" / "vendor"  # packages marked "for": "tests"
TEST_PREFIX = "tests:"  # their keys in the sha256 table


def _dest(key: str) -> Path:
    return TEST_DEST / key[len(TEST_PREFIX):] if key.startswith(TEST_PREFIX) else DEST / key


def _download(package: dict) -> bytes:
    """The package tarball, through npm (the registry's own client) when it is installed."""
    import shutil
    import subprocess
    import tempfile

    npm = shutil.which("npm")
    if npm is None:
        with urllib.request.urlopen(package["tarball"], timeout=60) as response:
            return bytes(response.read())
    with tempfile.TemporaryDirectory() as folder:
        name = package["tarball"].rsplit("/-/", 1)[0].rsplit("registry.npmjs.org/", 1)[-1]
        subprocess.run([npm, "pack", "--silent", "--pack-destination", folder,
                        f"{name}@{package['version']}"], check=True, capture_output=True)
        return next(Path(folder).glob("*.tgz")).read_bytes()


def _verify_integrity(data: bytes, integrity: str) -> None:
    algorithm, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if digest != expected:
        raise SystemExit(f"integrity mismatch: expected {integrity}, got {algorithm}-{digest}")


def _extract(data: bytes, files: dict[str, str]) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            if not member.isfile():
                continue
            for pattern, target in files.items():
                if fnmatch.fnmatch(member.name, pattern):
                    name = target + member.name.rsplit("/", 1)[-1] if target.endswith("/") else target
                    extracted = archive.extractfile(member)
                    if extracted is not None:
                        out[name] = extracted.read()
    return out


def bundle(parts: list[dict]) -> dict[str, bytes]:
    """A bundle's files: the parts' `file`s joined in order under the key "", and any other files
    the parts list (a licence)."""
    joined, out = [], {}
    for part in parts:
        data = _download(part)
        _verify_integrity(data, part["integrity"])
        found = _extract(data, {part["file"]: "\0", **part.get("files", {})})
        joined.append(found.pop("\0").rstrip(b"\n") + b"\n")
        out.update(found)
        print(f"  {part['package']} {part['version']}: ok")
    return {"": b"".join(joined), **out}


def _write(rel: str, content: bytes, hashes: dict[str, str]) -> None:
    path = _dest(rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    hashes[rel] = hashlib.sha256(content).hexdigest()


def vendor() -> None:
    manifest = json.loads(MANIFEST.read_text())
    hashes: dict[str, str] = {}
    for name, package in manifest["packages"].items():
        data = _download(package)
        _verify_integrity(data, package["integrity"])
        prefix = TEST_PREFIX if package.get("for") == "tests" else ""
        for rel, content in sorted(_extract(data, package["files"]).items()):
            _write(prefix + rel, content, hashes)
        print(f"{name} {package['version']}: ok")
    for output, spec in manifest.get("bundles", {}).items():
        for rel, content in sorted(bundle(spec["parts"]).items()):
            _write(rel or output, content, hashes)
        print(f"{output}: ok")
    manifest["sha256"] = dict(sorted(hashes.items()))
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n")


def check() -> list[str]:
    """Problems with the committed vendored files (empty when they match the manifest)."""
    recorded = json.loads(MANIFEST.read_text())["sha256"]
    problems = []
    for rel, expected in recorded.items():
        path = _dest(rel)
        if not path.is_file():
            problems.append(f"missing {rel}")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != expected:
            problems.append(f"changed {rel}")
    extra = ({p.relative_to(DEST).as_posix() for p in DEST.rglob("*") if p.is_file()}
             | {TEST_PREFIX + p.relative_to(TEST_DEST).as_posix() for p in TEST_DEST.rglob("*")
                if p.is_file()}) - set(recorded)
    problems.extend(f"unrecorded {rel}" for rel in sorted(extra))
    return problems


if __name__ == "__main__":
    if sys.argv[1:2] == ["pyodide"]:
        from .runtime import main

        sys.exit(main(sys.argv[2:]))
    if sys.argv[1:] == ["--check"]:
        found = check()
        print("\n".join(found) or "vendored assets match vendor.json")
        sys.exit(1 if found else 0)
    vendor()
