"""FARA registers as documents, entities and `represents` / `lobbied` relations that meet the
seed articles in one graph. Uses the registrants acting for Kazakh principals (a real subset
of the bulk files, written to a temporary folder)."""

from __future__ import annotations

import csv

import pytest

from casegraph.ingest.fara import PRINCIPALS, REGISTRANTS, name_label, read_csv_rows


@pytest.fixture(scope="module")
def fara_subset(tmp_path_factory, corpus):
    source = corpus / "fara"
    target = tmp_path_factory.mktemp("fara")
    rows = list(read_csv_rows(source / PRINCIPALS))
    fields, principals = list(rows[0]), [r for r in rows if r["Country/Location Represented"] == "KAZAKHSTAN"]
    numbers = {r["Registration Number"] for r in principals}
    with open(target / PRINCIPALS, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fields, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(principals)
    rows = list(read_csv_rows(source / REGISTRANTS))
    fields, registrants = list(rows[0]), [r for r in rows if r["Registration Number"] in numbers]
    with open(target / REGISTRANTS, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fields, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(registrants)
    return target, len(numbers), len(principals)


def test_registers_become_documents_and_relations_with_spans(seeds_case, fara_subset):
    folder, n_registrants, n_principals = fara_subset
    summary = seeds_case.ingest_fara(folder)
    assert summary["documents_added"] == n_registrants
    assert summary["relations"] >= n_principals  # represents, plus lobbied where a country is given
    docs = [d for d in seeds_case.docs() if d["mime"] == "text/x-fara"]
    assert len(docs) == n_registrants
    assert all("#row=" in d["path"] for d in docs)
    again = seeds_case.ingest_fara(folder)  # idempotent: same rendered text, same document id
    assert again["documents_added"] == 0

    brownstein = seeds_case.find_entity("Brownstein Hyatt Farber Schreck, LLP")
    assert brownstein["type"] == "ORG"
    result = seeds_case.neighbors(brownstein["id"], limit=100)
    by_name = {n["entity"]["name"]: n for n in result["neighbors"]}
    assert "Samruk-Kazyna" in by_name
    represents = [r for r in by_name["Samruk-Kazyna"]["relations"] if r["kind"] == "represents"]
    assert represents and represents[0]["direction"] == "out"
    for ev in represents[0]["evidence"]:
        text = seeds_case.store.document_text(ev["doc_id"])
        assert text[ev["start"] : ev["end"]] == ev["text"]
        assert "Samruk-Kazyna" in ev["text"] and "represents" in ev["text"]


def test_registers_and_articles_meet_in_one_graph(seeds_case, fara_subset):
    seeds_case.ingest_fara(fara_subset[0])
    kazakhstan = seeds_case.find_entity("Kazakhstan")
    kinds = seeds_case.store.query(
        "SELECT DISTINCT d.kind, d.mime FROM mentions m JOIN documents d ON d.id = m.doc_id WHERE m.entity_id = ?",
        (kazakhstan["id"],),
    )
    assert {"article", "source"} <= {k["kind"] for k in kinds}
    lobbied = seeds_case.neighbors("Kazakhstan", kind="lobbied", limit=200)["neighbors"]
    assert {"Brownstein Hyatt Farber Schreck, LLP", "Portland PR Inc"} & {
        n["entity"]["name"] for n in lobbied
    }
    # an article's person and a register's lobbyist are now connected through the country
    # (over the article's sentences too: asked for with evidence="all")
    path = seeds_case.path("Nursultan Nazarbayev", "Brownstein Hyatt Farber Schreck, LLP", evidence="all")
    assert path["paths"]
    kinds = {s["evidence_kind"] for p in path["paths"] for s in p["steps"]}
    assert "source" in kinds  # the register's relation is source evidence


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Wiles, Lanny", "PERSON"),
        ("Alexander Machkevich", "PERSON"),
        ("Embassy of Kazakhstan", "ORG"),
        ("Samruk-Kazyna", "ORG"),
        ("Brownstein Hyatt Farber Schreck, LLP", "ORG"),
        ("Ministry of Justice of the Republic of Kazakhstan", "ORG"),
    ],
)
def test_register_names_are_typed(name, label):
    assert name_label(name) == label


def test_register_relations_export_as_ftm_representation(seeds_case, fara_subset, tmp_path):
    import json

    from followthemoney import model

    seeds_case.ingest_fara(fara_subset[0])
    out = seeds_case.export("ftm", tmp_path / "fara.ftm.json")
    proxies = {
        p.id: p
        for p in (model.get_proxy(json.loads(line)) for line in open(out["files"][0], encoding="utf-8"))
    }
    brownstein = seeds_case.find_entity("Brownstein Hyatt Farber Schreck, LLP")["id"]
    assert proxies[brownstein].schema.name == "Company"  # "LLP" is a legal form
    represents = [
        p for p in proxies.values() if p.schema.name == "Representation" and p.first("agent") == brownstein
    ]
    clients = {proxies[p.first("client")].first("name") for p in represents}
    assert "Samruk-Kazyna" in clients
    proof = proxies[represents[0].first("proof")]
    assert proof.schema.name == "Document" and proof.first("fileName") == "FARA_All_Registrants.csv"


def test_a_file_that_is_not_a_register_is_a_clear_error(tmp_path):
    from casegraph.api import Case
    from casegraph.errors import IngestError
    from tests.conftest import SEED_KAZAKH, new_case_db

    with Case(new_case_db(tmp_path)) as case, pytest.raises(IngestError, match="not a FARA"):
        case.ingest_fara(SEED_KAZAKH)


def test_register_documents_are_left_alone_by_the_nlp_stage(seeds_case, fara_subset):
    seeds_case.ingest_fara(fara_subset[0])
    before = seeds_case.store.counts()["mentions"]
    summary = seeds_case.analyze(progress=False)
    assert summary["documents"] == 0  # the seeds were analyzed, the registers are marked so
    assert seeds_case.store.counts()["mentions"] == before


def test_forced_reanalysis_leaves_registers_alone(seeds_case, fara_subset):
    seeds_case.ingest_fara(fara_subset[0])
    represents = len(seeds_case.relations(kind="represents"))
    summary = seeds_case.analyze(force=True, progress=False)
    assert summary["documents"] == 2  # the two seeds, not the register documents
    assert len(seeds_case.relations(kind="represents")) == represents


def test_ingesting_again_restores_registers_an_nlp_run_overwrote(seeds_case, fara_subset):
    seeds_case.ingest_fara(fara_subset[0])
    represents = len(seeds_case.relations(kind="represents"))
    registers = [d["id"] for d in seeds_case.docs() if d["mime"] == "text/x-fara"]
    seeds_case.analyze(force=True, doc_ids=registers, progress=False)  # named explicitly: overwritten
    again = seeds_case.ingest_fara(fara_subset[0])
    assert again["documents_restored"] == again["documents_already_present"] > 0
    assert len(seeds_case.relations(kind="represents")) == represents
    assert seeds_case.find_entity("Brownstein Hyatt Farber Schreck, LLP")["type"] == "ORG"
