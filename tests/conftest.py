"""Shared test fixtures: the demo snapshot and a scripted stand-in for the LLM (control-flow tests only)."""

from __future__ import annotations

import pytest
from smolagents.models import ChatMessage, MessageRole, Model
from smolagents.monitoring import TokenUsage

from geoscout.snapshot import Snapshot, demo_snapshot_path


class ScriptedModel(Model):
    """Replies with the next scripted text each call, like an LLM that always writes the same steps."""

    def __init__(self, replies: list[str], model_id: str = "scripted"):
        super().__init__(model_id=model_id)
        self.replies = list(replies)
        self.prompts: list[list] = []

    def generate(self, messages, stop_sequences=None, response_format=None, tools_to_call_from=None, **kw):
        self.prompts.append(messages)
        if not self.replies:
            raise AssertionError("the scripted model ran out of replies")
        text = self.replies.pop(0)
        return ChatMessage(
            role=MessageRole.ASSISTANT,
            content=text,
            token_usage=TokenUsage(input_tokens=100, output_tokens=10),
        )


def write_snapshot(folder, pages: dict[str, tuple[str, str]]):
    """A snapshot folder of made-up pages: {file: (url, text)} plus the manifest that maps them."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    for file, (_, text) in pages.items():
        (folder / file).write_text(text, encoding="utf-8")
    manifest = [{"file": file, "url": url} for file, (url, _) in pages.items()]
    (folder / "manifest.json").write_text(json.dumps({"pages": manifest}))
    return folder


@pytest.fixture(scope="session")
def demo_snapshot() -> Snapshot:
    return Snapshot.open(demo_snapshot_path())
