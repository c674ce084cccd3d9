"""Markdown and HTML reports: evidence beside each item, links to the documents, and no way
for article or document text to inject markup or scripts."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from casegraph.check.report import to_html, to_markdown
from tests.check.conftest import SOURCE
from tests.conftest import new_case_db

INJECTED = "<script>alert('owned')</script><img src=x onerror=alert(1)><a href=javascript:alert(2)>x</a>"


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory):
    """A source whose real sentence carries a script, and an article quoting it."""
    from casegraph.api import Case

    folder = tmp_path_factory.mktemp("hostile")
    text = SOURCE.read_text(encoding="utf-8")
    words = "They cut a deal which they have to know was a failure"
    anchor = text.index(words) + len(words)  # inside the quotation marks, after the quoted words
    source = folder / "tampered.txt"
    source.write_text(text[:anchor] + " " + INJECTED + text[anchor:], encoding="utf-8")
    article = folder / "article.txt"
    article.write_text(
        "Deal under fire </title><script>alert(3)</script>\n\n"
        '"They cut a deal which they have to know was a failure," said Marci Hamilton, a law professor.\n',
        encoding="utf-8",
    )
    with Case(new_case_db(folder)) as case:
        case.ingest([str(source)], kind="source")
        yield case.check(str(article))


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs


def test_html_escapes_document_and_article_text(hostile_report):
    assert any("<script>" in e["text"] for i in hostile_report["items"] for e in i["evidence"]), (
        "the tampered sentence should be the evidence"
    )
    page = to_html(hostile_report)
    parser = _Collect()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert not any(name.startswith("on") for name, _ in parser.attrs)
    assert not any((value or "").lower().startswith("javascript") for _, value in parser.attrs)
    assert "&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;" in page  # shown as text
    assert "default-src 'none'" in page  # and scripts are forbidden by policy anyway


def test_html_has_evidence_beside_items_with_links(hostile_report):
    page = to_html(hostile_report)
    assert page.count('class="item"') == len(hostile_report["items"])
    hrefs = re.findall(r'href="([^"]+)"', page)
    assert hrefs and all(h.startswith("file://") for h in hrefs)
    assert any(h.endswith("tampered.txt") for h in hrefs)


def test_markdown_has_no_raw_markup(hostile_report):
    md = to_markdown(hostile_report)
    assert "<script" not in md and "<img" not in md
    assert "supported" in md and "tampered.txt" in md
