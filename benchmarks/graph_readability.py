"""How readable the graphs are, measured, for our site and (optionally) a Quartz build of the same
notes: the same headless chromium, the same viewports, the same metrics (tests/site_helpers.py,
GRAPH_METRICS), a screenshot of each graph.

    .venv/bin/python benchmarks/graph_readability.py OUR_SITE [--quartz QUARTZ_SITE]
        [--shots FOLDER] [--note concepts/activation-patching]   (the local graphs' page)

OUR_SITE: a `kb build` of the notes. QUARTZ_SITE: Quartz 4 built over a copy of papers/,
concepts/ and notes/ in its content/ folder (`npm ci`, then `node quartz/bootstrap-cli.mjs build
-d content -o QUARTZ_SITE`); it is served with `x` answered from `x.html`, as Quartz expects.
Printed per site, view (global, local) and screen (desktop 1280x900, phone 390x844): nodes drawn,
nodes inside the drawing, the share of the drawing the nodes' box fills (fill, and fill90 for the
middle 90% of nodes), readable labels (opacity >= 0.5) and their share, overlapping label pairs,
labels over other nodes, and the seconds until the drawing holds still (three identical
screenshots 100 ms apart; Quartz's global graph from the click that opens it).
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
import time
from pathlib import Path

from common import ROOT, report

sys.path.insert(0, str(ROOT / "tests"))
from site_helpers import GRAPH_METRICS, chromium  # noqa: E402

SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SITES = {
    "kb": {"graph": "graph/", "node": ".kb-node circle",
           "global": ".kb-global-graph svg", "local": ".kb-local-graph svg"},
    "Quartz": {"graph": None, "node": "circle.node",
               "global": "#global-graph-container svg", "local": "#graph-container svg"},
}


class ExtensionlessHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; `x` answered from `x.html` when there is no `x` (Quartz's links)."""

    def log_message(self, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        real = super().translate_path(path)
        return real + ".html" if not os.path.exists(real) and os.path.exists(real + ".html") else real


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(ExtensionlessHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def still_after(page, selector: str, start: float, limit: float = 30.0) -> float | None:
    """Seconds from `start` until three screenshots of the element, 100 ms apart, are equal."""
    last, same, since = None, 0, start
    while time.perf_counter() - start < limit:
        try:
            shot = page.locator(selector).first.screenshot(timeout=2000)
        except Exception:  # not drawn yet
            shot = None
        if shot is not None and shot == last:
            same += 1
            if same >= 2:
                return since - start
        else:
            same, since = 0, time.perf_counter()
        last = shot
        page.wait_for_timeout(100)
    return None


def measure(browser, name: str, url: str, view: str, screen: str, shots: Path | None, note: str) -> dict:
    site = dict(SITES[name], page=note + ("/" if name == "kb" else ""))
    context = browser.new_context(viewport=SCREENS[screen])
    # Nothing leaves 127.0.0.1 (Quartz asks for web fonts): refused at once, not timed out.
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url)
                  else route.abort())
    page = context.new_page()
    svg = site[view]
    try:
        page.mouse.move(1, 1)
        start = time.perf_counter()
        page.goto(url + (site["graph"] if view == "global" and site["graph"] else site["page"]))
        if view == "global" and not site["graph"]:  # Quartz: the global graph opens from a button
            page.locator("#global-graph-icon").click()
            start = time.perf_counter()
            page.mouse.move(1, 1)  # a hovered node shows its label: none hovered
        holder = ".kb-local-graph" if name == "kb" and view == "local" else svg
        page.locator(holder).first.scroll_into_view_if_needed()
        page.locator(svg).first.wait_for(state="attached", timeout=20000)
        settled = still_after(page, svg, start)
        found = page.evaluate(GRAPH_METRICS, [svg, site["node"]])
        found["still"] = settled
        if shots is not None:
            page.locator(svg).first.screenshot(path=str(shots / f"{name.lower()}-{view}-{screen}.png"))
        return found
    finally:
        context.close()


def main(ours: Path, quartz: Path | None, shots: Path | None, note: str) -> None:
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
    folders = {"kb": ours, **({"Quartz": quartz} if quartz else {})}
    with chromium() as browser:
        for name, folder in folders.items():
            server, url = serve(folder)
            try:
                for view in ("global", "local"):
                    for screen in SCREENS:
                        m = measure(browser, name, url, view, screen, shots, note)
                        still = f"{m['still']:.1f} s" if m["still"] is not None else "never (30 s)"
                        report(f"{name}, {view} graph, {screen}", [
                            ("nodes (in view)", f"{m['nodes']} ({m['inView']})"),
                            ("view filled (middle 90%)", f"{m['fill']:.2f} ({m['fill90']:.2f})"),
                            ("labels readable", f"{m['labels']} ({m['labelShare']:.0%} of nodes in view)"),
                            ("label overlaps / labels over nodes", f"{m['labelOverlaps']} / {m['labelsOverNodes']}"),
                            ("still after", still)])
            finally:
                server.shutdown()
    if shots is not None:
        print(f"\nscreenshots in {shots}")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path, help="a kb build of the notes")
    parser.add_argument("--quartz", type=Path, help="Quartz built over the same notes")
    parser.add_argument("--shots", type=Path, help="folder for the screenshots")
    parser.add_argument("--note", default="concepts/activation-patching", help="the local graphs' page")
    args = parser.parse_args()
    main(args.site, args.quartz, args.shots, args.note.strip("/"))
