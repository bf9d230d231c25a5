"""Turn guidance files and contracts into chunks with stable ids, and upsert them idempotently.

Each chunk's metadata carries its ``pair_id`` (``GUIDANCE`` for the shared guidance) and a content hash;
an upsert embeds only chunks whose hash changed and deletes chunks that disappeared from their scope.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from langchain_text_splitters import MarkdownHeaderTextSplitter
from pydantic import BaseModel

from kickcoach.core.config import GUIDANCE
from kickcoach.core.errors import IsolationError
from kickcoach.core.paths import bundled

if TYPE_CHECKING:
    from langchain_chroma import Chroma

    from kickcoach.contracts.models import Contract

_HEADERS = [("#", "h1"), ("##", "h2"), ("###", "h3")]
_COMMENT = re.compile(r"<!--.*?-->", re.S)  # notes for tools (e.g. a file's coach topics), never indexed


class Chunk(BaseModel):
    id: str
    pair_id: str
    kind: str  # "guidance" | "contract"
    source: str  # file name, or "contract"
    heading: str  # citation: "Title › Section" or "Contract › Priya › Goal 2 › Indicators"
    text: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(f"{self.heading}\n{self.text}".encode()).hexdigest()[:16]

    def metadata(self) -> dict[str, str]:
        return {"pair_id": self.pair_id, "kind": self.kind, "source": self.source, "heading": self.heading, "digest": self.digest}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def guidance_chunks(directory: Path | None = None) -> list[Chunk]:
    """One chunk per section of each ``knowledge/*.md`` file (split on #, ##, ### headings)."""
    directory = directory or bundled("knowledge")
    splitter = MarkdownHeaderTextSplitter(headers_to_split_on=_HEADERS, strip_headers=True)
    chunks: list[Chunk] = []
    for path in sorted(directory.glob("*.md")):
        for doc in splitter.split_text(path.read_text(encoding="utf-8")):
            text = _COMMENT.sub("", doc.page_content).strip()
            if not text:
                continue
            parts = [doc.metadata[k] for k in ("h1", "h2", "h3") if doc.metadata.get(k)]
            heading = " › ".join(parts) or path.stem
            chunks.append(
                Chunk(
                    id=f"guidance:{path.stem}:{_slug(' '.join(parts[1:]) or 'intro')}",
                    pair_id=GUIDANCE,
                    kind="guidance",
                    source=path.name,
                    heading=heading,
                    text=text,
                )
            )
    return chunks


def contract_chunks(contract: Contract) -> list[Chunk]:
    from kickcoach.contracts.clauses import contract_clauses

    return [
        Chunk(id=c.id, pair_id=contract.pair_id, kind="contract", source="contract", heading=c.path, text=c.text)
        for c in contract_clauses(contract)
    ]


def sync(store: Chroma, scope: str, chunks: Sequence[Chunk], *, progress: bool = False) -> dict[str, int]:
    """Make the index hold exactly ``chunks`` for ``scope`` (a pair id or ``GUIDANCE``).

    Returns counts: ``added`` (new or changed, embedded), ``unchanged``, ``deleted``.
    """
    if any(c.pair_id != scope for c in chunks):
        raise IsolationError(f"sync({scope!r}) was given chunks of another pair", "this is a bug: report it")
    existing = store.get(where={"pair_id": scope}, include=["metadatas"])
    stored = {i: (m or {}).get("digest") for i, m in zip(existing["ids"], existing["metadatas"], strict=False)}
    wanted = {c.id: c for c in chunks}
    changed = [c for c in chunks if stored.get(c.id) != c.digest]
    stale = [i for i in stored if i not in wanted]
    if stale:
        store.delete(ids=stale)
    if changed:
        _add(store, changed, progress)
    if scope == GUIDANCE and (stale or changed):
        from kickcoach.knowledge.scoped import forget_guidance

        forget_guidance(store)
    return {"added": len(changed), "unchanged": len(chunks) - len(changed), "deleted": len(stale)}


def _add(store: Chroma, chunks: Sequence[Chunk], progress: bool) -> None:
    batches: Iterable[Sequence[Chunk]] = [chunks[i : i + 32] for i in range(0, len(chunks), 32)]
    if progress:
        from tqdm import tqdm

        batches = tqdm(list(batches), desc="Embedding", unit="batch")
    for batch in batches:
        # Embedding the heading with the text helps short sections match questions about their topic.
        store.add_texts(
            texts=[f"{c.heading}\n{c.text}" for c in batch],
            metadatas=[c.metadata() for c in batch],
            ids=[c.id for c in batch],
        )


def sync_guidance(store: Chroma, *, progress: bool = False) -> dict[str, int]:
    return sync(store, GUIDANCE, guidance_chunks(), progress=progress)


def sync_contract(store: Chroma, contract: Contract) -> dict[str, int]:
    return sync(store, contract.pair_id, contract_chunks(contract))
