"""Sentence-embedding throughput of all-MiniLM-L6-v2 (casegraph's model) on a GPU and on its CPUs.

Reads sentences.txt and the float16 model folder minilm/ beside this file; writes $OUT/embed_gpu.json.
"""

import json
import os
import time
from pathlib import Path

import torch
from sentence_transformers import SentenceTransformer

HERE = Path(__file__).resolve().parent
OUT = Path(os.environ.get("OUT", "/tmp"))


def timed_encode(model: SentenceTransformer, sentences: list[str], batch: int, cuda: bool) -> float:
    if cuda:
        torch.cuda.synchronize()
    started = time.perf_counter()
    model.encode(sentences, batch_size=batch, normalize_embeddings=True)
    if cuda:
        torch.cuda.synchronize()
    return time.perf_counter() - started


def main() -> None:
    sentences = (HERE / "sentences.txt").read_text(encoding="utf-8").split("\n")
    report = {
        "sentences": len(sentences),
        "words": sum(len(s.split()) for s in sentences),
        "torch": torch.__version__,
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "runs": [],
    }
    gpu = SentenceTransformer(str(HERE / "minilm"), device="cuda")
    gpu.half()
    gpu.encode(sentences[:2048], batch_size=512)  # warm-up
    for batch in (128, 512, 2048):
        seconds = timed_encode(gpu, sentences, batch, cuda=True)
        run = {"device": "cuda fp16", "batch": batch, "seconds": round(seconds, 3)}
        report["runs"].append({**run, "sentences_per_s": round(len(sentences) / seconds, 1)})
        print(report["runs"][-1], flush=True)
    cpu = SentenceTransformer(str(HERE / "minilm"), device="cpu", model_kwargs={"dtype": torch.float32})
    sample = sentences[:4000]
    for threads in (1, 16):
        torch.set_num_threads(threads)
        cpu.encode(sample[:64], batch_size=32)  # warm-up
        seconds = timed_encode(cpu, sample, 64, cuda=False)
        run = {"device": f"cpu fp32, {threads} threads", "batch": 64, "seconds": round(seconds, 3)}
        report["runs"].append({**run, "sentences_per_s": round(len(sample) / seconds, 1)})
        print(report["runs"][-1], flush=True)
    (OUT / "embed_gpu.json").write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
