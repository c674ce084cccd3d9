#!/usr/bin/env python
"""Fit the check stage's support score and thresholds on the fit split of WiCE and write
src/casegraph/check/models/thresholds.json (shipped with the package).

    .venv/bin/python scripts/fit_check_thresholds.py [--wice ../shared/eval/wice/dev.jsonl]

Only claims of the `fit` split (casegraph.check.wice.split_of) are read for fitting;
`casegraph eval wice` reports on the other split. Deterministic: same data, same file.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from casegraph.check import calibration, wice  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wice", default=str(ROOT.parent / "shared" / "eval" / "wice" / "dev.jsonl"))
    parser.add_argument(
        "--out", default=str(ROOT / "src" / "casegraph" / "check" / "models" / calibration.THRESHOLDS_FILE)
    )
    args = parser.parse_args()
    began = time.perf_counter()
    examples = [e for e in wice.with_unrelated_pages(wice.load(args.wice)) if e.split.startswith("fit")]
    scored = wice.score_examples(examples)
    thresholds = wice.fit(scored)
    baseline = wice.fit_baseline(scored)
    thresholds.fitted["baseline_tfidf"] = baseline
    if Path(args.out).is_file():  # the check-worthiness bar is fitted apart, on CheckThat!
        previous = calibration.load(args.out)
        thresholds.min_checkworthiness = previous.min_checkworthiness
        thresholds.fitted["min_checkworthiness"] = previous.fitted.get(
            "min_checkworthiness", "see scripts/fit_checkworthiness_threshold.py"
        )
    thresholds.fitted["seconds"] = round(time.perf_counter() - began, 1)
    calibration.save(thresholds, args.out)
    print(json.dumps(thresholds.to_dict(), indent=2))


if __name__ == "__main__":
    main()
