"""Language models for generated answers: the backends (llama.cpp, OpenAI-compatible, scripted) and
the packaged default model."""
