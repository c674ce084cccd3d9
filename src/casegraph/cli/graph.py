"""CLI commands of the resolve and graph stages: resolve, entities, entity, neighbors, path,
timeline, communities, merge, split, rename, delete-entity, corrections, undo, export, ingest-fara."""

from __future__ import annotations

import click

from casegraph.cli import case_of, emit, json_option, main, table
from casegraph.cli.safety import COUNT, changed, force_option, guard_outputs, text_argument
from casegraph.models import EntityProfile, NeighborsResult, PathResult

ENTITY_COLUMNS = ["id", "name", "type", "mentions", "documents", "aliases"]


@main.command()
@json_option
@click.pass_context
def resolve(ctx: click.Context, as_json: bool) -> None:
    """Resolve mentions into corpus entities, re-apply corrections, rebuild the graph."""
    emit(case_of(ctx).resolve(), as_json)


@main.command()
@click.option("--type", "type_", help="Only entities of this type (PERSON, ORG, GPE, ...).")
@click.option("--limit", type=COUNT, help="At most this many, most mentioned first.")
@json_option
@click.pass_context
def entities(ctx: click.Context, type_: str | None, limit: int | None, as_json: bool) -> None:
    """Resolved entities: id, name, type, aliases, mentions, documents."""
    rows = case_of(ctx).entities(type=type_, limit=limit)
    if as_json:
        emit(rows, True)
    else:
        emit([{**r, "aliases": ", ".join(r["aliases"][:5])} for r in rows], False, ENTITY_COLUMNS)


@main.command()
@click.argument("name")
@json_option
@click.pass_context
def entity(ctx: click.Context, name: str, as_json: bool) -> None:
    """Profile of an entity (by name, alias or id): aliases, merge reasons, mentions by
    document, relations, quotes by and about it, dated events."""
    emit(case_of(ctx).entity(name), as_json, render=_render_profile)


evidence_option = click.option(
    "--evidence",
    type=click.Choice(["source", "article", "all"]),
    default="source",
    show_default=True,
    help="Use relations whose evidence is in source documents, in articles, or all of them.",
)


@main.command()
@click.argument("name")
@click.option("--limit", type=COUNT, default=25, show_default=True)
@click.option("--kind", help="Only this relation kind (family, met, communicated, mentioned_with, ...).")
@evidence_option
@json_option
@click.pass_context
def neighbors(
    ctx: click.Context, name: str, limit: int, kind: str | None, evidence: str, as_json: bool
) -> None:
    """Entities connected to NAME, strongest evidence first."""
    data = case_of(ctx).neighbors(name, limit=limit, kind=kind, evidence=evidence)
    emit(data, as_json, render=_render_neighbors)


@main.command()
@click.argument("a")
@click.argument("b")
@click.option(
    "-k",
    "--paths",
    "k",
    type=click.IntRange(0, 100, clamp=True),
    default=3,
    show_default=True,
    help="How many paths.",
)
@click.option("--max-hops", type=click.IntRange(0, 100, clamp=True), default=6, show_default=True)
@evidence_option
@json_option
@click.pass_context
def path(ctx: click.Context, a: str, b: str, k: int, max_hops: int, evidence: str, as_json: bool) -> None:
    """How A is connected to B: shortest paths, typed relations preferred, each step with evidence."""
    emit(case_of(ctx).path(a, b, k=k, max_hops=max_hops, evidence=evidence), as_json, render=_render_path)


@main.command()
@click.argument("name")
@json_option
@click.pass_context
def timeline(ctx: click.Context, name: str, as_json: bool) -> None:
    """Dated statements about NAME, in date order."""
    data = case_of(ctx).timeline(name)
    emit(
        data,
        as_json,
        render=lambda d: table(d["events"], ["date", "date_source", "doc_id", "text"], width=100),
    )


@main.command()
@click.option("--min-size", type=COUNT, default=2, show_default=True)
@json_option
@click.pass_context
def communities(ctx: click.Context, min_size: int, as_json: bool) -> None:
    """Groups of closely connected entities."""
    data = case_of(ctx).communities(min_size=min_size)
    rows = [
        {"id": c["id"], "size": c["size"], "members": ", ".join(m["name"] for m in c["members"][:8])}
        for c in data
    ]
    emit(data if as_json else rows, as_json, ["id", "size", "members"])


@main.command()
@click.argument("ids", nargs=-1, required=True)
@json_option
@click.pass_context
def merge(ctx: click.Context, ids: tuple[str, ...], as_json: bool) -> None:
    """Merge entities into the first one. Kept as a correction, applied after every resolve.
    Each is an entity id or the exact name of one entity."""
    case = case_of(ctx)
    found = [case.entity_to_change(key, "merge") for key in ids]
    emit(changed(found, "merged", case.merge(*(e["id"] for e in found))), as_json)


@main.command()
@click.argument("entity_id")
@click.argument("aliases", nargs=-1, required=True)
@json_option
@click.pass_context
def split(ctx: click.Context, entity_id: str, aliases: tuple[str, ...], as_json: bool) -> None:
    """Split the mentions written as each ALIAS out of ENTITY_ID into an entity of its own."""
    case = case_of(ctx)
    found = case.entity_to_change(entity_id, "split")
    parts = [text_argument(a, "the alias") for a in aliases]
    emit(changed([found], "split", case.split(found["id"], *parts)), as_json)


