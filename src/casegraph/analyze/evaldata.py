"""Readers for the development sets in ../shared/eval and the fixed fit / held-out splits that
both the training scripts and `casegraph eval` use: learned models are fitted on the "fit"
part only and every figure `eval` reports for them is on the "held-out" part."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casegraph.errors import CasegraphError


def eval_root(data: str | os.PathLike[str] | None = None) -> Path:
    """The evaluation folder: explicit, $CASEGRAPH_EVAL, ../shared/eval beside the checkout or cwd."""
    candidates = [data, os.environ.get("CASEGRAPH_EVAL")]
    here = Path(__file__).resolve()
    candidates += [p / "shared" / "eval" for p in (here.parents[3].parent, Path.cwd().parent, Path.cwd())]
    for c in candidates:
        if c and Path(c).is_dir():
            return Path(c)
    raise CasegraphError(
        "evaluation data not found: pass --data DIR or set CASEGRAPH_EVAL (expected ../shared/eval)"
    )


def held_out(index: int, every: int = 5) -> bool:
    """Every 5th item (by sorted name) is held out; the rest is for fitting."""
    return index % every == every - 1


# -- CoNLL-2003 --------------------------------------------------------------------------


@dataclass
class ConllDoc:
    text: str
    entities: set[tuple[int, int, str]] = field(default_factory=set)


def read_conll(path: Path) -> list[ConllDoc]:
    """Documents (split at -DOCSTART-) as text (tokens joined by spaces, one sentence per line)
    with gold entity character spans."""
    docs: list[ConllDoc] = []
    parts: list[str] = []
    ents: set[tuple[int, int, str]] = set()
    pos = 0
    current: tuple[int, int, str] | None = None
    sentence_open = False

    def close_entity() -> None:
        nonlocal current
        if current is not None:
            ents.add(current)
            current = None

    def flush() -> None:
        nonlocal parts, ents, pos, sentence_open
        close_entity()
        if parts:
            docs.append(ConllDoc("".join(parts).rstrip("\n"), ents))
        parts, ents, pos, sentence_open = [], set(), 0, False

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            flush()
            continue
        if not line.strip():
            close_entity()
            if sentence_open:
                parts.append("\n")
                pos += 1
                sentence_open = False
            continue
        cols = line.split()
        token, tag = cols[0], cols[-1]
        if sentence_open:
            parts.append(" ")
            pos += 1
        start, end = pos, pos + len(token)
        parts.append(token)
        pos = end
        sentence_open = True
        if tag == "O":
            close_entity()
        else:
            prefix, label = tag.split("-", 1)
            if current is not None and prefix == "I" and current[2] == label:
                current = (current[0], end, label)
            else:
                close_entity()
                current = (start, end, label)
    flush()
    return docs


# -- PolNeAR -----------------------------------------------------------------------------


@dataclass
class Attribution:
    content: list[tuple[int, int]]
    source: list[tuple[int, int]]
    cue: list[tuple[int, int]]


def read_polnear(root: Path) -> Iterator[tuple[str, str, list[Attribution]]]:
    """(name, text, attributions) of each dev article."""
    texts = root / "polnear" / "dev" / "text"
    for ann in sorted((root / "polnear" / "dev" / "attributions").glob("*.ann")):
        name = re.sub(r"_[0-9a-f]{4}$", "", ann.stem)
        text_path = texts / f"{name}.txt"
        if not text_path.is_file():
            continue
        spans: dict[str, list[tuple[int, int]]] = {}
        events = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if line.startswith("T") and len(cols) >= 2:
                _kind, _, ranges = cols[1].partition(" ")
                spans[cols[0]] = [tuple(int(x) for x in r.split()) for r in ranges.split(";")]  # type: ignore[misc]
            elif line.startswith("E") and len(cols) >= 2:
                events.append(dict(part.split(":", 1) for part in cols[1].split()))
        atts = []
        for ev in events:
            if "Content" not in ev:
                continue
            atts.append(
                Attribution(
                    spans.get(ev["Content"], []),
                    spans.get(ev.get("Source", ""), []),
                    spans.get(ev.get("Cue", ""), []),
                )
            )
        yield name, text_path.read_text(encoding="utf-8"), atts


# -- PTC ---------------------------------------------------------------------------------


@dataclass
class PtcArticle:
    id: str
    text: str
    spans: list[tuple[str, int, int]]

    def sentences(self) -> list[tuple[int, int]]:
        """One sentence per line (the corpus is pre-split); empty lines skipped."""
        out, pos = [], 0
        for line in self.text.split("\n"):
            if line.strip():
                out.append((pos, pos + len(line)))
            pos += len(line) + 1
        return out

    def labels(self, start: int, end: int) -> set[str]:
        return {t for t, s, e in self.spans if s < end and start < e}


def read_ptc(root: Path) -> list[PtcArticle]:
    out = []
    for path in sorted((root / "ptc" / "articles").glob("article*.txt")):
        aid = path.stem.replace("article", "")
        labels = root / "ptc" / "labels-tc" / f"article{aid}.task2-TC.labels"
        spans = []
        if labels.is_file():
            for line in labels.read_text(encoding="utf-8").splitlines():
                cols = line.split("\t")
                if len(cols) == 4:
                    spans.append((cols[1], int(cols[2]), int(cols[3])))
        out.append(PtcArticle(aid, path.read_text(encoding="utf-8"), spans))
    return out


def ptc_split(articles: list[PtcArticle]) -> tuple[list[PtcArticle], list[PtcArticle]]:
    fit = [a for i, a in enumerate(articles) if not held_out(i)]
    test = [a for i, a in enumerate(articles) if held_out(i)]
    return fit, test


# -- CheckThat! 2019 ---------------------------------------------------------------------


def read_checkthat(root: Path) -> list[tuple[str, list[tuple[str, str, int]]]]:
    """(debate name, [(speaker, sentence, label)]) for each debate file."""
    out = []
    for path in sorted((root / "checkthat2019" / "training").glob("*.tsv")):
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) >= 4 and cols[-1].strip() in ("0", "1"):
                rows.append((cols[1], cols[2], int(cols[3])))
        out.append((path.stem, rows))
    return out


def checkthat_split(debates: list[Any]) -> tuple[list[Any], list[Any]]:
    fit = [d for i, d in enumerate(debates) if not held_out(i)]
    test = [d for i, d in enumerate(debates) if held_out(i)]
    return fit, test
