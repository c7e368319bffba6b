"""Fixtures for the sources: fake arXiv, OpenAlex, OpenReview and Crossref servers on 127.0.0.1,
an empty base, and `kb` itself.

No test reaches the network: every test starts with each service's URL (KB_ARXIV_API_URL,
KB_OPENALEX_URL, KB_OPENREVIEW_URL, KB_CROSSREF_URL) pointing at a closed local port, and the
`fake_*` fixtures point one at its fake server instead.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fakearxiv import FakeArxiv
from fakesources import FakeCrossref, FakeOpenAlex, FakeOpenReview

JSON_SERVICES = ("OPENALEX", "OPENREVIEW", "CROSSREF")


def closed_port_url() -> str:
    """A local URL nobody listens on: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/query"


@pytest.fixture(autouse=True)
def _arxiv_offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fresh client state per test, and no way to reach the real arXiv by accident."""
    from tooling.arxiv import http as arxiv_api

    monkeypatch.setenv("KB_ARXIV_API_URL", closed_port_url())
    monkeypatch.setenv("KB_ARXIV_DELAY", "0")
    monkeypatch.setenv("KB_ARXIV_TIMEOUT", "0.5")
    for service in JSON_SERVICES:
        monkeypatch.setenv(f"KB_{service}_URL", closed_port_url().removesuffix("/api/query"))
        monkeypatch.setenv(f"KB_{service}_DELAY", "0")
        monkeypatch.setenv(f"KB_{service}_TIMEOUT", "0.5")
    for name in ("KB_MAILTO", "KB_OPENALEX_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    arxiv_api.reset()
    yield
    arxiv_api.reset()


@pytest.fixture
def fake_arxiv(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeArxiv]:
    """The fake server, with KB_ARXIV_API_URL pointing at it (delay 0, timeout 0.5 s)."""
    from tooling.arxiv import http as arxiv_api

    with FakeArxiv(slow_seconds=1.0) as fake:
        monkeypatch.setenv("KB_ARXIV_API_URL", fake.url)
        arxiv_api.reset()
        yield fake


def _serve(monkeypatch: pytest.MonkeyPatch, fake, service: str):
    from tooling.arxiv import http as arxiv_api

    with fake as running:
        monkeypatch.setenv(f"KB_{service}_URL", running.url)
        arxiv_api.reset()
        yield running


@pytest.fixture
def fake_openalex(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAlex]:
    """The fake OpenAlex, with KB_OPENALEX_URL pointing at it (delay 0, timeout 0.5 s)."""
    yield from _serve(monkeypatch, FakeOpenAlex(), "OPENALEX")


@pytest.fixture
def fake_openreview(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenReview]:
    yield from _serve(monkeypatch, FakeOpenReview(), "OPENREVIEW")


@pytest.fixture
def fake_crossref(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeCrossref]:
    yield from _serve(monkeypatch, FakeCrossref(), "CROSSREF")


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """An empty knowledge base."""
    root = tmp_path / "kb"
    for folder in ("papers", "concepts", "notes"):
        (root / folder).mkdir(parents=True)
    return root


@dataclass(frozen=True)
class Run:
    """What one `kb` command did."""

    code: int
    out: str
    err: str


@pytest.fixture
def kb(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run the real `kb` entry point (`tooling.cli.main`) in-process: kb("add", "2202.05262")."""
    from tooling.cli import main

    def run(*args: object) -> Run:
        capsys.readouterr()
        try:
            main([str(arg) for arg in args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium for the module's tests (skipped without it, unless CI requires it)."""
    from site_helpers import chromium, require_browser

    require_browser()
    with chromium() as browser:
        yield browser
