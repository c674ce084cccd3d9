"""Text inside text: which stretches of an e-mail are its sender's own words, which are a
reply's quoted history or a forwarded message (and whose), and which are a news story the
sender pasted in (and the story's narration, which is nobody's statement).

Blocks are `Segment(kind="block")` with a role and, when known, an author:
- authored: the sender's own text (the author is the sender);
- quoted / forwarded: text after "On DATE, NAME wrote:", "-----Original Message-----",
  "Begin forwarded message:", a second "From: NAME" header (where these begin is the header
  structure ingest stored: ingest/email_header.py), or lines starting with ">";
- pasted: a news story pasted into the message (author: its byline or publication);
- narration: the sentences of a pasted story outside any attribution's content (set by
  `narration`, once attributions are known).
Rules, not a model; tests/analyze/test_attribution.py measures them on estate e-mails.
"""

from __future__ import annotations

import re
from typing import Any

from casegraph.models import EmailHeaders, Segment

_GT = re.compile(r"^(?:>[^\n]*\n?)+", re.M)
_URL = re.compile(r"^\s*(?:https?://|www\.)\S+", re.M)
_PUBLICATION = re.compile(
    r"\b(?:Reuters|Associated Press|AP News|Bloomberg|New York Times|NY Times|Washington Post|Wall Street Journal|"
    r"Financial Times|Guardian|Telegraph|Newsmax|Daily Beast|Daily Mail|Miami Herald|Palm Beach Post|Politico|"
    r"Huffington Post|HuffPost|CNN|BBC|NBC News|CBS News|ABC News|Fox News|Forbes|Vanity Fair|New Yorker|"
    r"The Atlantic|Time Magazine|Newsweek|Business Insider|Axios|Vox|Slate|The Hill|USA Today|Los Angeles Times)\b"
)
_BYLINE = re.compile(r"^\s*By\s+([A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){1,3})\s*$", re.M)
_STAFF = re.compile(
    r"^\s*([A-Z][\w.'-]+\s+[A-Z][\w.'-]+)\s*\n(?:[^\n]*\n){0,12}?[^\n]*\b(?:Staff Writer|Reporter|Correspondent)\b",
    re.M,
)
_ATTRIBUTION = re.compile(
    r"(?:[”\"],?\s+(?:[A-Z][\w.'-]+\s+){1,3}(?:said|says|wrote|told|added)|"
    r"\b(?:[A-Z][\w'-]+|he|she)\s+(?:said|says|told|wrote|added|claimed|declined)\b|according to)"
)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|my|me|we|our|you|your|pls|please|fyi|FYI)\b")


def blocks(text: str, headers: EmailHeaders, meta: dict[str, Any]) -> list[Segment]:
    """Role blocks of an e-mail document; [] for other documents. The blocks cover the body
    (from the end of its header), in order; where quoted and forwarded messages begin comes
    from the header structure ingest stored (segments of kind "message")."""
    body_start = headers.body_start()
    if body_start <= 0 and not meta.get("email_header") and not meta.get("email_from"):
        return []
    sender = _sender(meta)
    # (marker start, content start, role, author)
    cuts = [(m.start, m.start, m.role, m.author) for m in headers.of_kind("message") if m.start >= body_start]
    cuts.sort()
    out: list[Segment] = []
    spans: list[tuple[int, int, str, str]] = []
    pos, role, author = body_start, "authored", sender
    for start, content, new_role, new_author in cuts:
        if start < pos:
            continue
        spans.append((pos, start, role, author))
        pos, role, author = content, new_role, new_author
    spans.append((pos, len(text), role, author))
    for s, e, r, a in spans:
        if not text[s:e].strip():
            continue
        if r == "authored":
            out += _authored(text, s, e, a)
        else:
            out.append(Segment("block", s, e, role=r, author=a))
    # reply history marked with ">" inside the sender's own text
    final: list[Segment] = []
    for seg in out:
        if seg.role != "authored":
            final.append(seg)
            continue
        pos = seg.start
        for m in _GT.finditer(text, seg.start, seg.end):
            if m.start() > pos:
                final.append(Segment("block", pos, m.start(), role=seg.role, author=seg.author))
            final.append(Segment("block", m.start(), m.end(), role="quoted"))
            pos = m.end()
        if pos < seg.end:
            final.append(Segment("block", pos, seg.end, role=seg.role, author=seg.author))
    for n, seg in enumerate(final):
        seg.number = n
    return [s for s in final if text[s.start : s.end].strip()]


def _sender(meta: dict[str, Any]) -> str:
    value = meta.get("email_from")
    if isinstance(value, dict):
        return str(value.get("name") or value.get("address") or "").strip()
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return str(value[0].get("name") or value[0].get("address") or "").strip()
    return str(meta.get("from_name") or "").strip()


def _authored(text: str, start: int, end: int, sender: str) -> list[Segment]:
    """The sender's part of a message: their own words, and a pasted news story if the text
    reads as one (a link or a publication's name near the top, a byline, reported speech of
    named third persons, and few words in the first or second person)."""
    body = text[start:end]
    words = len(body.split())
    if words < 80:
        return [Segment("block", start, end, role="authored", author=sender)]
    attributions = len(_ATTRIBUTION.findall(body))
    first_person = len(_FIRST_PERSON.findall(body))
    head = body[: max(600, len(body) // 4)]
    url = _URL.search(head)
    publication = _PUBLICATION.search(body[:2000])
    byline = _BYLINE.search(body) or _STAFF.search(body)
    signals = sum([url is not None, publication is not None, byline is not None, attributions >= 2])
    if signals < 2 or first_person > max(6, words // 40):
        return [Segment("block", start, end, role="authored", author=sender)]
    story = start
    lead = [m for m in (url, _first_line_with(body, _PUBLICATION)) if m is not None]
    if lead:
        story = start + min(m.start() for m in lead)
        story = text.rfind("\n", start, story) + 1 if text.rfind("\n", start, story) >= start else start
    while story < end and text[story].isspace():
        story += 1
    author = byline.group(1).strip() if byline else ""
    if publication is not None:
        author = f"{author} ({publication.group(0)})" if author else publication.group(0)
    elif url is not None:
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.group(0).strip()).split("/")[0]
        author = f"{author} ({host})" if author else host
    out = []
    if text[start:story].strip():
        out.append(Segment("block", start, story, role="authored", author=sender))
    out.append(Segment("block", story, end, role="pasted", author=author))
    return out


def _first_line_with(body: str, pattern: re.Pattern[str]) -> re.Match[str] | None:
    m = pattern.search(body, 0, max(600, len(body) // 4))
    return m


def narration(
    pasted: list[Segment], sentences: list[tuple[int, int]], contents: list[tuple[int, int]]
) -> list[Segment]:
    """Narration blocks: the sentences of pasted stories that no attribution's content (or
    source and cue) touches, consecutive ones merged."""
    out: list[Segment] = []
    for block in pasted:
        for s, e in sentences:
            if not (block.start <= s < block.end):
                continue
            if any(a < e and s < b for a, b in contents):
                continue
            if (
                out
                and out[-1].author == block.author
                and out[-1].end >= s - 3
                and out[-1].start >= block.start
            ):
                out[-1].end = e
            else:
                out.append(Segment("block", s, e, role="narration", author=block.author))
    return out
