"""Export files (contract, review, rehearsal downloads): private to the person who asked for them.

Files are written to ``<home>/tmp/exports`` (mode 0700) as 0600 files whose names carry a random
token (``…-kcx<12 hex>.md``); the token maps to the owner, and ``RequestGuard`` lets only that owner
download it. Exports older than ``MAX_AGE_S`` are deleted whenever a new one is written.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

from kickcoach.core.person import Person

MAX_AGE_S = 3600
TOKEN = re.compile(r"-kcx([0-9a-f]{12})\.")


def private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


class Exports:
    def __init__(self, home: Path) -> None:
        self.folder = home / "tmp" / "exports"
        self.owners: dict[str, str] = {}

    def write(self, person: Person, stem: str, suffix: str, text: str) -> str:
        """Write ``text`` for ``person``; returns the path (for a ``gr.File``)."""
        private_dir(self.folder)
        self.cleanup()
        token = secrets.token_hex(6)
        safe = re.sub(r"[^A-Za-z0-9._-]", "-", stem)[:80]
        path = self.folder / f"{safe}-kcx{token}{suffix}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        self.owners[token] = person.person_id
        return str(path)

    def owner(self, name: str) -> str | None:
        """The person id an export's file name belongs to; None when it is not an export of ours."""
        match = TOKEN.search(name)
        return self.owners.get(match.group(1), "") if match else None

    def cleanup(self, max_age_s: float = MAX_AGE_S) -> int:
        if not self.folder.is_dir():
            return 0
        cutoff = time.time() - max_age_s
        removed = 0
        for path in self.folder.iterdir():
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                match = TOKEN.search(path.name)
                if match:
                    self.owners.pop(match.group(1), None)
                removed += 1
        return removed
