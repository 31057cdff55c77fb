"""Generators: `complete(messages) -> str` and `stream(messages) -> Iterator[str]`.

Backends: `LlamaCppGenerator` (a local GGUF through llama-cpp-python), `OpenAIGenerator` (any
OpenAI-compatible chat server through langchain-openai) and `ScriptedGenerator` (a fake for tests
that replays scripted replies and records the prompts it was given). The optional packages are
imported lazily; a missing one raises ConfigError naming the pip command that installs it.
"""

from __future__ import annotations

import atexit
import importlib.util
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from assistant.errors import BackendError, ConfigError
from assistant.types import Message

log = logging.getLogger(__name__)

# Unit tests flip this off (tests/conftest.py); tests that load a real model opt in with @pytest.mark.model.
ALLOW_MODEL_LOADS = True

LLM_EXTRA = "pip install -e '.[llm]'"


class Generator(Protocol):
    """A chat model. Messages are system/user/assistant turns; complete, stream and load raise
    BackendError."""

    def complete(self, messages: Sequence[Message]) -> str: ...

    def stream(self, messages: Sequence[Message]) -> Iterator[str]: ...

    def load(self) -> object:
        """Load the model now (a no-op for a remote server)."""
        ...

    def count_tokens(self, messages: Sequence[Message]) -> int | None:
        """The prompt's tokens by the model's own tokenizer; None when this backend cannot count."""
        ...


def require(module: str, package: str) -> None:
    """Raise ConfigError saying how to install `package` when `module` cannot be imported."""
    if importlib.util.find_spec(module) is None:
        raise ConfigError(
            f"the generated-answer backend needs {package}, which is not installed; "
            f"run: {LLM_EXTRA}  (llama-cpp-python compiles for about 5 minutes), "
            "or set PRAXIS_ANSWER__BACKEND=extractive"
        )


def _as_dicts(messages: Sequence[Message]) -> list[dict[str, str]]:
    return [{"role": m.role, "content": m.content} for m in messages]


_CHATML = (
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
    "<|im_start|>assistant\n"
)


def render_chat(llama: Any, messages: Sequence[Message]) -> str:
    """The prompt text llama.cpp feeds the model: the GGUF's own chat template (ChatML without one)."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    template = llama.metadata.get("tokenizer.chat_template") or _CHATML
    vocab = llama._model
    eos, bos = vocab.token_eos(), vocab.token_bos()
    formatter = Jinja2ChatFormatter(
        template=template,
        eos_token=vocab.token_get_text(eos) if eos != -1 else "",
        bos_token=vocab.token_get_text(bos) if bos != -1 else "",
    )
    return formatter(messages=_as_dicts(messages)).prompt  # type: ignore[arg-type]


class LlamaCppGenerator:
    """A local GGUF model run in-process by llama-cpp-python. Loaded on first use (or `load()`)."""

    def __init__(
        self,
        model_path: Path,
        *,
        n_ctx: int = 2048,
        n_threads: int | None = None,
        max_tokens: int = 160,
        temperature: float = 0.1,
    ) -> None:
        require("llama_cpp", "llama-cpp-python")
        model_path = Path(model_path)
        if not model_path.is_file():
            raise ConfigError(f"the GGUF model {model_path} does not exist; fix PRAXIS_LLM__MODEL_PATH")
        with model_path.open("rb") as handle:
            if handle.read(4) != b"GGUF":
                raise ConfigError(
                    f"{model_path} is not a GGUF model file; point PRAXIS_LLM__MODEL_PATH at a .gguf"
                )
        self.model_path = model_path
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self.max_tokens = max_tokens
        self.temperature = temperature
        self._llama: Any = None
        self._vocab: Any = None  # a vocabulary-only load of the model, to count prompt tokens
        self._lock = threading.Lock()  # one llama context: one generation at a time

    @property
    def model_name(self) -> str:
        return self.model_path.name

    def load(self) -> Any:
        if self._llama is None:
            if not ALLOW_MODEL_LOADS:
                raise RuntimeError("real model load in a unit test; mark the test @pytest.mark.model")
            from llama_cpp import Llama

            log.info(
                "loading model path=%s n_ctx=%d n_threads=%s", self.model_path, self.n_ctx, self.n_threads
            )
            try:
                # llama-cpp-python would decode on half the cores; a 2-core machine needs both
                threads = self.n_threads or os.cpu_count() or 1
                self._llama = Llama(
                    model_path=str(self.model_path),
                    n_ctx=self.n_ctx,
                    n_threads=threads,
                    n_threads_batch=threads,
                    verbose=False,
                )
            except (ValueError, RuntimeError, OSError) as exc:
                raise BackendError(f"llama.cpp could not load {self.model_path}: {exc}") from exc
            # free the model before interpreter teardown, where llama.cpp's finaliser would fail
            atexit.register(self.close)
        return self._llama

    def close(self) -> None:
        """Free the loaded model and vocabulary (loaded again on next use)."""
        with self._lock:
            for attribute in ("_llama", "_vocab"):
                loaded = getattr(self, attribute)
                if loaded is not None:
                    loaded.close()
                    setattr(self, attribute, None)

    def count_tokens(self, messages: Sequence[Message]) -> int:
        """Tokens of the prompt as the model reads it, chat template included. Loads only the
        model's vocabulary (a fraction of a second), not its weights."""
        if self._vocab is None:
            if not ALLOW_MODEL_LOADS:
                raise RuntimeError("real model load in a unit test; mark the test @pytest.mark.model")
            from llama_cpp import Llama
            from llama_cpp._utils import suppress_stdout_stderr

            with suppress_stdout_stderr(disable=False):  # llama.cpp warns about the unused context
                self._vocab = Llama(model_path=str(self.model_path), vocab_only=True, verbose=False)
            atexit.register(self.close)  # before interpreter teardown, where its finaliser fails
        return len(
            self._vocab.tokenize(render_chat(self._vocab, messages).encode(), add_bos=False, special=True)
        )

    def complete(self, messages: Sequence[Message]) -> str:
        return "".join(self.stream(messages))

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        with self._lock:
            llama = self.load()
            try:
                chunks = llama.create_chat_completion(
                    messages=_as_dicts(messages),
                    max_tokens=self.max_tokens,
                    temperature=self.temperature,
                    stream=True,
                )
                for chunk in chunks:
                    text = chunk["choices"][0]["delta"].get("content")
                    if text:
                        yield text
            except ValueError as exc:  # e.g. the prompt exceeds n_ctx
                raise BackendError(f"llama.cpp refused the prompt: {exc}; raise PRAXIS_LLM__N_CTX") from exc


