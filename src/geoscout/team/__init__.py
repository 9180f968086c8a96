"""The seed's team: a manager CodeAgent that plans and a managed ``web_agent`` CodeAgent that researches.

The shape is the seed's; the prompts are ours (``prompts/*.yaml``): short, one worked example each, with
the same shape as the real task on a different subject, so that a 1.5B local model can follow them and a
strong model is not hindered by them.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import yaml
from smolagents import CodeAgent, Model, Tool
from smolagents.agents import RunResult, populate_template

from geoscout.checks import RegionCheck, RowsCheck

MANAGER_IMPORTS = [
    "geopandas",
    "geopandas.*",
    "plotly",
    "plotly.*",
    "shapely",
    "shapely.*",
    "json",
    "pandas",
    "pandas.*",
    "numpy",
    "numpy.*",
]
WEB_AGENT_DESCRIPTION = "Runs web searches for you."


def load_prompts(name: str) -> dict:
    """Prompt templates are data: ``team/prompts/<name>.yaml``."""
    return yaml.safe_load(
        files("geoscout.team").joinpath("prompts", f"{name}.yaml").read_text(encoding="utf-8")
    )


class WebAgent(CodeAgent):
    """A managed CodeAgent that hands its final answer back as data (rows), not wrapped in a report string."""

    def __call__(self, task: str, **kwargs: Any) -> Any:
        full_task = populate_template(
            self.prompt_templates["managed_agent"]["task"], variables={"name": self.name, "task": task}
        )
        result = self.run(full_task, **kwargs)
        return result.output if isinstance(result, RunResult) else result


def _assemble(
    manager_model: Model,
    web_model: Model,
    web_tools: list[Tool],
    *,
    seed: bool,
    max_steps_manager: int,
    max_steps_web: int,
    verbosity_level: int,
    step_callbacks: list | None,
) -> CodeAgent:
    # The manager's code block includes the whole web_agent run, so no wall-clock cap there (smolagents'
    # default of 30 s would kill it); the web agent's blocks only call fast tools.
    ours = (
        {}
        if seed
        else {"final_answer_checks": [RowsCheck(), RegionCheck()], "max_print_outputs_length": 3000}
    )
    web_agent = (CodeAgent if seed else WebAgent)(
        tools=web_tools,
        model=web_model,
        name="web_agent",
        description=WEB_AGENT_DESCRIPTION,
        prompt_templates=None if seed else load_prompts("web_agent"),
        max_steps=max_steps_web,
        verbosity_level=verbosity_level,
        executor_kwargs={"timeout_seconds": 60},
        step_callbacks=step_callbacks,
        **ours,
    )
    return CodeAgent(
        tools=[],
        model=manager_model,
        managed_agents=[web_agent],
        name="manager",
        prompt_templates=None if seed else load_prompts("manager"),
        additional_authorized_imports=MANAGER_IMPORTS,
        max_steps=max_steps_manager,
        verbosity_level=verbosity_level,
        executor_kwargs={"timeout_seconds": None},
        step_callbacks=step_callbacks,
        **({} if seed else {**ours, "final_answer_checks": [RowsCheck(), RegionCheck()]}),
    )


def build_team(
    manager_model: Model,
    web_model: Model,
    web_tools: list[Tool],
    *,
    max_steps_manager: int = 4,
    max_steps_web: int = 8,
    verbosity_level: int = 1,
    step_callbacks: list | None = None,
) -> CodeAgent:
    """Assemble manager + web_agent with geoscout's prompt templates and answer checks."""
    return _assemble(
        manager_model,
        web_model,
        web_tools,
        seed=False,
        max_steps_manager=max_steps_manager,
        max_steps_web=max_steps_web,
        verbosity_level=verbosity_level,
        step_callbacks=step_callbacks,
    )


def build_seed_team(
    manager_model: Model,
    web_model: Model,
    web_tools: list[Tool],
    *,
    verbosity_level: int = 1,
    step_callbacks: list | None = None,
) -> CodeAgent:
    """The seed's configuration, kept as the baseline to measure against: smolagents' default prompts,
    a plain managed CodeAgent (its answer wrapped in a report string), no answer checks, 10 steps each."""
    return _assemble(
        manager_model,
        web_model,
        web_tools,
        seed=True,
        max_steps_manager=10,
        max_steps_web=10,
        verbosity_level=verbosity_level,
        step_callbacks=step_callbacks,
    )
