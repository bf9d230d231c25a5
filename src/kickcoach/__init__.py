"""kickcoach: a coaching assistant for peer mentoring, offline by default."""

import os

# llama.cpp's (and torch's) OpenMP threads spin while they wait, by default. On 2 cores shared with the UI
# and the embedder, that spinning made a 40-token prompt take 7.6 s instead of 0.36 s to its first token.
# It must be set before either library loads its OpenMP runtime, hence here.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
