"""HTML articles keep their block boundaries: a heading is its own paragraph, never glued to
the first paragraph (issue 9: "Lobbyists and the Kazakh feud According to documents ...")."""

from __future__ import annotations

from casegraph.ingest.formats.html import html_to_text

ARTICLE = """<!doctype html><html><head><title>Lobbyists and the Kazakh feud | Example News</title></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Lobbyists and the Kazakh feud</h1>
<p>According to documents released by the House Oversight Committee, a lobbyist pursued two
strategies in 2008 to win over officials in Washington and in Astana.</p>
<h2>The cables</h2>
<p>"We cannot allow this," the ambassador wrote in February 2009 in one of the cables. The embassy
declined to comment on the matter for this story, and the lobbyist did not answer questions.</p>
<ul><li>Aliyev offered two billion dollars for the stake</li><li>The deal collapsed in July 2008</li></ul>
</article><footer>Copyright Example News</footer></body></html>
"""


def _doc(case, ingest, tmp_path):
    path = tmp_path / "feud.html"
    path.write_text(ARTICLE, encoding="utf-8")
    ingest(path, kind="article")
    (row,) = [d for d in case.docs() if d["path"].endswith("feud.html")]
    return case.show(row["id"])


def test_h1_is_its_own_paragraph(case, ingest, tmp_path):
    doc = _doc(case, ingest, tmp_path)
    text = doc["text"]
    assert "Lobbyists and the Kazakh feud\n\nAccording to documents" in text
    paragraphs = [text[p["start"] : p["end"]].strip() for p in case.store.segments(doc["id"], "paragraph")]
    assert "Lobbyists and the Kazakh feud" in paragraphs
    assert "The cables" in paragraphs
    assert any(p.startswith("According to documents released") for p in paragraphs)
    assert any("two billion dollars" in p and "July 2008" not in p for p in paragraphs)


def test_analysis_does_not_glue_the_heading_to_a_sentence(case, ingest, tmp_path):
    doc = _doc(case, ingest, tmp_path)
    case.analyze(progress=False)
    claims = case.store.article_claims(doc["id"])
    assert claims, "no claims were extracted"
    for c in claims:
        assert not c["text"].startswith("Lobbyists and the Kazakh feud According"), c["text"]


def test_email_html_body_keeps_blocks():
    text = html_to_text(
        "<html><body><div><h2>Update</h2><p>The board met on Monday to discuss the offer.</p>"
        "<p>It approved the sale of the company to the investors after a long debate.</p></div></body></html>"
    )
    assert "Monday to discuss the offer.\n\nIt approved" in text
