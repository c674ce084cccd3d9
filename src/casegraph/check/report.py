"""Check reports as Markdown and as one self-contained HTML page.

Article and document text is untrusted: in HTML every piece of it goes through html.escape
(text and attributes), links are only ever file:// URLs built with urllib's quote, and the
page carries a Content-Security-Policy that forbids scripts, so that a document containing
`<script>` or `javascript:` shows as text and never runs.
"""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import quote

from casegraph.models import CheckedItem, CheckReport, ItemContext, VerdictEvidence, VerdictStatus

STATUS_LABELS: dict[VerdictStatus, str] = {
    "supported": "supported",
    "paraphrased": "paraphrased",
    "misattributed": "misattributed",
    "contradicted": "contradicted",
    "not_found": "not found",
}
_COLOURS = {
    "supported": "#1b7f3b",
    "paraphrased": "#4d7f1b",
    "misattributed": "#b35900",
    "contradicted": "#b00020",
    "not_found": "#666666",
}


def summary_line(report: CheckReport) -> str:
    s = report["summary"]
    counts = ", ".join(f"{s.get(k, 0)} {STATUS_LABELS[k]}" for k in STATUS_LABELS)
    return (
        f"{report['article'].get('title') or report['article']['id']}: {s['items']} items "
        f"({s['quotes']} quotes, {s['claims']} claims) checked against {s['sources']} sources: {counts}; "
        f"speculative {s['speculative']} ({s['speculation_share']:.0%}), of which {s['speculative_not_found']} with no source"
    )


def _md(text: str) -> str:
    """Markdown-safe single line: no raw HTML, no link or emphasis syntax from untrusted text."""
    text = " ".join(str(text).split())
    text = html.escape(text, quote=False)
    for ch in "\\`*_[]|#":
        text = text.replace(ch, "\\" + ch)
    return text


def to_markdown(report: CheckReport) -> str:
    a = report["article"]
    lines = [
        f"# Check: {_md(a.get('title') or a['id'])}",
        "",
        f"Article `{_md(a['id'])}`. {_md(summary_line(report))}",
        "",
    ]
    lines += ["| status | count |", "|---|---|"]
    lines += [f"| {STATUS_LABELS[k]} | {report['summary'].get(k, 0)} |" for k in STATUS_LABELS]
    lines.append("")
    for n, item in enumerate(report["items"], 1):
        ctx = item.get("context") or {}
        lines.append(
            f"## {n}. {item['kind']} — **{STATUS_LABELS[item['status']]}** (score {item['score']:.2f})"
        )
        lines.append("")
        speaker = _article_speaker(item)
        lines.append(f"> {_md(item['text'])}" + (f" — {_md(speaker)}" if speaker else ""))
        lines.append("")
        article_says, source_says = speakers(item)
        lines.append(f"*Speaker in the article:* {_md(article_says)} · *in the source:* {_md(source_says)}")
        lines.append(f"*Reason:* {_md(item['reason'])}")
        flags = _flags(ctx)
        if flags:
            lines.append(f"*Article's framing:* {_md('; '.join(flags))}")
        for e in item["evidence"]:
            who = f", {_md(_who(e))}" if e.get("speaker") else ""
            lines.append(
                f"- Evidence: {_md(e.get('bates') or e.get('title') or e['doc_id'])} [{e['start']}:{e['end']}]{who}"
                f" ({_md(e.get('date') or 'undated')}, `{_md(e['path'])}`): “{_md(e['text'])}”"
            )
        lines.append("")
    return "\n".join(lines) + "\n"


ROLE_LABELS = {
    "quote": "quoted in the source",
    "authored": "the sender's own text",
    "pasted": "a news story pasted into an e-mail",
    "narration": "narration of a pasted news story",
    "quoted": "a message quoted in the e-mail's history",
    "forwarded": "a forwarded message",
}


def speakers(item: CheckedItem) -> tuple[str, str]:
    """(who the article says speaks, who the source gives the evidence to, with the role of
    the evidence's text), side by side for the reader."""
    spk = item.get("speaker")
    article = (spk.get("name") if spk else None) or ""
    if article and spk and spk.get("text") and spk["text"] != article:
        article = f"{article} (as “{spk['text']}”)"
    evidence = item.get("evidence") or []
    if not evidence:
        return article or "no one named", "no evidence"
    return article or "no one named", source_speaker(evidence[0])


def _article_speaker(item: CheckedItem) -> str:
    """The name of the speaker the article gives, "" when it names none."""
    spk = item.get("speaker")
    return (spk.get("name") if spk else None) or ""


def source_speaker(ev: VerdictEvidence) -> str:
    role = ev.get("role") or ""
    name = ev.get("speaker") or ""
    how = ev.get("speaker_source") or ""
    if role == "narration":
        return "nobody: " + ROLE_LABELS[role] + (f" ({name})" if name else "")
    if role == "pasted":
        return ROLE_LABELS[role] + (f" ({name})" if name else "")
    if how == "quote in the source" or role == "quote":
        said = ev.get("speaker_said_as") or ""
        resolved = ev.get("speaker_resolved") or ""
        if said and said != name:
            return f"{name} (the source says “{said}”" + (f", resolved as a {resolved})" if resolved else ")")
        return f"{name} (quoted in the source)"
    if how in ("sender", "author"):
        return f"{name} (the document's {how}" + (f"; {ROLE_LABELS[role]})" if role in ROLE_LABELS else ")")
    if role in ROLE_LABELS:
        return f"{name} ({ROLE_LABELS[role]})" if name else ROLE_LABELS[role]
    return name or "unknown"


