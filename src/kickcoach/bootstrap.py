"""First-start preparation shared by the UI and CLI: index the guidance, seed the demo pair."""

from __future__ import annotations

import logging

from kickcoach.services import Services

log = logging.getLogger(__name__)


def warm(services: Services) -> None:
    """Warm what the first turn would otherwise wait for, before the index (which may be down): the query
    encoder, the turn classifier's heads (fitted once, cached under the home), and with
    MiniLM the suggestion guard's stacked detector (ONNX, cached in the home) and the idea vectors."""
    compile_query_encoder = getattr(services.embeddings, "compile_query_encoder", None)
    if compile_query_encoder:  # the guidance is then embedded by the same (ONNX) encoder
        compile_query_encoder()
    _ = services.turn_classifier.heads  # with any embeddings: fitting takes seconds, never the first turn's
    _ = services.turn_classifier.lexical
    if services.settings.embeddings == "minilm":
        from kickcoach.flows.coach.idea_ranking import ranker_for
        from kickcoach.guard.suggestions import use_encoder

        cache = services.settings.cache_dir
        use_encoder(cache)
        _ = ranker_for(services.embeddings, cache).matrix


def prepare(services: Services, *, progress: bool = False, strict: bool = False) -> dict[str, int]:
    """Make the guidance index current and make sure the configured pair exists (the demo on first start).

    An unreachable index (a Chroma server that is down) stops only ``strict`` callers (``kickcoach ingest``);
    otherwise the app starts, and chat answers from the contract in degraded mode until the index is back.
    """
    from kickcoach.contracts.service import ensure_demo, load_contract
    from kickcoach.knowledge.degraded import index_errors

    warm(services)
    try:
        counts = services.index(progress=progress)
    except index_errors() as exc:
        if strict:
            raise
        log.warning("the index is unreachable, retrieval is degraded: %s", exc)
        ensure_demo(services)
        return {"added": 0, "unchanged": 0, "deleted": 0}
    ensure_demo(services)
    contract = load_contract(services, services.settings.pair_id)
    if contract is not None:  # catches up a save made while the index was unreachable (cheap: hashes compared)
        services.retriever.index_contract(contract, strict=strict)
    return counts
