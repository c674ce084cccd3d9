"""Our spaCy components, registered by name so that any pipeline can include them.

`casegraph_line_breaks` runs before the parser and starts a sentence after a line break that
clearly ends one (sentence punctuation, a colon, a heading line, a bullet or a quote mark on
the next line). spaCy's models treat a single newline as ordinary space, which glues headings
and list items onto the next sentence; OCR text wraps lines mid-sentence, so a bare newline
alone is not enough to break."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

_END = (".", "!", "?", ":", '"', "”", "»", ";")
_BULLETS = ("-", "•", "*", "–", "—", '"', "“", "«")


def _heading(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= 10
        and not line.endswith((",", "-", "—", "and", "or", "the", "of"))
        and all(
            w[:1].isupper()
            or not w[:1].isalpha()
            or w in {"of", "the", "and", "in", "for", "a", "an", "to", "on", "at", "is", "by", "with"}
            for w in words
        )
    )


@Language.component("casegraph_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    text = doc.text
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if tok.is_space or "\n" not in prev.text + prev.whitespace_:
            continue
        line_end = doc[tok.i - 1].idx
        line_start = text.rfind("\n", 0, line_end) + 1
        line = text[line_start:line_end].strip()
        if (
            "\n\n" in prev.text
            or line.endswith(_END)
            or tok.text.startswith(_BULLETS)
            or (_heading(line) and tok.text[:1].isupper())
        ):
            tok.is_sent_start = True
    return doc


def add_components(nlp: object) -> None:
    if "parser" in nlp.pipe_names and "casegraph_line_breaks" not in nlp.pipe_names:  # type: ignore[attr-defined]
        nlp.add_pipe("casegraph_line_breaks", before="parser")  # type: ignore[attr-defined]