def _who(ev: VerdictEvidence) -> str:
    """Quoted words are "said by"; other text of an e-mail or letter is only "sent by" its author."""
    if ev.get("speaker_source") in ("sender", "author"):
        return f"in a document from {ev['speaker']}"
    if ev.get("role") == "narration":
        return f"narration of a story by {ev['speaker']}"
    if ev.get("role") == "pasted":
        return f"in a story by {ev['speaker']}"
    return f"said by {ev['speaker']}"


def _flags(ctx: ItemContext) -> list[str]:
    flags = []
    claim_type = ctx.get("claim_type")
    if claim_type:
        flags.append(claim_type)
    if ctx.get("hedges"):
        flags.append("hedges: " + ", ".join(h.get("text", "") for h in ctx["hedges"]))
    if ctx.get("boosters"):
        flags.append("boosters: " + ", ".join(b.get("text", "") for b in ctx["boosters"]))
    for r in ctx.get("rhetoric") or []:
        flags.append(f"{r['technique']}: “{r['text']}”")
    return flags


_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222}
h1{font-size:1.5em} .summary{background:#f4f4f4;padding:.8em 1em;border-radius:6px}
.item{display:grid;grid-template-columns:1fr 1fr;gap:1em;border-top:1px solid #ddd;padding:1em 0}
.status{display:inline-block;color:#fff;border-radius:4px;padding:0 .5em;font-weight:600}
.article,.evidence{background:#fafafa;padding:.6em .8em;border-radius:6px;white-space:pre-wrap}
.evidence{margin-bottom:.6em} .meta{color:#555;font-size:.9em} .flags{color:#7a4b00;font-size:.9em}
table.counts td,table.counts th{padding:.1em .8em;text-align:left}
"""


def to_html(report: CheckReport) -> str:
    e = html.escape
    a = report["article"]
    title = e(str(a.get("title") or a["id"]))
    rows = "".join(
        f"<tr><th>{e(STATUS_LABELS[k])}</th><td>{int(report['summary'].get(k, 0))}</td></tr>"
        for k in STATUS_LABELS
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>Check: {title}</title><style>{_CSS}</style></head><body>",
        f"<h1>Check: {title}</h1>",
        f'<div class="summary"><p>{e(summary_line(report))}</p><table class="counts">{rows}</table>'
        f'<p class="meta">Article {e(str(a["id"]))} · {e(str(a.get("path", "")))}</p></div>',
    ]
    for n, item in enumerate(report["items"], 1):
        colour = _COLOURS.get(item["status"], "#666")
        speaker = _article_speaker(item)
        flags = _flags(item.get("context") or {})
        left = (
            f"<div><p><b>{n}. {e(item['kind'])}</b> "
            f'<span class="status" style="background:{colour}">{e(STATUS_LABELS[item["status"]])}</span> '
            f'<span class="meta">score {float(item["score"]):.2f} · [{int(item["start"])}:{int(item["end"])}]</span></p>'
            f'<div class="article">{e(item["text"])}</div>'
            + (f'<p class="meta">Attributed to {e(str(speaker))}</p>' if speaker else "")
            + '<p class="meta speakers">Speaker in the article: <b>{}</b> · in the source: <b>{}</b></p>'.format(
                *(e(x) for x in speakers(item))
            )
            + (f'<p class="flags">{e("; ".join(flags))}</p>' if flags else "")
            + f'<p class="meta">{e(item["reason"])}</p></div>'
        )
        evidence = (
            "".join(_evidence_html(ev) for ev in item["evidence"])
            or '<p class="meta">No supporting evidence.</p>'
        )
        parts.append(f'<section class="item" id="item-{n}">{left}<div>{evidence}</div></section>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _evidence_html(ev: VerdictEvidence) -> str:
    e = html.escape
    label = ev.get("bates") or ev.get("title") or ev["doc_id"]
    href = _file_url(ev.get("path") or "")
    name = f'<a href="{e(href)}">{e(str(label))}</a>' if href else e(str(label))
    who = f" · {e(_who(ev))}" if ev.get("speaker") else ""
    role = ev.get("role") or ""
    if role in ROLE_LABELS:
        who += f" · {e(ROLE_LABELS[role])}"
    return (
        f'<div class="evidence">{e(ev["text"])}</div>'
        f'<p class="meta">{name} [{int(ev["start"])}:{int(ev["end"])}]{who} · {e(str(ev.get("date") or "undated"))}'
        f" · doc {e(ev['doc_id'])}</p>"
    )


def _file_url(path: str) -> str:
    """A file:// link to the document as ingested (members of archives: the archive)."""
    if not path:
        return ""
    base = path.split("::", 1)[0].split("!", 1)[0]
    try:
        absolute = str(Path(base).resolve())
    except (OSError, ValueError):
        return ""
    return "file://" + quote(absolute)


def render(report: CheckReport, fmt: str) -> str:
    if fmt == "md":
        return to_markdown(report)
    if fmt == "html":
        return to_html(report)
    raise ValueError(f"unknown report format {fmt!r} (md or html)")
