"""Vendor the site's third-party browser assets from the npm registry, reproducibly.

    python -m tooling.site.vendor          download, verify, extract, record hashes
    python -m tooling.site.vendor --check  verify the committed files against the recorded hashes
    python -m tooling.site.vendor pyodide  fetch the in-browser Python runtime (not committed: see
                                           runtime.py)

The manifest (`vendor.json`) pins each package's version, tarball URL and registry integrity; the
extracted files' sha256 are recorded there too, so a test can prove the committed bytes are exactly
those of the pinned releases. Only this script touches the network, and only the npm registry.
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
                    out[name] = archive.extractfile(member).read()
    return out


def vendor() -> None:
    manifest = json.loads(MANIFEST.read_text())
    hashes: dict[str, str] = {}
    for name, package in manifest["packages"].items():
        with urllib.request.urlopen(package["tarball"], timeout=60) as response:
            data = response.read()
        _verify_integrity(data, package["integrity"])
        for rel, content in sorted(_extract(data, package["files"]).items()):
            path = DEST / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            hashes[rel] = hashlib.sha256(content).hexdigest()
        print(f"{name} {package['version']}: ok")
    manifest["sha256"] = dict(sorted(hashes.items()))
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n")


def check() -> list[str]:
    """Problems with the committed vendored files (empty when they match the manifest)."""
    recorded = json.loads(MANIFEST.read_text())["sha256"]
    problems = []
    for rel, expected in recorded.items():
        path = DEST / rel
        if not path.is_file():
            problems.append(f"missing {rel}")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != expected:
            problems.append(f"changed {rel}")
    extra = {p.relative_to(DEST).as_posix() for p in DEST.rglob("*") if p.is_file()} - set(recorded)
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
