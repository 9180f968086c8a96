"""Models behind an API: OpenAI and OpenAI-compatible servers, and everything LiteLLM reaches.

Both are smolagents' own model classes; what geoscout adds is a check before the run starts, so that a
missing key, an unreachable server or an unknown model is one clear line instead of a failed first step.
"""

from __future__ import annotations

import os

from smolagents import LiteLLMModel, Model, OpenAIModel

from geoscout.errors import GeoscoutError

# LiteLLM otherwise downloads its model price list at import time: keep it to the copy it ships.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

TIMEOUT_SECONDS = 600  # a local server on 2 cores can take minutes for one long step
# A self-hosted server (--api-base) gets greedy decoding and a reply cap, as the embedded model does, and
# plain-text message content (llama.cpp's server rejects content lists); hosted APIs keep their defaults
# (some reasoning models refuse a temperature).
SELF_HOSTED = {"temperature": 0.0, "max_tokens": 1024, "flatten_messages_as_text": True}


def openai_model(name: str, api_base: str | None) -> Model:
    """``openai:NAME``: OpenAI needs ``OPENAI_API_KEY``; a self-hosted server (``--api-base``) may not."""
    key = os.environ.get("OPENAI_API_KEY")
    if not key and not api_base:
        raise GeoscoutError(f"--model openai:{name} needs OPENAI_API_KEY (set it in the environment or .env)")
    model = OpenAIModel(
        model_id=name,
        api_base=api_base,
        api_key=key or "not-needed",
        client_kwargs={"timeout": TIMEOUT_SECONDS, "max_retries": 2},
        **(SELF_HOSTED if api_base else {}),
    )
    _check_openai_server(model, name, api_base)
    return model


def _check_openai_server(model: OpenAIModel, name: str, api_base: str | None) -> None:
    import openai

    where = api_base or "api.openai.com"
    try:
        available = [m.id for m in model.client.models.list()]
    except openai.AuthenticationError:
        raise GeoscoutError(f"{where} refused the API key (OPENAI_API_KEY)") from None
    except openai.APIConnectionError:
        raise GeoscoutError(f"model server {where} is not reachable") from None
    except openai.APIStatusError as e:
        raise GeoscoutError(f"model server {where} answered {e.status_code} when listing models") from None
    if available and name not in available:
        raise GeoscoutError(
            f"model {name!r} not found on {where}; it serves: {', '.join(sorted(available)[:10])}"
        )


def litellm_model(name: str, api_base: str | None) -> Model:
    """``litellm:PROVIDER/MODEL``: LiteLLM reads each provider's key from its usual variable."""
    import litellm

    env = litellm.validate_environment(model=name)
    has_key = env.get("keys_in_environment", True)
    if not api_base and not has_key:
        missing = ", ".join(env.get("missing_keys") or ["the provider's API key"])
        raise GeoscoutError(f"--model litellm:{name} needs {missing} (set it in the environment or .env)")
    return LiteLLMModel(
        model_id=name,
        api_base=api_base,
        api_key=None if has_key else "not-needed",  # a self-hosted server may need no key
        timeout=TIMEOUT_SECONDS,
        **(SELF_HOSTED if api_base else {}),
    )
