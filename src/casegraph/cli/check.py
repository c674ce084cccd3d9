"""CLI commands of the check stage: `check` and `eval wice`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from casegraph.cli import case_of, emit, eval_group, json_option, main, table
from casegraph.cli.safety import force_option, guard_outputs, write_text_atomic
from casegraph.models import CheckedItem


@main.command()
@click.argument("article")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html"]),
    default=None,
    help="Write the report as Markdown or self-contained HTML (to -o, else stdout).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write the report to (format from --format, else from the suffix).",
)
@click.option("--no-save", is_flag=True, help="Do not store the report in the database.")
@force_option
@json_option
@click.pass_context
def check(
    ctx: click.Context,
    article: str,
    fmt: str | None,
    output: Path | None,
    no_save: bool,
    force: bool,
    as_json: bool,
) -> None:
    """Check ARTICLE's quotes and claims against the source documents.

    ARTICLE is a document id, a path as ingested, or a file to ingest as an article first.
    With --json the report is printed on stdout; with -o it is written to a file and the
    summary printed; otherwise the summary and one line per item are printed."""
    from casegraph.check.report import render, summary_line

    if output is not None and fmt is None:
        fmt = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}.get(output.suffix.lower())
        if fmt is None:
            raise click.BadParameter("give --format md|html for this file name", param_hint="-o")
    if output is not None:  # before the work: never over the case, the article or a file without --force
        guard_outputs(ctx, [output], force=force, inputs=[article])
    case = case_of(ctx)
    read_only = bool(getattr(case.store, "read_only", False))
    if read_only and not no_save:
        click.echo("check: the case is read-only: the report is not stored in it", err=True)
    report = case.check(article, save=not (no_save or read_only))
    if output is not None:
        write_text_atomic(output, render(report, fmt or "html"))
    if as_json:
        emit(report, True)
        if output is not None:
            click.echo(f"report written to {output}", err=True)
        return
    if fmt and output is None:
        click.echo(render(report, fmt), nl=False)
        return
    click.echo(summary_line(report))
    if output is not None:
        click.echo(f"report written to {output}")
        return
    click.echo(
        table([_row(i) for i in report["items"]], ["status", "score", "kind", "text", "evidence", "speakers"])
    )


def _row(item: CheckedItem) -> dict[str, str]:
    from casegraph.check.report import speakers

    ev = item["evidence"][0] if item["evidence"] else None
    where = (ev.get("bates") or ev.get("title") or ev["doc_id"]) if ev else ""
    return {
        "status": item["status"],
        "score": f"{item['score']:.2f}",
        "kind": item["kind"],
        "text": item["text"],
        "evidence": where,
        "speakers": "{} / source: {}".format(*speakers(item)),  # the article's, the source's
    }


@eval_group.command("wice")
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    default=None,
    help="WiCE dev.jsonl or the eval folder (default: ../shared/eval or $CASEGRAPH_EVAL).",
)
@click.option("--limit", type=int, default=None, help="Only the first N claims of the report split.")
@json_option
def eval_wice(data: Path | None, limit: int | None, as_json: bool) -> None:
    """Support-score accuracy on WiCE's report split against a TF-IDF similarity baseline."""
    from casegraph.check.api import evaluate_wice

    emit(evaluate_wice(data, limit), as_json, render=_render_wice)


@eval_group.command("verdicts")
@click.option(
    "--corpus",
    type=click.Path(path_type=Path),
    default=None,
    help="The estate corpus folder the pairs are built from (default: ../shared/corpus/epstein-estate"
    " or $CASEGRAPH_CORPUS).",
)
@click.option("--limit", type=int, default=None, help="Only the first N pairs of the report half.")
@json_option
def eval_verdicts(corpus: Path | None, limit: int | None, as_json: bool) -> None:
    """Verifier precision and recall per status on pairs built from the corpus (report half)."""
    from casegraph.check.verdict_eval import evaluate_verdicts

    emit(evaluate_verdicts(corpus, limit), as_json, render=_render_verdicts)


@eval_group.command("rte")
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    default=None,
    help="RTE dev.tsv or the eval folder (default: ../shared/eval or $CASEGRAPH_EVAL).",
)
@json_option
def eval_rte(data: Path | None, as_json: bool) -> None:
    """Verifier accuracy on RTE dev (does the premise state the hypothesis?) against the old rule."""
    from casegraph.check.api import default_wice_path
    from casegraph.check.verdict_eval import evaluate_rte

    path = data or default_wice_path().parent.parent / "rte" / "dev.tsv"
    if path.is_dir():
        path = path / "rte" / "dev.tsv" if (path / "rte").is_dir() else path / "dev.tsv"
    result = evaluate_rte(path)
    emit(
        result,
        as_json,
        render=lambda r: (
            f"RTE dev: {r['pairs']} pairs; verifier accuracy {r['verifier_found_accuracy']:.3f}"
            f" (at p>=0.5: {r['verifier_accuracy_at_0.5']:.3f}), before {r['before_found_accuracy']:.3f},"
            f" majority {r['majority']:.3f}; {r['seconds']} s"
        ),
    )


def _render_verdicts(r: dict[str, Any]) -> str:
    lines = [f"verdict pairs ({r['split']}): {r['pairs']} {r['labels']}"]
    for name in ("verifier", "before"):
        parts = [
            f"{label} P {v['precision']:.3f} R {v['recall']:.3f}"
            for label, v in r[name].items()
            if isinstance(v, dict)
        ]
        lines.append(f"{name:9s} " + "; ".join(parts) + f"; accuracy {r[name]['accuracy']:.3f}")
    lines.append(f"{r['seconds']} s")
    return "\n".join(lines)


def _render_wice(r: dict[str, Any]) -> str:
    b, t, any_ = r["supported_vs_rest"], r["three_way"], r["any_support_incl_unrelated_pages"]
    h = r["evidence_hit"]
    return "\n".join(
        [
            f"WiCE {r['split']}: {r['examples']} claims {r['labels']}",
            f"supported vs rest   accuracy casegraph {b['casegraph']['accuracy']:.3f} (balanced {b['casegraph']['balanced_accuracy']:.3f})"
            f"  baseline tf-idf {b['baseline_tfidf']['accuracy']:.3f} (balanced {b['baseline_tfidf']['balanced_accuracy']:.3f})"
            f"  majority {b['majority']['accuracy']:.3f}",
            f"three-way           accuracy casegraph {t['casegraph']:.3f}  baseline {t['baseline_tfidf']:.3f}  majority {t['majority']:.3f}",
            f"any support (+{any_['examples'] - r['examples']} unrelated pages) accuracy casegraph {any_['casegraph']['accuracy']:.3f}"
            f"  baseline {any_['baseline_tfidf']['accuracy']:.3f}",
            f"evidence sentence hit@1 casegraph {h['casegraph_at_1']:.3f} baseline {h['baseline_at_1']:.3f};"
            f" hit@3 {h['casegraph_at_3']:.3f} / {h['baseline_at_3']:.3f}",
            *[
                f"{name}: found P {v['found']['precision']:.3f} R {v['found']['recall']:.3f};"
                f" not_found P {v['not_found']['precision']:.3f} R {v['not_found']['recall']:.3f}"
                for name, v in (r.get("per_status") or {}).items()
                if isinstance(v, dict) and "found" in v
            ],
            f"{r['seconds']} s",
        ]
    )
