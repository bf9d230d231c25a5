"""Kept for the guard's imports: the splitter lives in :mod:`kickcoach.text.sentences`."""

from kickcoach.text.sentences import SentenceStream, boundaries, segments, split_sentences

__all__ = ["SentenceStream", "boundaries", "segments", "split_sentences"]
