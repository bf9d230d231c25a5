"""First-start preparation shared by the UI and CLI: index the guidance, seed the demo pair."""

from __future__ import annotations

from kickcoach.services import Services


def prepare(services: Services, *, progress: bool = False) -> dict[str, int]:
    """Make the guidance index current and make sure the configured pair exists (the demo on first start)."""
    counts = services.index(progress=progress)
    from kickcoach.contracts.service import ensure_demo

    ensure_demo(services)
    return counts
