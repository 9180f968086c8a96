"""Which LLM drives each agent, from a ``--model`` spec.

``local`` is the embedded default (Qwen2.5-Coder-1.5B-Instruct GGUF from PyPI, run by llama.cpp);
``local:PATH.gguf`` runs any other GGUF file.
"""

from __future__ import annotations

import os
from pathlib import Path

from smolagents import Model

from geoscout.errors import GeoscoutError

DEFAULT_MODEL = "local"


def describe_choices() -> str:
    return "local, local:PATH.gguf"


def resolve_model(spec: str | None = None) -> Model:
    """Build the model for one agent (each agent gets its own instance, so each keeps its own KV cache)."""
    spec = (spec or os.environ.get("GEOSCOUT_MODEL") or DEFAULT_MODEL).strip()
    provider, _, rest = spec.partition(":")
    if provider == "local":
        from geoscout.models.llamacpp import LlamaCppModel
        from geoscout.models.weights import embedded_weights

        path = Path(rest).expanduser() if rest else embedded_weights()
        if rest and not path.is_file():
            raise GeoscoutError(f"--model {spec}: no GGUF file at {path}")
        return LlamaCppModel(path, n_threads=os.cpu_count())
    raise GeoscoutError(f"unknown --model {spec!r}; expected one of: {describe_choices()}")
