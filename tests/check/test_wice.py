"""Calibration on WiCE: the fit and report splits are disjoint, the shipped thresholds say
how they were fitted, and `eval wice` measures on the report split against a baseline."""

from __future__ import annotations

import json

from click.testing import CliRunner

from casegraph.check import calibration, wice


def test_splits_are_disjoint_and_deterministic(eval_dir):
    examples = wice.load(eval_dir / "wice" / "dev.jsonl")
    fit = {e.claim for e in examples if e.split == "fit"}
    report = {e.claim for e in examples if e.split == "report"}
    assert fit and report and not fit & report
    assert 0.5 < len(fit) / len(examples) < 0.7
    assert [e.split for e in wice.load(eval_dir / "wice" / "dev.jsonl")] == [e.split for e in examples]


def test_shipped_thresholds_were_fitted_on_the_fit_split():
    t = calibration.load()
    assert "fit" in t.fitted.get("split", "") and t.fitted.get("examples", 0) > 100
    assert 0.0 < t.related <= t.support < 1.0 and 0.0 < t.min_cosine < 1.0
    # more similar and more shared words -> higher support score
    assert t.score(0.9, 0.9) > t.score(0.5, 0.9) and t.score(0.9, 0.9) > t.score(0.9, 0.3)


def test_eval_wice_reports_casegraph_and_baseline_on_the_report_split(eval_dir):
    from casegraph.cli import main

    result = CliRunner(mix_stderr=False).invoke(
        main, ["eval", "wice", "--data", str(eval_dir), "--limit", "12", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["examples"] == 12 and data["split"].startswith("report")
    for block in ("supported_vs_rest", "any_support_incl_unrelated_pages"):
        for system in ("casegraph", "baseline_tfidf"):
            assert 0.0 <= data[block][system]["accuracy"] <= 1.0
    assert data["any_support_incl_unrelated_pages"]["examples"] == 24
