"""The agent classes of the team, for both agent types (code and tool-calling).

- ``ReturnsRows``: a managed agent normally wraps its answer in a report string; ours hand the rows back
  as data, so the manager (and the checks) get a list of dicts.
- ``StatefulToolCallingAgent``: a tool-calling agent only sees tool outputs as text. A table of hundreds
  of rows does not fit a small model's context, so tables and rows are kept in the agent's state under a
  short name (``table_1``, ``rows_1``) and the observation shows that name, the columns and a few rows.
  Later calls pass the name instead of the data; smolagents substitutes state names in top-level arguments
  and in the final answer, and we also do it inside lists (``tables: ["table_1", "table_2"]``).
"""

from __future__ import annotations

import ast
import re
import time
from typing import Any

from smolagents import CodeAgent, ToolCallingAgent
from smolagents.agents import ActionOutput, RunResult, populate_template
from smolagents.memory import ActionStep
from smolagents.monitoring import Timing
from smolagents.utils import (
    AgentExecutionError,
    AgentMaxStepsError,
    AgentToolCallError,
    AgentToolExecutionError,
)

from geoscout.checks import drop_unasked_keys, found_values_unwrapped, named_by_kind
from geoscout.question import read_question

STORED_NAME = re.compile(r"(table|rows)_\d+")
PREVIEW_ROWS = 3
SHOW_ALL_ROWS = 25  # answer-sized row lists are shown whole, so the model can check them
# added to the error of a step that repeats the failing code of the step before
SAME_FAILURE = (
    "\nThis is the code of your previous step, and it failed the same way: change the line that fails."
)


class ReturnsRows:
    """Mixin for a managed agent whose result is its final answer itself, not a report about it."""

    manager: Any = None  # the agent that calls this one, whose task is the user's question
    asked: str = ""  # the task the manager gave, whose keys say which values are asked
    handed: Any = None  # what it last handed back: a run stopped before its manager answers still has it

    def __call__(self, task: str, **kwargs: Any) -> Any:
        self._refuse_unasked_values(task)
        self.asked = task
        full_task = populate_template(
            self.prompt_templates["managed_agent"]["task"], variables={"name": self.name, "task": task}
        )
        result = self.run(full_task, **kwargs)
        self.handed = self.as_asked(result.output if isinstance(result, RunResult) else result)
        return self.handed

    def _step_stream(self, memory_step: ActionStep) -> Any:
        """Each final answer is put in the shape asked (``as_asked``) before the checks judge it, so a
        check never sends back what a rename mends (seen: rows named by country, sent back by the
        countries check before the hand-over could rename them)."""
        for output in super()._step_stream(memory_step):  # type: ignore[misc]
            if isinstance(output, ActionOutput) and output.is_final_answer:
                output = ActionOutput(output=self.as_asked(output.output), is_final_answer=True)
                memory_step.action_output = output.output
            yield output

    def as_asked(self, output: Any) -> Any:
        """The answer as rows in the shape the task asks: the rows an answer in text writes out, without
        the keys the task does not ask for, and named by the places the question asks for (the capital,
        not its country). Applying it twice changes nothing."""
        rows = rows_in_text(output) if isinstance(output, str) else found_values_unwrapped(output)
        rows = drop_unasked_keys(rows, self.asked)
        return named_by_kind(rows, read_question(getattr(self.manager, "task", None) or ""))

    def _refuse_unasked_values(self, task: str) -> None:
        """A small manager asks for a value the question never speaks of (its prompt example has two
        values: "their area" was added to a one-value question) and web_agent then loops looking for it.
        Such a task is sent back before any research; the same task asked again is done, so a key this
        misjudges costs one step, not the run."""
        question = getattr(self.manager, "task", None)
        asked = read_question(question or "")
        unasked = [k for k in read_question(task).measures if question and not asked.mentions(k)]
        refused = self.__dict__.setdefault("_refused", set())
        if unasked and task not in refused:
            refused.add(task)
            raise ValueError(
                f"{self.name} did not start: the question does not ask for {', '.join(unasked)}. Call "
                f"{self.name} again asking only for the values the question asks for, with their keys."
            )


def rows_in_text(text: str) -> Any:
    """An agent out of steps is asked for its rows "as a Python list of dicts" and answers in text: the
    list written in it, parsed (never evaluated), so the manager's checks can judge its values; else the
    text unchanged."""
    literal = re.search(r"\[\s*\{.*\}\s*\]", text, flags=re.S)
    if literal is None:
        return text
    try:
        rows = ast.literal_eval(literal.group(0))
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text
    return rows if _is_rows(rows) else text


