"""Explorer benchmarks: the interactive page (:mod:`sle_graph.draw.explore`) of the curated graph and
of synthetic graphs of 100, 1,000 and 5,000 nodes (:func:`benchmarks.bench_render.synthetic`: our
schema, seeded, about 1.5 edges per node).

Rows:

- ``explore page``: :func:`~sle_graph.draw.explore.build_html`, Graphviz layout included; the note
  gives the page's size in bytes.
- ``explore time to interactive``: Debian's headless chromium opens the page from a file and
  draws it: navigation start to vis-network's first drawing (``performance.now()``), the median
  of three fresh loads.
- ``explore filter``: unticking and ticking again a status filter (hides then shows that status's
  edges and redraws), in the browser.

Browser rows are left out, with a note, where chromium or selenium is missing.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from .bench_render import synthetic
from .measure import Timing, median_time, quick, row

NODES = (100, 1_000, 5_000)
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,900")


def _browser() -> Any:
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        return None
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return None
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in FLAGS + (f"--user-data-dir={tempfile.mkdtemp(prefix='sle-bench-chromium-')}",):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def _load(driver: Any, path: Path) -> float:
    driver.get("about:blank")
    driver.get(path.as_uri())
    deadline = time.monotonic() + 120
    while driver.execute_script("return document.body && document.body.getAttribute('data-ready')") != "true":
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path.name} did not draw within 120 s")
        time.sleep(0.02)
    return float(driver.execute_script("return sleExplorer.readyMs")) / 1000


def _filter(driver: Any) -> float:
    return float(driver.execute_script(
        "var box = document.querySelector('#sle-status input'), t0 = performance.now();"
        "box.click(); sleExplorer.network.redraw(); box.click(); sleExplorer.network.redraw();"
        "return performance.now() - t0;")) / 1000


def run(sizes: list[int]) -> list[dict[str, Any]]:
    import sle_graph
    from sle_graph.draw.explore import build_html

    rows: list[dict[str, Any]] = []
    graphs = [("curated graph", sle_graph.load())]
    graphs += [(f"synthetic, {n:,} nodes", synthetic(n)) for n in (NODES[::2] if quick() else NODES)]
    driver = _browser()
    folder = Path(tempfile.mkdtemp(prefix="sle-bench-explore-"))
    try:
        for what, g in graphs:
            t = median_time(lambda: build_html(g), repeats=3, warmup=0)
            page, n, m = t.value
            rows.append(row("explore page", m, "sle_graph.draw.explore", t,
                            note=f"{what}; {n:,} nodes drawn; page {len(page.encode('utf-8')):,} bytes"))
            if driver is None:
                rows.append(row("explore time to interactive", m, "chromium", None,
                                note="not measured: needs chromium, chromedriver and selenium"))
                continue
            path = folder / f"page-{n}.html"
            path.write_text(page, encoding="utf-8")
            _load(driver, path)  # warm-up: the browser's own start-up is not the page's
            times = tuple(_load(driver, path) for _ in range(1 if quick() else 3))
            rows.append(row("explore time to interactive", m, "chromium (headless)",
                            Timing(statistics.median(times), times), note=f"{what}; file:// page, first drawing"))
            times = tuple(_filter(driver) for _ in range(1 if quick() else 3))
            rows.append(row("explore filter", m, "chromium (headless)", Timing(statistics.median(times), times),
                            note=f"{what}; one status unticked and ticked again, redrawn"))
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(folder, ignore_errors=True)
    return rows
