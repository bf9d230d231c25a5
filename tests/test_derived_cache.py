"""The machine-wide cache of values derived from bundled files only (encoder export, vectors, fitted heads)."""

from __future__ import annotations

import numpy as np

from kickcoach.core.cache_files import save_array, save_arrays
from kickcoach.core.config import Settings


def test_derived_values_live_outside_the_data_home_unless_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    shared = Settings(home=tmp_path / "home", _env_file=None)
    assert shared.cache_dir == tmp_path / "xdg" / "kickcoach" / "derived"
    monkeypatch.setenv("KICKCOACH_DERIVED_CACHE", "")
    assert Settings(home=tmp_path / "home", _env_file=None).cache_dir == tmp_path / "home" / "cache"


def test_cache_files_are_renamed_into_place_whole(tmp_path):
    save_array(tmp_path / "a" / "vectors.npy", np.arange(6, dtype=np.float32).reshape(2, 3))
    save_arrays(tmp_path / "a" / "heads.npz", {"coef": np.ones((2, 2)), "classes": np.asarray(["x", "y"])})
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["heads.npz", "vectors.npy"]  # no temporaries left
    assert np.load(tmp_path / "a" / "vectors.npy").tolist() == [[0, 1, 2], [3, 4, 5]]
    assert [str(c) for c in np.load(tmp_path / "a" / "heads.npz")["classes"]] == ["x", "y"]
