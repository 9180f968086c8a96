"""A run's trace: every agent step with its thought, code, observation, timing and tokens, for run.json
and for whoever watches the run as it goes; and the limit that stops a run (its time, or a user's Stop)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from smolagents.memory import ActionStep

from geoscout.models.llamacpp import CallStats


@dataclass
class StepRecord:
    agent: str
    step: int
    seconds: float
    input_tokens: int
    output_tokens: int
    code: str | None
    observation: str | None
    error: str | None
    final: bool
    thought: str | None = None


def thought_of(model_output: str | None) -> str | None:
    """What the model wrote before its code or its tool call ('Thought: I search for …')."""
    if not model_output:
        return None
    before = re.split(r"<code>|```|\bAction:", model_output, maxsplit=1)[0]
    return re.sub(r"^\s*Thought:\s*", "", before).strip() or None


@dataclass
class Trace:
    """Collects steps from every agent of the team through smolagents' ``step_callbacks``; ``listener``
    gets each step's record (as a dict) the moment the step ends, e.g. to show the run as it goes."""

    steps: list[StepRecord] = field(default_factory=list)
    observation_chars: int = 2000
    listener: Callable[[dict[str, Any]], None] | None = None

    def record(self, step: ActionStep, agent: Any = None) -> None:
        usage = step.token_usage
        observation = step.observations
        if observation and len(observation) > self.observation_chars:
            observation = observation[: self.observation_chars] + "…"
        record = StepRecord(
            agent=getattr(agent, "name", None) or "agent",
            step=step.step_number,
            seconds=round(step.timing.duration or 0.0, 2),
            input_tokens=usage.input_tokens if usage else 0,
            output_tokens=usage.output_tokens if usage else 0,
            code=step.code_action,
            observation=observation,
            error=str(step.error) if step.error else None,
            final=bool(step.is_final_answer),
            thought=thought_of(step.model_output if isinstance(step.model_output, str) else None),
        )
        self.steps.append(record)
        if self.listener is not None:
            self.listener(asdict(record))

    def totals(self, calls: list[CallStats]) -> dict[str, Any]:
        """LLM calls and tokens; ``evaluated_tokens`` is what the model really computed after cache reuse."""
        totals: dict[str, Any] = {
            "steps": len(self.steps),
            "llm_calls": len(self.steps),
            "input_tokens": sum(s.input_tokens for s in self.steps),
            "output_tokens": sum(s.output_tokens for s in self.steps),
        }
        if calls:
            totals["llm_calls"] = len(calls)
            totals["evaluated_tokens"] = sum(c.evaluated_tokens for c in calls)
            totals["resampled_calls"] = sum(1 for c in calls if c.resampled)
        return totals

    def as_list(self) -> list[dict[str, Any]]:
        return [asdict(s) for s in self.steps]


@dataclass
class RunLimit:
    """What stops a whole run before it ends by itself: a wall-clock limit (``seconds``) and a user's Stop
    (``stop``, an event set from another thread). As a step callback, once either is reached every agent
    of the team is interrupted, so smolagents stops each of them before its next step (a step already
    running ends first). It keeps an eval bounded when the model loops on a question."""

    seconds: float | None = None
    stop: threading.Event | None = None
    agents: list[Any] = field(default_factory=list)  # the team's agents, set once they are built
    started: float = field(default_factory=time.perf_counter)
    reached: bool = False

    def start(self, agents: list[Any]) -> None:
        self.agents, self.started, self.reached = agents, time.perf_counter(), False

    def check(self, step: Any = None, agent: Any = None) -> None:
        late = self.seconds is not None and time.perf_counter() - self.started > self.seconds
        if late or (self.stop is not None and self.stop.is_set()):
            self.reached = True
            for each in self.agents:
                each.interrupt()

    def guard(self, tool: Any) -> Any:
        """The tool, refusing work once the limit is passed: a code block that calls tools in a loop (each
        fetch may take its whole timeout) ends at its next call, not when the loop does."""
        forward = tool.forward

        def limited(*args: Any, **kwargs: Any) -> Any:
            self.check()
            if self.reached:
                raise ValueError(f"{self.reason}: no more tool calls")
            return forward(*args, **kwargs)

        tool.forward = limited
        return tool

    @property
    def reason(self) -> str:
        if self.stop is not None and self.stop.is_set():
            return "stopped by the user"
        return f"stopped at the time limit of {self.seconds:g} s"
