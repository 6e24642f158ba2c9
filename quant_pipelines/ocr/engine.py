"""The offline OCR engine: RapidOCR's PP-OCR models (shipped inside the ``rapidocr`` wheel) on onnxruntime.

Nothing is downloaded at run time: the models are read from the installed package. The
engine is loaded once per process (about a second) and shared; ``ENGINE_VERSION`` names the
package and model files so a parser version records exactly what read a document.
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version

import numpy as np

_LOCK = threading.Lock()
_ENGINE: _Engine | None = None
# Pages are read on WORKERS threads, each recognizer call on one core: on two busy cores that
# costs 40% less CPU than one call spread over two threads, and reads the same text.
WORKERS = 2
_THREADS = 1
# One line per recognizer call: a batch is padded to its widest line, so a line's reading
# depended on its batch-mates, and a batch holding a long asset name cost 400 MB at its peak.
_BATCH = 1
# Detection runs on the Senate form's title band only. RapidOCR's default scales an image up until
# its short side is 736 px, which took a half-size band to 736 x 2,844 px and about 320 MB per
# call; bounding the long side instead reads the same title in half the time and a third of that.
_DETECT_LONG_SIDE = 1280


@dataclass(frozen=True)
class Word:
    """A text line found by detection: its text, recognition score and box (x0, y0, x1, y1)."""

    text: str
    score: float
    box: tuple[float, float, float, float]


class _Engine:
    def __init__(self) -> None:
        from rapidocr import RapidOCR

        params = {
            "EngineConfig.onnxruntime.intra_op_num_threads": _THREADS,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            "Global.log_level": "error",
            "Rec.rec_batch_num": _BATCH,
            "Det.limit_type": "max",
            "Det.limit_side_len": _DETECT_LONG_SIDE,
        }
        self.full = RapidOCR(params=params)
        # The pipeline's own recognizer, loaded as the pipeline loads it, for batches of cell crops.
        self.rec = self.full._load_rec_model()
        models = sorted(path.name for path in self.full.cfg.Global.model_root_dir.glob("*.onnx"))
        self.version = f"rapidocr-{version('rapidocr')}/onnxruntime-{version('onnxruntime')}/" + "+".join(
            name.removesuffix(".onnx") for name in models
        ) + f"/batch{_BATCH}/det{_DETECT_LONG_SIDE}"


def _engine() -> _Engine:
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            _ENGINE = _Engine()
        return _ENGINE


def engine_version() -> str:
    """The package and model names of the engine, e.g. ``rapidocr-3.10.0/onnxruntime-1.31.1/PP-OCRv6_...``."""
    return _engine().version


def detect(image: np.ndarray) -> list[Word]:
    """Find and read every text line of a grey image (used for a page's title band only)."""
    result = _engine().full(_rgb(image))
    if result.boxes is None:
        return []
    words = []
    for box, text, score in zip(result.boxes, result.txts, result.scores):
        xs, ys = box[:, 0], box[:, 1]
        words.append(Word(text, float(score), (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))))
    return words


def recognize(lines: list[np.ndarray]) -> list[tuple[str, float, float]]:
    """Read single text lines (grey crops) in one batch: (text, mean, weakest) per crop.

    ``mean`` is the line's mean character confidence, ``weakest`` that of its least certain
    character (one doubtful letter in an asset name is what matters).
    """
    if not lines:
        return []
    from rapidocr.ch_ppocr_rec import TextRecInput

    output = _engine().rec(TextRecInput(img=[_rgb(line) for line in lines], return_word_box=True))
    return [
        (text, float(score), float(min(word.confs)) if text and word.confs else float(score))
        for text, score, word in zip(output.txts, output.scores, output.word_results)
    ]


def release_memory() -> None:
    """Hand the heap memory a read has freed back to the OS (glibc's ``malloc_trim``; a no-op elsewhere).

    A page image and the recognizer's tensors are tens of MB each. glibc keeps such blocks once
    freed (and raises its mmap threshold past their size), so without a trim a process grows by
    some 350 MB over its first few scanned filings and holds it for the rest of the run. Called
    once per filing: six scanned filings read in the same time with it as without (13.6-14.2 s
    against 13.9 s), and the process ends them at about 300 MB instead of 560-610 MB.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim():  # noqa: ANN202 - a ctypes function or None
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _rgb(image: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.stack([image] * 3, axis=-1)) if image.ndim == 2 else image
