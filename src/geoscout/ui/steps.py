"""A run's steps as chat messages, in smolagents' GradioUI conventions: one message per step saying which
agent and how long, then its thought, its code and what the code printed (or the error, or the check that
sent the answer back), each in a collapsible message. Built from the step records of ``geoscout.monitoring``
(live, as each step ends, or from an earlier run's run.json), as plain dicts gradio's Chatbot takes."""

from __future__ import annotations

import re
from typing import Any

Message = dict[str, Any]
CHECK = re.compile(r"Check (\w+) failed with error: (.*)", re.S)


def step_messages(record: dict[str, Any]) -> list[Message]:
    """The messages of one step: a header (agent, step, seconds, tokens), then thought, code, output."""
    agent, number = record.get("agent") or "agent", record.get("step")
    tokens = f"{record.get('input_tokens') or 0:,} in / {record.get('output_tokens') or 0:,} out tokens"
    header = f"**{agent} · step {number}** · {record.get('seconds') or 0:.1f} s · {tokens}"
    if record.get("final") and not record.get("error"):
        header += " · final answer"
    messages = [_message(header)]
    if record.get("thought"):
        messages.append(_message(record["thought"], "Thought"))
    if record.get("code"):
        messages.append(_message(f"```python\n{record['code'].strip()}\n```", "Code"))
    observation = (record.get("observation") or "").strip()
    if observation:
        observation = re.sub(r"^Execution logs:\s*", "", observation)
        messages.append(_message(f"```\n{observation}\n```", "What it printed"))
    error = (record.get("error") or "").strip()
    if error:
        check = CHECK.match(error)
        title = f"Sent back by {check.group(1)}" if check else "Error"
        messages.append(_message(check.group(2) if check else error, title))
    return messages


def trace_messages(trace: list[dict[str, Any]]) -> list[Message]:
    """Every step of a trace, in order."""
    return [message for record in trace for message in step_messages(record)]


def _message(content: str, title: str | None = None) -> Message:
    metadata = {"title": title, "status": "done"} if title else {}
    return {"role": "assistant", "content": content, "metadata": metadata}
