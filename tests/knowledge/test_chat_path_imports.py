"""The one-shot chat path stays light: no torch, sentence-transformers or gradio is imported for it
(query vectors come from the ONNX encoder; the web UI is only imported by `kickcoach ui`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = """
import json, sys
sys.argv = ["kickcoach", "chat", "-m", "How often should peer mentors meet?", "--json"]
from kickcoach.cli.main import main
try:
    main()
except SystemExit:
    pass
import kickcoach.flows.coach.classifier, kickcoach.knowledge.sentence_encoder, kickcoach.knowledge.embeddings
HEAVY = ("torch", "sentence_transformers", "transformers", "gradio")
print(json.dumps(sorted(m for m in HEAVY if m in sys.modules)), file=sys.stderr)
"""


def test_a_one_shot_chat_imports_no_torch_and_no_gradio(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KICKCOACH_")}
    env.update(KICKCOACH_HOME=str(tmp_path / "home"), KICKCOACH_BACKEND="fake", KICKCOACH_EMBEDDINGS="hashing",
               HF_HUB_OFFLINE="1")
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120)
    assert json.loads(proc.stdout)["reply"], proc.stderr
    assert json.loads(proc.stderr.strip().splitlines()[-1]) == []
