"""Choosing and configuring the generated-answer backends: clear errors, no secret printed."""

from __future__ import annotations

import importlib.util
import json

import pytest

import assistant.llm.backends as generation
from assistant.answering.generated import GenerativeAnswerer
from assistant.config import ANSWER_BACKENDS, load_settings
from assistant.errors import ConfigError
from assistant.factory import build_assistant
from assistant.llm.backends import ScriptedGenerator
from ui.cli import main


def hide_module(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        generation.importlib.util, "find_spec", lambda n, *a: None if n == name else real(n, *a)
    )


@pytest.mark.parametrize(("backend", "module"), [("llamacpp", "llama_cpp"), ("openai", "langchain_openai")])
def test_a_missing_extra_says_which_command_installs_it(monkeypatch, store, settings_for, backend, module):
    hide_module(monkeypatch, module)
    with pytest.raises(ConfigError) as error:
        build_assistant(settings_for(answer={"backend": backend}), store)
    assert "pip install -e '.[llm]'" in str(error.value)
    assert "PRAXIS_ANSWER__BACKEND=extractive" in str(error.value)


def test_an_unknown_backend_is_refused_with_its_setting_named(settings_for):
    with pytest.raises(ConfigError, match="answer.backend"):
        settings_for(answer={"backend": "gpt-genie"})


def test_every_backend_name_is_one_the_settings_take_and_switching_keeps_the_rest(settings_for):
    assert ANSWER_BACKENDS == ("extractive", "llamacpp", "openai")
    settings = settings_for(retrieval={"k": 7})
    for name in ANSWER_BACKENDS:
        switched = settings.with_answer_backend(name)
        assert switched.answer.backend == name and switched.retrieval.k == 7
        assert settings_for(answer={"backend": name}).answer.backend == name
    assert settings.answer.backend == "extractive"
    with pytest.raises(ConfigError, match="unknown answer backend 'gpt-genie'; use extractive, llamacpp"):
        settings.with_answer_backend("gpt-genie")


def test_the_backend_setting_builds_a_generative_assistant(store, settings_for):
    generator = ScriptedGenerator("unused")
    assistant = build_assistant(settings_for(answer={"backend": "openai"}), store, generator=generator)
    assert isinstance(assistant.answerer, GenerativeAnswerer) and assistant.answerer.generator is generator
    assert not isinstance(build_assistant(settings_for(), store).answerer, GenerativeAnswerer)


def test_the_api_key_is_never_printed(monkeypatch, capsys):
    monkeypatch.setenv("PRAXIS_ANSWER__BACKEND", "openai")
    monkeypatch.setenv("PRAXIS_LLM__BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("PRAXIS_LLM__API_KEY", "sk-very-secret-value")
    settings = load_settings()
    assert settings.llm.api_key.get_secret_value() == "sk-very-secret-value"
    assert "sk-very-secret" not in repr(settings) and "sk-very-secret" not in str(settings)
    assert main(["config"]) == 0
    printed = capsys.readouterr().out
    assert "sk-very-secret" not in printed
    shown = json.loads(printed)
    assert shown["answer"]["backend"] == "openai" and shown["llm"]["base_url"] == "http://127.0.0.1:9/v1"


def test_ask_backend_flag_overrides_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("PRAXIS_ANSWER__BACKEND", "openai")
    assert main(["config"]) == 0
    assert json.loads(capsys.readouterr().out)["answer"]["backend"] == "openai"
    hide_module(monkeypatch, "llama_cpp")
    assert main(["ask", "How many members?", "--backend", "llamacpp"]) == 2
    assert "pip install -e '.[llm]'" in capsys.readouterr().err


def test_serve_backend_flag_fails_before_listening_when_the_extra_is_missing(monkeypatch, capsys):
    hide_module(monkeypatch, "llama_cpp")
    assert main(["serve", "--backend", "llamacpp", "--port", "0"]) == 2
    assert "pip install -e '.[llm]'" in capsys.readouterr().err
