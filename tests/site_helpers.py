"""Build a site once per test session and serve it on 127.0.0.1 for the browser."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import REPO

SITE_BASE = REPO / "tests" / "data" / "site-base"
DEMO_BASE = REPO / "tests" / "data" / "demo-base"  # concepts whose demos fail, loop, share state...
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def copy_base(target: Path) -> Path:
    shutil.copytree(SITE_BASE, target)
    return target


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


class IsolatedHandler(QuietHandler):
    """Serves like `kb serve`: with the headers that make a page cross-origin isolated."""

    def end_headers(self) -> None:
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()


def serve(folder: Path, isolated: bool = False):
    """Serve `folder` on 127.0.0.1 (a free port) in a thread, cross-origin isolated or not;
    return (server, base URL)."""
    handler = functools.partial(IsolatedHandler if isolated else QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def require_runtime() -> None:
    """Skip without the vendored Pyodide runtime, unless CI demands it (KB_REQUIRE_BROWSER=1)."""
    from tooling.site import runtime

    if not runtime.present():
        if os.environ.get("KB_REQUIRE_BROWSER"):
            pytest.fail("Pyodide is not vendored: run `python -m tooling.site.vendor pyodide`")
        pytest.skip("Pyodide is not vendored locally (python -m tooling.site.vendor pyodide)")


def require_browser() -> None:
    """Skip without Debian's chromium, unless CI demands it (KB_REQUIRE_BROWSER=1)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("KB_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")



@contextlib.contextmanager
def chromium() -> Iterator:
    """Debian's chromium driven by Playwright (never a browser Playwright downloads)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Watch:
    """What pages did: the URLs they requested, the dialogs they opened (dismissed), their
    script errors. `assert_clean` holds when the site stayed offline and no injected script ran."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []

    def attach(self, page):
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        return page

    def assert_clean(self) -> None:
        foreign = [url for url in self.requests if urlsplit(url).scheme in ("http", "https")
                   and urlsplit(url).hostname != "127.0.0.1"]
        assert foreign == [], foreign
        assert self.dialogs == [], self.dialogs
        assert self.errors == [], self.errors


@dataclass
class Served:
    url: str  # the site's base URL, ending in /
    log: str = ""  # what `kb serve` wrote to stderr, once it has stopped


@contextlib.contextmanager
def kb_serve(root: Path) -> Iterator[Served]:
    """`kb serve` of the notes under `root` on a free port of 127.0.0.1, stopped on exit."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "tooling.cli", "serve", "--root", str(root),
                               "-a", f"127.0.0.1:{port}"], cwd=REPO, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    served = Served(f"http://127.0.0.1:{port}/")
    try:
        yield served
    finally:
        server.terminate()
        served.log = server.communicate(timeout=30)[1]


def poll(url: str, wanted: str = "", timeout: float = 90, every: float = 0.3):
    """The page at `url` once it holds `wanted`, with its headers: (text, headers), or
    (None, None) when it never does within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                text = response.read().decode()
                if wanted in text:
                    return text, response.headers
        except OSError:
            pass
        time.sleep(every)
    return None, None

# How readable a drawn graph is, measured the same way on any SVG graph (ours, Quartz's): given the
# SVG and a selector for node circles (each circle's label is the <text> in the circle's group).
# nodes: drawn nodes; inView: those wholly inside the SVG; fill: the share of the SVG the nodes'
# bounding box covers; fill90: the same for the middle 90% of nodes in x and y (a few far-flung
# nodes cannot hide a tiny ball); labels: labels one can read (opacity >= 0.5, inside the SVG);
# labelOverlaps: pairs of those that overlap; labelsOverNodes: labels over another node.
GRAPH_METRICS = """([svgSel, nodeSel]) => {
  const svg = document.querySelector(svgSel); if (!svg) return null;
  const view = svg.getBoundingClientRect();
  const opacity = el => { let o = 1; for (let e = el; e && e !== document; e = e.parentElement) {
      const s = getComputedStyle(e); if (s.display === 'none' || s.visibility === 'hidden'
        || e.getAttribute('display') === 'none') return 0; o *= +s.opacity; } return o; };
  const circles = [...svg.querySelectorAll(nodeSel)].filter(c => opacity(c) > 0.05);
  const boxes = circles.map(c => c.getBoundingClientRect());
  const within = b => b.left >= view.left - 0.5 && b.right <= view.right + 0.5
    && b.top >= view.top - 0.5 && b.bottom <= view.bottom + 0.5;
  const inside = boxes.filter(within);
  const q = (v, f) => { const s = v.slice().sort((a, b) => a - b); return s[Math.floor(f * (s.length - 1))]; };
  const xs = inside.map(b => (b.left + b.right) / 2), ys = inside.map(b => (b.top + b.bottom) / 2);
  const area = view.width * view.height;
  const fill = inside.length ? (Math.max(...inside.map(b => b.right)) - Math.min(...inside.map(b => b.left)))
    * (Math.max(...inside.map(b => b.bottom)) - Math.min(...inside.map(b => b.top))) / area : 0;
  const fill90 = inside.length ? (q(xs, .95) - q(xs, .05)) * (q(ys, .95) - q(ys, .05)) / area : 0;
  const labels = [];
  circles.forEach((c, i) => { const t = c.parentNode.querySelector('text');
    if (t && t.textContent.trim() && opacity(t) >= 0.5) {
      const b = t.getBoundingClientRect(); if (b.width > 0 && within(b)) labels.push([i, b, c.parentNode]); } });
  const hit = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  let overlaps = 0, overNodes = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) if (hit(labels[i][1], labels[j][1])) overlaps++;
    boxes.forEach((b, k) => { if (k !== labels[i][0] && hit(labels[i][1], b)) overNodes++; });
  }
  return {nodes: circles.length, inView: inside.length, fill: fill, fill90: fill90,
          labels: labels.length, labelShare: labels.length / Math.max(1, inside.length),
          labelOverlaps: overlaps, labelsOverNodes: overNodes,
          labelled: labels.map(l => l[2].getAttribute('data-id')).filter(Boolean)};
}"""