@main.command()
@click.argument("entity_id")
@click.argument("name")
@click.option("--type", "type_", help="Also set the entity's type.")
@json_option
@click.pass_context
def rename(ctx: click.Context, entity_id: str, name: str, type_: str | None, as_json: bool) -> None:
    """Give an entity another name (and type)."""
    case = case_of(ctx)
    new_name = text_argument(name, "the new name")
    found = case.entity_to_change(entity_id, "rename")
    result = case.rename(found["id"], new_name, type=text_argument(type_, "the type") if type_ else None)
    emit(changed([found], f"renamed to {new_name!r}", result), as_json)


@main.command("delete-entity")
@click.argument("entity_id")
@json_option
@click.pass_context
def delete_entity(ctx: click.Context, entity_id: str, as_json: bool) -> None:
    """Delete a false entity (its mentions stay in the documents, unlinked). ENTITY_ID is an
    entity id or the exact name of one entity; otherwise the candidates are listed and nothing changes."""
    case = case_of(ctx)
    found = case.entity_to_change(entity_id, "delete-entity")
    emit(changed([found], "deleted", case.delete_entity(found["id"])), as_json)


@main.command()
@json_option
@click.pass_context
def corrections(ctx: click.Context, as_json: bool) -> None:
    """Corrections made by people, in order, with whether they were undone."""
    rows = case_of(ctx).corrections()
    emit(rows, as_json, ["id", "action", "created_at", "undone", "payload"])


@main.command()
@click.argument("correction_id", type=COUNT)
@json_option
@click.pass_context
def undo(ctx: click.Context, correction_id: int, as_json: bool) -> None:
    """Undo a correction (see `corrections`); entities are rebuilt without it."""
    emit(case_of(ctx).undo(correction_id), as_json)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["gexf", "graphml", "ftm", "csv", "neo4j"]), required=True)
@click.argument("out", type=click.Path())
@force_option
@json_option
@click.pass_context
def export(ctx: click.Context, fmt: str, out: str, force: bool, as_json: bool) -> None:
    """Export the graph: gexf / graphml (Gephi), ftm (FollowTheMoney JSON lines for Aleph),
    csv (nodes + edges), neo4j (LOAD CSV files). OUT is a file (a folder for csv and neo4j).
    Existing files are kept unless --force; the case database is never written over. Cells
    of csv and neo4j files that a spreadsheet would run as formulas start with ' (OWASP)."""
    from pathlib import Path

    from casegraph.graph.export import FOLDER_FORMATS, output_files

    target = Path(out)
    folder = target if fmt in FOLDER_FORMATS else None
    guard_outputs(ctx, output_files(fmt, target), force=force, folder=folder)
    emit(case_of(ctx).export(fmt, out), as_json)


@main.command("ingest-fara")
@click.argument("path", type=click.Path(exists=True))
@json_option
@click.pass_context
def ingest_fara(ctx: click.Context, path: str, as_json: bool) -> None:
    """Load FARA bulk data as register documents, entities and relations. PATH is a folder
    with FARA_All_Registrants.csv and FARA_All_ForeignPrincipals.csv, or one of them.
    Running it again adds nothing twice."""
    emit(case_of(ctx).ingest_fara(path), as_json)


# -- readable output ---------------------------------------------------------------------------


def _render_profile(p: EntityProfile) -> str:
    lines = [
        f"{p['name']}  [{p['type']}]  {p['id']}",
        f"aliases: {', '.join(p['aliases'][:15]) or '-'}",
        f"mentions: {p['mentions']} in {p['documents']} documents",
    ]
    for r in p["reasons"][:10]:
        lines.append(f"  merged {r['a']!r} + {r['b']!r}: {r['rule']} ({r['score']})")
    lines.append("relations:")
    for n in p["relations"][:10]:
        kinds = ", ".join(f"{r['kind']}×{r['count']}" for r in n["relations"])
        lines.append(f"  {n['entity']['name']}: {kinds}")
    lines.append("events:")
    for e in p["events"][:10]:
        lines.append(f"  {e['date']}  {e['text'][:100]}")
    return "\n".join(lines)


def _render_neighbors(d: NeighborsResult) -> str:
    rows = [
        {
            "name": n["entity"]["name"],
            "type": n["entity"]["type"],
            "score": n["score"],
            "relations": ", ".join(f"{r['kind']}×{r['count']}" for r in n["relations"]),
        }
        for n in d["neighbors"]
    ]
    return table(rows, ["name", "type", "score", "relations"])


def _render_path(d: PathResult) -> str:
    if not d["paths"]:
        kind = d.get("evidence_kind", "all")
        hint = "" if kind == "all" else f" on {kind} evidence (--evidence all uses every relation)"
        return f"no connection found between {d['from']['name']} and {d['to']['name']}{hint}"
    lines = []
    for i, p in enumerate(d["paths"], start=1):
        lines.append(f"path {i}: {p['hops']} hops (cost {p['cost']})")
        for s in p["steps"]:
            lines.append(
                f"  {s['from']['name']} —{s['relation']}→ {s['to']['name']}"
                f"  ({s.get('evidence_kind', 'source')} evidence)"
            )
            for ev in s["evidence"][:1]:
                lines.append(f"      “{ev['text'][:160]}” [{ev['doc_id']} {ev['start']}-{ev['end']}]")
    return "\n".join(lines)
