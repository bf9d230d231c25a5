"""Where the project's bundled text lives: prompts/ and knowledge/.

In a source checkout (editable install) they sit at the repository root; in a built wheel they are
copied into ``kickcoach/_bundled/`` (see ``[tool.hatch.build.targets.wheel.force-include]``).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent.parent


def bundled(name: str) -> Path:
    """The directory ``name`` ("prompts", "knowledge", "evals") from the checkout, else from the wheel."""
    in_repo = REPO_ROOT / name
    return in_repo if in_repo.is_dir() else PACKAGE_DIR / "_bundled" / name
