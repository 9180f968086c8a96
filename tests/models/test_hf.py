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


@pytest.mark.e2e
def test_a_transformers_manager_leads_the_whole_team(tmp_path):
    """`geoscout ask` end to end with the manager on Transformers (the 0.5B GGUF, dequantised on the CPU)
    and web_agent on the embedded llama.cpp model: a map from a Transformers-driven team."""
    import json
    import subprocess
    import sys

    from geoscout.run import SEED_QUESTION

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "geoscout",
            "ask",
            SEED_QUESTION,
            "--manager-model",
            "transformers:qwen2.5-coder-0.5b",
        ]
        + ["--web-model", "local", "--search", "snapshot", "--quiet", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads((tmp_path / "run.json").read_text())
    assert report["state"] == "success" and "transformers" in report["model"]
    assert len(report["rows"]) == 10 and (tmp_path / "saved_map.png").stat().st_size > 0
