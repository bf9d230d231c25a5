"""Where the project's bundled text lives: prompts/ and knowledge/; and ``write_private`` for exports (0600).

In a source checkout (editable install) they sit at the repository root; in a built wheel they are
copied into ``kickcoach/_bundled/`` (see ``[tool.hatch.build.targets.wheel.force-include]``).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/kickcoach (this is core/)
REPO_ROOT = PACKAGE_DIR.parent.parent


def bundled(name: str) -> Path:
    """The directory ``name`` ("prompts", "knowledge", "evals") from the checkout, else from the wheel."""
    in_repo = REPO_ROOT / name
    return in_repo if in_repo.is_dir() else PACKAGE_DIR / "_bundled" / name


def write_private(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path``, readable and writable by its owner only (0600): exports of a pair's data."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)  # a file that existed keeps its old mode through O_CREAT: set it
    return path
