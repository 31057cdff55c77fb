"""One router per resource: ask (ask, stream, search), openai, practices, admin, health."""
