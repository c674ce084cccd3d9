"""End-to-end in a real Chromium (Debian's, driven by Playwright): search → document →
entity → graph → path → check, with screenshots saved to out/screenshots/ (to docs/screenshots/,
the README's pictures, with CASEGRAPH_SCREENSHOTS=docs/screenshots); and hostile
documents whose script, event-handler and javascript: payloads must never run."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT

# a test run leaves the tracked pictures alone unless asked to refresh them
SHOTS = ROOT / os.environ.get("CASEGRAPH_SCREENSHOTS", "out/screenshots")


class Watch:
    """What a page did that it should not: dialogs, script errors, CSP violations."""

    def __init__(self, page: Any):
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.csp: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", self._console)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.csp.append(message.text)

    def assert_clean(self, page: Any) -> None:
        assert page.evaluate("typeof window.__xss") == "undefined", "an injected script ran"
        assert self.dialogs == [], self.dialogs
        assert self.errors == [], self.errors
        assert self.csp == [], self.csp


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    p = context.new_page()
    p.set_default_timeout(20_000)
    yield p, Watch(p)
    context.close()


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_investigation_journey(page: tuple[Any, Watch], live_server: str, ids: dict[str, str]) -> None:
    p, watch = page
    p.goto(live_server + "/")
    assert p.locator("h1").inner_text() == "Case overview"
    assert p.locator("#recent-checks li a").count() >= 1
    shot(p, "overview")

    # search: a shareable URL with facets and highlighted snippets
    p.fill("header .quick input[name=q]", "Acosta")
    p.press("header .quick input[name=q]", "Enter")
    p.wait_for_url(re.compile(r"/search\?q=Acosta"))
    assert int(p.locator("#result-count b").inner_text()) >= 1
    assert "acosta" in p.locator(".hit mark").first.inner_text().lower()
    shot(p, "search")
    p.locator(".hit a.title").first.click()
    p.wait_for_url(re.compile(r"/doc/"))
    assert "Acosta" in p.locator("#doc-text").inner_text()

    # a span link opens the document scrolled to the span, highlighted
    doc = httpx.get(f"{live_server}/api/documents/{ids['herald']}").json()
    start = doc["text"].index("Sloman")
    end = start + len("Sloman")
    p.goto(f"{live_server}/doc/{ids['herald']}#{start}-{end}")
    target = p.locator("#doc-text .target")
    assert target.first.inner_text() == "Sloman"
    assert target.first.is_visible()
    # layers switch off and on
    p.uncheck("#layers input[data-layer=e]")
    assert "off-e" in (p.locator("#doc-text").get_attribute("class") or "")
    p.check("#layers input[data-layer=e]")
    shot(p, "document")

    # a mention of a resolved entity opens the entity page
    p.goto(f"{live_server}/doc/{ids['seed']}")
    mention = p.locator("#doc-text [data-entity]").first
    name = mention.inner_text()
    mention.click()
    p.wait_for_url(re.compile(r"/entity/ent-"))
    heading = p.locator("#entity-name").inner_text()
    assert heading.split()[0] in name or name.split()[-1] in heading
    shot(p, "entity")

    # graph: start from the most mentioned entity, expand a neighbour, read an edge's evidence
    p.goto(f"{live_server}/graph?entity={ids['top']}")
    p.wait_for_function("() => window.casegraphGraph && window.casegraphGraph.nodes().length > 1")
    before = p.evaluate("window.casegraphGraph.nodes().length")
    box = p.locator("#cy").bounding_box()
    node = p.evaluate(
        "(() => { const n = window.casegraphGraph.nodes().not('.start').first(); return n.renderedPosition(); })()"
    )
    p.mouse.click(box["x"] + node["x"], box["y"] + node["y"])
    p.wait_for_function("() => window.casegraphGraph.nodes('.expanded').length >= 2")
    assert p.evaluate("window.casegraphGraph.nodes().length") >= before
    edge = p.evaluate(
        """(() => {
          const cy = window.casegraphGraph;
          const clear = (m) => cy.nodes().every((n) => {
            const q = n.renderedPosition();
            return Math.hypot(q.x - m.x, q.y - m.y) > 30;
          });
          const e = cy.edges().filter((x) => clear(x.renderedMidpoint())).first();
          return e.renderedMidpoint();
        })()"""
    )
    p.mouse.click(box["x"] + edge["x"], box["y"] + edge["y"])
    p.wait_for_selector("#side-body .evidence-list a, #side-body p")
    assert " — " in p.locator("#side-title").inner_text()
    shot(p, "graph")

    # path, drawn step by step, each step with its evidence
    p.goto(f"{live_server}/path?a={ids['top']}&b={ids['second']}")
    steps = p.locator("section.path-card").first.locator("li.step").count()
    assert steps >= 1
    p.wait_for_function(f"() => document.getElementById('path-cy').dataset.drawn === '{steps}'")
    assert p.locator("section.path-card .evidence a").count() >= 1
    shot(p, "path")

    # check: the other seed article, as a job with progress, then the report beside its evidence
    p.goto(live_server + "/check")
    articles = p.locator("button.check-article")
    assert articles.count() >= 2
    other = next(
        b for b in articles.all() if b.get_attribute("data-article") not in (ids["seed"], ids["html"])
    )
    article_id = other.get_attribute("data-article")
    other.click()
    p.wait_for_url(re.compile(rf"/check/{article_id}$"), timeout=300_000)
    assert p.locator("tr.item").count() >= 1
    shot(p, "check")
    p.goto(f"{live_server}/check/{ids['seed']}")
    link = p.locator("tr.item .evidence a.span-link")
    if link.count():  # follow a piece of evidence to its span
        link.first.click()
        p.wait_for_url(re.compile(r"/doc/.+#\d+-\d+$"))
        assert p.locator("#doc-text .target").count() >= 1
    watch.assert_clean(p)


def test_hostile_documents_never_run(page: tuple[Any, Watch], live_server: str, ids: dict[str, str]) -> None:
    p, watch = page
    p.goto(f"{live_server}/doc/{ids['memo']}")
    text = p.locator("#doc-text")
    assert "<script>window.__xss = 1" in text.inner_text()
    assert 'href="javascript:' in text.inner_text()
    for tag in ("script", "img", "iframe", "svg", "a", "b"):
        assert text.locator(tag).count() == 0, tag
    text.hover()
    for span in text.locator("span").all()[:80]:
        if span.inner_text().strip() and span.is_visible():
            span.hover(timeout=5000)
        span.dispatch_event("mouseover")
    p.get_by_text("javascript:window.__xss=3", exact=False).first.click()
    shot(p, "hostile-document")
    for url in [
        f"/doc/{ids['html']}",
        "/search?q=onerror",
        "/search?q=script",
        "/search?q=javascript",
        f"/check/{ids['seed']}",
        "/docs",
        "/ingest",
    ]:
        p.goto(live_server + url)
        p.wait_for_load_state("load")
    # an entity renamed to a payload shows as text on every page that names it
    payload = '<img src=x onerror="window.__xss=11;alert(11)">'
    client = httpx.Client(base_url=live_server)
    client.get("/")
    client.headers["X-CSRF-Token"] = client.cookies["cg_csrf"]
    renamed = client.post(f"/api/entities/{ids['second']}/rename", json={"name": payload})
    assert renamed.status_code == 200, renamed.text
    for url in [f"/entity/{ids['second']}", "/entities", "/", f"/graph?entity={ids['second']}"]:
        p.goto(live_server + url)
        p.wait_for_load_state("load")
    p.wait_for_function("() => window.casegraphGraph && window.casegraphGraph.nodes().length >= 1")
    p.goto(f"{live_server}/entity/{ids['second']}")
    assert payload in p.locator("#entity-name").inner_text()
    undo = client.get("/api/corrections").json()[-1]["id"]
    assert client.post(f"/api/corrections/{undo}/undo").status_code == 200
    watch.assert_clean(p)


def test_entity_corrections_in_the_page(
    page: tuple[Any, Watch], live_server: str, ids: dict[str, str]
) -> None:
    p, watch = page
    entity = ids["top"]
    p.goto(f"{live_server}/entity/{entity}")
    original = p.locator("#entity-name").inner_text()
    p.fill("#rename-form input[name=name]", "Renamed In The Browser")
    p.click("#rename-form button")
    p.wait_for_function(
        "() => document.getElementById('entity-name').innerText.startsWith('Renamed In The Browser')"
    )
    undo = p.locator("button.undo").first
    undo.click()
    p.wait_for_function(
        "() => !document.getElementById('entity-name').innerText.startsWith('Renamed In The Browser')"
    )
    assert p.locator("#entity-name").inner_text() == original
    # merge: pick the other entity by name, confirm; the page reloads with it as an alias
    people = httpx.get(f"{live_server}/api/entities", params={"type": "PERSON", "limit": 10}).json()
    other = next(e for e in people if e["id"] != entity and e["name"] not in original)
    p.fill("#merge-other", other["name"])
    p.click("#merge-form button")
    p.wait_for_selector("#merge-confirm:not([hidden])")
    assert other["name"] in p.locator("#merge-candidate").inner_text()
    with p.expect_navigation():
        p.click("#merge-do")
    assert other["name"] in p.locator(".alias").all_inner_texts()
    with p.expect_navigation():
        p.locator("button.undo").first.click()
    assert other["name"] not in p.locator(".alias").all_inner_texts()
    watch.assert_clean(p)


def test_ingest_page_uploads_and_reports_errors(
    page: tuple[Any, Watch], live_server: str, tmp_path: Path
) -> None:
    p, watch = page
    good = tmp_path / "memo.txt"
    good.write_text("Alexander Acosta met Jeffrey Epstein's lawyers in Miami in 2007.\n", encoding="utf-8")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really a pdf")
    p.goto(live_server + "/ingest")
    p.set_input_files("#ingest-form input[type=file]", [str(good), str(bad)])
    p.uncheck("#ingest-form input[name=analyze]")
    p.click("#ingest-form button")
    p.wait_for_function(
        "() => document.getElementById('job-step').textContent.startsWith('done')", timeout=120_000
    )
    errors = p.locator("#job-errors li").all_inner_texts()
    assert any("broken.pdf" in e for e in errors), errors
    assert not any("memo.txt" in e for e in errors)
    shot(p, "ingest")
    watch.assert_clean(p)
