"""Sentence-embedding throughput of all-MiniLM-L6-v2 (casegraph's model) on the lent GPU and on its CPUs."""

import json
import os
import time

import torch
from sentence_transformers import SentenceTransformer

here = os.path.dirname(os.path.abspath(__file__))
out = os.environ.get("OUT", "/tmp")
sentences = open(os.path.join(here, "sentences.txt"), encoding="utf-8").read().split("\n")
words = sum(len(s.split()) for s in sentences)
report = {
    "sentences": len(sentences),
    "words": words,
    "torch": torch.__version__,
    "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
    "runs": [],
}
gpu = SentenceTransformer(os.path.join(here, "minilm"), device="cuda")
gpu.half()
gpu.encode(sentences[:2048], batch_size=512)  # warm-up
for batch in (128, 512, 2048):
    torch.cuda.synchronize()
    t = time.perf_counter()
    gpu.encode(sentences, batch_size=batch, normalize_embeddings=True)
    torch.cuda.synchronize()
    dt = time.perf_counter() - t
    report["runs"].append(
        {
            "device": "cuda fp16",
            "batch": batch,
            "seconds": round(dt, 3),
            "sentences_per_s": round(len(sentences) / dt, 1),
        }
    )
    print(report["runs"][-1], flush=True)
cpu = SentenceTransformer(os.path.join(here, "minilm"), device="cpu", model_kwargs={"dtype": torch.float32})
sub = sentences[:4000]
for threads in (1, 16):
    torch.set_num_threads(threads)
    cpu.encode(sub[:64], batch_size=32)
    t = time.perf_counter()
    cpu.encode(sub, batch_size=64)
    dt = time.perf_counter() - t
    report["runs"].append(
        {
            "device": f"cpu fp32, {threads} threads",
            "batch": 64,
            "seconds": round(dt, 3),
            "sentences_per_s": round(len(sub) / dt, 1),
        }
    )
    print(report["runs"][-1], flush=True)
json.dump(report, open(os.path.join(out, "embed_gpu.json"), "w"), indent=2)
