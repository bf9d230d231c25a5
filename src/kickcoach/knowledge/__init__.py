"""Knowledge: the guidance in ``knowledge/*.md`` and each pair's contract clauses, in one Chroma index."""
