"""Run LightGBM models through LightGBM's own C library, without importing its Python package.

The `lightgbm` package imports SciPy's sparse matrices at import time, which the extractor never uses: 23 MB
of resident memory and a tenth of a second of start-up in every worker (measured: 30 MB of RSS after NumPy,
53 MB after `scipy.sparse`, 60 MB after `lightgbm`), and its predict wrapper builds a predictor object on
every call. The extractor only ever loads a model from text and predicts dense float64 rows, which are two
calls of the library's stable C API (`c_api.h`), so those two are made here with ctypes on the library the
package ships. The numbers are the library's own: same trees, same code, same probabilities.

Training stays with the Python package (benchmarks/train.py). Where the library cannot be found or loaded,
`load_booster` falls back to `lightgbm.Booster`, which answers the same two questions.
"""

from __future__ import annotations

import ctypes
import importlib.util
import sys
import weakref
from functools import cache
from pathlib import Path
from typing import Any

# c_api.h: C_API_DTYPE_FLOAT64, C_API_PREDICT_NORMAL, and row-major layout.
_FLOAT64 = 1
_PREDICT_NORMAL = 0
_ROW_MAJOR = 1
# All iterations of the model, from the first: what `Booster.predict` does for a model loaded from text
# (its best_iteration is -1 there).
_ALL_ITERATIONS = -1


class LightGBMError(Exception):
    """The LightGBM library refused a call; the message is its own."""


def _library_file() -> Path | None:
    """Where the `lightgbm` package keeps its shared library (as its libpath.py looks), without importing it."""
    spec = importlib.util.find_spec("lightgbm")
    if spec is None or not spec.submodule_search_locations:
        return None
    package = Path(next(iter(spec.submodule_search_locations)))
    name = (
        "lib_lightgbm.dll"
        if sys.platform == "win32"
        else "lib_lightgbm.dylib"
        if sys.platform == "darwin"
        else "lib_lightgbm.so"
    )
    for folder in (package / "lib", package / "bin", package.parent):
        if (folder / name).is_file():
            return folder / name
    return None


@cache
def _library() -> Any:
    path = _library_file()
    if path is None:
        return None
    try:
        lib = ctypes.cdll.LoadLibrary(str(path))
    except OSError:
        return None
    lib.LGBM_GetLastError.restype = ctypes.c_char_p
    return lib


def _check(lib: Any, status: int) -> None:
    if status != 0:
        raise LightGBMError(lib.LGBM_GetLastError().decode("utf-8", "replace"))


class NativeBooster:
    """A model loaded into LightGBM's library; `predict` and `feature_name` as on `lightgbm.Booster`."""

    def __init__(self, lib: Any, model_text: str) -> None:
        self._lib = lib
        self._handle = ctypes.c_void_p()
        iterations = ctypes.c_int(0)
        _check(
            lib,
            lib.LGBM_BoosterLoadModelFromString(
                model_text.encode("utf-8"), ctypes.byref(iterations), ctypes.byref(self._handle)
            ),
        )
        self._features = _feature_names(model_text)
        count = ctypes.c_int(0)
        _check(lib, lib.LGBM_BoosterGetNumFeature(self._handle, ctypes.byref(count)))
        if count.value != len(self._features):
            raise LightGBMError(f"the model reads {count.value} features and names {len(self._features)}")
        # Freed with the object; a finaliser rather than __del__ so that interpreter shutdown cannot call into
        # an unloaded library.
        weakref.finalize(self, lib.LGBM_BoosterFree, self._handle)

    def feature_name(self) -> list[str]:
        return list(self._features)

    def predict(self, rows: Any, num_threads: int = 0) -> Any:
        """The model's probability for each row of a 2-D float64 array, as a 1-D float64 array."""
        import numpy as np

        matrix = np.ascontiguousarray(rows, dtype=np.float64)
        if matrix.ndim != 2 or matrix.shape[1] != len(self._features):
            raise LightGBMError(f"expected rows of {len(self._features)} features, got shape {matrix.shape}")
        out = np.empty(matrix.shape[0], dtype=np.float64)
        written = ctypes.c_int64(0)
        parameters = f"num_threads={num_threads}".encode() if num_threads > 0 else b""
        _check(
            self._lib,
            self._lib.LGBM_BoosterPredictForMat(
                self._handle,
                matrix.ctypes.data_as(ctypes.c_void_p),
                ctypes.c_int(_FLOAT64),
                ctypes.c_int32(matrix.shape[0]),
                ctypes.c_int32(matrix.shape[1]),
                ctypes.c_int(_ROW_MAJOR),
                ctypes.c_int(_PREDICT_NORMAL),
                ctypes.c_int(0),
                ctypes.c_int(_ALL_ITERATIONS),
                ctypes.c_char_p(parameters),
                ctypes.byref(written),
                out.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
            ),
        )
        if written.value != matrix.shape[0]:
            raise LightGBMError(f"{written.value} predictions for {matrix.shape[0]} rows")
        return out


def _feature_names(model_text: str) -> tuple[str, ...]:
    """The `feature_names=` line of a LightGBM text model (names are written space-separated)."""
    for line in model_text.split("\n", 64)[:64]:
        if line.startswith("feature_names="):
            return tuple(line[len("feature_names=") :].split(" "))
    raise LightGBMError("the model text names no features")


def load_booster(model_text: str) -> Any:
    """A booster for a LightGBM text model: the library called directly, else the Python package's."""
    lib = _library()
    if lib is not None:
        return NativeBooster(lib, model_text)
    import lightgbm

    return lightgbm.Booster(model_str=model_text)