class WebAgent(ReturnsRows, CodeAgent):
    """The code-writing web agent."""

    def _step_stream(self, memory_step: ActionStep) -> Any:
        """A step that runs the code of the step before and fails with the same error is stuck: a small
        model then writes that code again until its step limit (seen: eight times the same loop over five
        capitals, its rows right, its last line failing). The rows its code built are then its answer,
        judged by the checks like any other; without rows, the error says it is the same failure."""
        try:
            yield from super()._step_stream(memory_step)
        except AgentExecutionError as error:
            if not self._repeats_last_failure(memory_step, error):
                raise
            built = self._rows_built()
            if built is None:
                raise AgentExecutionError(error.message + SAME_FAILURE, self.logger) from None
            memory_step.observations = "The same code failed the same way twice: its rows are the answer."
            memory_step.action_output = self.as_asked(built)
            yield ActionOutput(output=memory_step.action_output, is_final_answer=True)

    def _repeats_last_failure(self, memory_step: ActionStep, error: AgentExecutionError) -> bool:
        steps = [step for step in self.memory.steps if isinstance(step, ActionStep)]
        last = steps[-1] if steps else None
        return (
            last is not None
            and last.error is not None
            and last.code_action == memory_step.code_action
            and last.error.message.removesuffix(SAME_FAILURE) == error.message
        )

    def _rows_built(self) -> list[dict] | None:
        """The rows the agent's code built so far, under ``rows`` (the name both worked examples give
        them), if that holds rows."""
        try:
            built = self.python_executor("rows").output
        except Exception:  # no such variable, or the executor is gone
            return None
        return built if _is_rows(built) else None

    def _handle_max_steps_reached(self, task: str) -> Any:
        """Out of steps: the rows its code built so far are the answer, rather than a text the model would
        type from memory (seen: the code of its last step, as text)."""
        built = self._rows_built()
        if built is None:
            return super()._handle_max_steps_reached(task)
        return _answer_out_of_steps(self, built)


def _answer_out_of_steps(agent: Any, rows: list[dict]) -> list[dict]:
    """Record the step that ends a run out of steps with ``rows`` as its answer."""
    step = ActionStep(
        step_number=agent.step_number,
        error=AgentMaxStepsError("Reached max steps.", agent.logger),
        timing=Timing(start_time=time.time(), end_time=time.time()),
    )
    step.action_output = rows
    agent._finalize_step(step)
    agent.memory.steps.append(step)
    return rows


def _is_rows(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(row, dict) for row in value)


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(_is_rows(table) for table in value)


class StatefulToolCallingAgent(ToolCallingAgent):
    """A ToolCallingAgent that keeps tables and rows in its state and shows the model short summaries."""

    def _store(self, prefix: str, value: list[dict]) -> str:
        number = 1 + sum(1 for key in self.state if key.startswith(f"{prefix}_"))
        name = f"{prefix}_{number}"
        self.state[name] = value
        return name

    def _summary(self, name: str, rows: list[dict], whole: bool = False) -> str:
        shown = rows if whole and len(rows) <= SHOW_ALL_ROWS else rows[:PREVIEW_ROWS]
        columns = [key for key in rows[0] if key != "source"]
        origin = f" from {rows[0]['source']}" if rows[0].get("source") else ""
        lines = [f"{name}: {len(rows)} rows{origin}; keys {columns}"]
        lines += [f"  {dict(row)}" for row in shown]
        if len(rows) > len(shown):
            lines.append(f"  … {len(rows) - len(shown)} more rows")
        return "\n".join(lines)

    def _substitute_state_variables(self, arguments: dict[str, Any] | str) -> dict[str, Any] | str:
        if not isinstance(arguments, dict):
            return arguments

        def resolve(value: Any) -> Any:
            if isinstance(value, str) and STORED_NAME.fullmatch(value) and value not in self.state:
                stored = ", ".join(self.state) or "none yet (read_tables stores them)"
                raise AgentToolCallError(
                    f"there is no {value}; the stored names are: {stored}. To have another table, call "
                    "read_tables with the url of another page web_search found",
                    self.logger,
                )
            if isinstance(value, str):
                return self.state.get(value, value)
            if isinstance(value, list):
                return [resolve(item) for item in value]
            return value

        return {key: resolve(value) for key, value in arguments.items()}

    def execute_tool_call(self, tool_name: str, arguments: dict[str, Any] | str) -> Any:
        try:
            result = super().execute_tool_call(tool_name, arguments)
        except AgentToolExecutionError as e:
            if e.__cause__ is None or tool_name in self.managed_agents:
                raise
            # smolagents' message repeats the arguments with the tables substituted in; name them instead
            raise AgentToolExecutionError(
                f"Error executing tool '{tool_name}' with arguments {arguments}: "
                f"{type(e.__cause__).__name__}: {e.__cause__}",
                self.logger,
            ) from e.__cause__
        if tool_name == "read_tables" and _is_tables(result):
            return "\n".join(self._summary(self._store("table", table), table) for table in result)
        if tool_name == "top_rows" and _is_rows(result):
            return self._summary(self._store("table", result), result, whole=True)
        if (tool_name == "make_rows" or tool_name in self.managed_agents) and _is_rows(result):
            return self._summary(self._store("rows", result), result, whole=True)
        return result

    def _handle_max_steps_reached(self, task: str) -> Any:
        """Out of steps: the latest rows made are the answer (with their gaps), rather than a text the
        model would type from memory."""
        made = [name for name in self.state if name.startswith("rows_")]
        if not made:
            return super()._handle_max_steps_reached(task)
        return _answer_out_of_steps(self, self.state[made[-1]])


class ToolCallingWebAgent(ReturnsRows, StatefulToolCallingAgent):
    """The tool-calling web agent."""