class OpenAIGenerator:
    """Any OpenAI-compatible chat endpoint (OpenAI, Mistral, vLLM, Ollama, llama.cpp server)."""

    def __init__(
        self,
        *,
        base_url: str | None,
        api_key: str,
        model: str,
        max_tokens: int = 160,
        temperature: float = 0.1,
        timeout_s: float = 120.0,
    ) -> None:
        require("langchain_openai", "langchain-openai")
        from langchain_openai import ChatOpenAI

        self.base_url = base_url
        self.model = model
        # The token limit's name: OpenAI itself wants max_completion_tokens (its reasoning models
        # reject max_tokens); compatible servers (llama.cpp server, Ollama, Mistral, older vLLM)
        # read only max_tokens and would otherwise generate until the context is full.
        limit: dict[str, Any] = (
            {"extra_body": {"max_tokens": max_tokens}} if base_url else {"max_completion_tokens": max_tokens}
        )
        self._chat = ChatOpenAI(
            model=model,
            base_url=base_url,
            api_key=api_key,  # type: ignore[arg-type]
            temperature=temperature,
            timeout=timeout_s,
            max_retries=1,
            **limit,
        )

    @property
    def model_name(self) -> str:
        return self.model

    def _where(self) -> str:
        return self.base_url or "the OpenAI API"

    def load(self) -> None:
        """Nothing to load here: the server holds the model."""

    def count_tokens(self, messages: Sequence[Message]) -> int | None:
        return None  # the server's tokenizer is out of reach; callers estimate

    def _convert(self, messages: Sequence[Message]) -> list[tuple[str, str]]:
        return [(m.role, m.content) for m in messages]

    def complete(self, messages: Sequence[Message]) -> str:
        try:
            reply = self._chat.invoke(self._convert(messages))
        except Exception as exc:  # openai raises its own hierarchy; name the server and the fix
            raise self._error(exc) from exc
        return str(reply.content)

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        try:
            for chunk in self._chat.stream(self._convert(messages)):
                if isinstance(chunk.content, str) and chunk.content:
                    yield chunk.content
        except Exception as exc:
            raise self._error(exc) from exc

    def _error(self, exc: Exception) -> BackendError:
        name = type(exc).__name__
        if "Connection" in name or "Timeout" in name:
            hint = "check that the server runs and PRAXIS_LLM__BASE_URL points at it"
        elif "Authentication" in name or "Permission" in name:
            hint = "check PRAXIS_LLM__API_KEY"
        elif "NotFound" in name:
            hint = "check PRAXIS_LLM__MODEL and that PRAXIS_LLM__BASE_URL ends in /v1"
        else:
            hint = "see the server's log"
        return BackendError(f"the chat server at {self._where()} failed ({name}: {exc}); {hint}")


class ScriptedGenerator:
    """A deterministic fake: replays `replies` in order (the last one repeats) and records prompts."""

    def __init__(self, *replies: str) -> None:
        if not replies:
            raise ValueError("give the scripted generator at least one reply")
        self.replies = list(replies)
        self.prompts: list[list[Message]] = []

    model_name = "scripted"

    def load(self) -> None:
        """Nothing to load."""

    def count_tokens(self, messages: Sequence[Message]) -> int | None:
        return None

    def complete(self, messages: Sequence[Message]) -> str:
        return "".join(self.stream(messages))

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        self.prompts.append(list(messages))
        reply = self.replies[min(len(self.prompts), len(self.replies)) - 1]
        # token-like pieces: words with their following space, as real servers stream them
        piece = ""
        for ch in reply:
            piece += ch
            if ch == " ":
                yield piece
                piece = ""
        if piece:
            yield piece
