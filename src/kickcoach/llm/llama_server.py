"""Run llama-cpp-python's OpenAI-compatible server with the same load fix as the embedded backend.

``python -m kickcoach.llm.llama_server --model PATH [any llama_cpp.server option]`` is
``python -m llama_cpp.server`` with llama.cpp's extra CPU buffer types switched off while it runs: on
AMX-capable Xeons the plain server crashes in ``decode`` (see :func:`kickcoach.llm.embedded._without_extra_buffers`).
Without ``--model`` it serves the bundled SmolLM2 GGUF under the alias ``smollm2``. It needs the server extra
(``sse-starlette``, ``starlette-context``, ``fastapi``, ``uvicorn``), which the dev install brings.
"""

from __future__ import annotations

import sys

DEFAULT_ALIAS = "smollm2"


def main(argv: list[str] | None = None) -> None:
    from kickcoach.llm.embedded import _without_extra_buffers, bundled_gguf_path

    args = list(sys.argv[1:] if argv is None else argv)
    if "--model" not in args:
        args = ["--model", str(bundled_gguf_path()), "--model_alias", DEFAULT_ALIAS, *args]
    from llama_cpp.server.__main__ import main as serve

    sys.argv = ["llama_cpp.server", *args]
    with _without_extra_buffers():
        serve()


if __name__ == "__main__":
    main()
