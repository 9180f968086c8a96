"""Transformers models: from disk only, including a GGUF shipped in PyPI packages."""

import pytest

from geoscout.errors import GeoscoutError
from geoscout.models import resolve_model


@pytest.mark.parametrize(
    "spec, message",
    [
        ("transformers:/nonexistent/model-folder", "no model folder there"),
        ("transformers:/nonexistent/model.gguf", "no GGUF file"),
    ],
)
def test_missing_transformers_models_are_one_clear_error(spec, message):
    with pytest.raises(GeoscoutError, match=message):
        resolve_model(spec)


@pytest.mark.e2e
def test_the_shipped_small_gguf_runs_under_transformers_offline():
    """The 0.5B GGUF from its PyPI packages, through Transformers with the hub off, writes a code block."""
    from smolagents.models import ChatMessage, MessageRole

    model = resolve_model("transformers:qwen2.5-coder-0.5b")
    prompt = "Write Python code that prints the sum of 2 and 3. Put the code between <code> and </code>."
    reply = model.generate(
        [ChatMessage(role=MessageRole.USER, content=[{"type": "text", "text": prompt}])],
        stop_sequences=["</code>"],
    )
    assert "<code>" in reply.content and "3" in reply.content  # it wrote a code block about the task
    assert "</code>" not in reply.content  # and generation stopped at the stop sequence
    assert reply.token_usage.input_tokens > 10 and reply.token_usage.output_tokens > 0
