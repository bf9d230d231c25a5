"""A speaker's view of the services shares the base's heavy parts instead of building its own."""

from __future__ import annotations

from kickcoach.core.person import local_owner


def test_a_speaker_view_shares_storage_model_embeddings_and_classifier(services) -> None:
    view = services.as_speaker(local_owner("p1", "b"))
    assert view.storage is services.storage
    assert view.model is services.model
    assert view.embeddings is services.embeddings
    # a cached_property on Services: without the shared descriptor every request built (and fitted) its own
    assert view.turn_classifier is services.turn_classifier
    assert view.pair("p1").person == local_owner("p1", "b")
