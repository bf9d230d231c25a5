"""Writing derived-cache files (vectors, fitted heads) atomically: the cache may be shared by every process on the
machine (``Settings.derived_cache``), so each writer uses its own temporary name and renames it into place; a reader
never sees half a file, and two writers of the same digest write the same bytes."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np


def _temporary(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(f"{path.name}.{os.getpid()}.tmp")


def save_array(path: Path, array: np.ndarray) -> None:
    tmp = _temporary(path)
    with tmp.open("wb") as handle:  # a handle, so numpy adds no suffix to the temporary name
        np.save(handle, array)
    tmp.replace(path)


def save_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    tmp = _temporary(path)
    with tmp.open("wb") as handle:
        np.savez(handle, **arrays)  # type: ignore[arg-type]
    tmp.replace(path)
