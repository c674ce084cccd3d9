"""E-mail headers as ingest stored them (models.EmailHeaders, parsed once by
ingest/email_header.py): PERSON mentions for the senders and recipients named in the
document's own header, and `communicated` relations From -> To/Cc/Bcc with the header line as
evidence. The header is not sent to the model."""

from __future__ import annotations

from casegraph.analyze.context import DocContext, M
from casegraph.models import EmailHeaders, Relation, Span


def header_mentions(ctx: DocContext, headers: EmailHeaders) -> list[Relation]:
    """Add the top header's mentions to ctx (chunk -1) and return the From -> To/Cc/Bcc
    relations, whose subject/object are local mention indexes."""
    lines = [s for s in headers.of_kind("field") if s.number == 0]
    senders: list[int] = []
    recipients: list[tuple[int, str, int, int]] = []
    for name in headers.of_kind("name"):
        if name.number != 0:
            continue
        ctx.mentions.append(
            M(name.start, name.end, ctx.text[name.start : name.end], "PERSON", source="header")
        )
        k = len(ctx.mentions) - 1
        if name.field == "from":
            senders.append(k)
            continue
        line = next((s for s in lines if s.start <= name.start <= s.end), name)
        recipients.append((k, name.field, line.start, line.end))
    relations = []
    for s in senders[:1]:
        for k, field, ls, le in recipients:
            if ctx.mentions[k].text.lower() == ctx.mentions[s].text.lower():
                continue  # a note to oneself is not a communication between two people
            relations.append(
                Relation(
                    subject_mention=s,
                    object_mention=k,
                    kind="communicated",
                    predicate=f"e-mail {field}",
                    evidence=Span(ctx.doc_id, ls, le, ctx.text[ls:le]),
                    confidence=0.95,
                    meta={"header": field},
                )
            )
    return relations
