"""The seed's team: a manager agent that plans and a managed ``web_agent`` that researches.

The shape is the seed's; the prompts are ours (``prompts/*.yaml``): short, one worked example each, with
the same shape as the real task on a different subject (web_agent's is chosen by the question's shape: a
ranked list, or places it names one by one), so that a 1.5B local model can follow them and a
strong model is not hindered by them. Both agents are code agents by default (they write Python), or
tool-calling agents (they write one JSON tool call per step) with ``agent_type="tool-calling"``.
"""

from __future__ import annotations

import os

from smolagents import CodeAgent, Model, MultiStepAgent, Tool

from geoscout.checks import CoordinatesCheck, CountriesCheck, GapsCheck, OrderCheck, RegionCheck, RowsCheck
from geoscout.errors import GeoscoutError
from geoscout.prompts import load_prompts
from geoscout.provenance import PagesRead, PageText, QuoteCheck
from geoscout.sandbox import code_agent_options
from geoscout.team.agents import StatefulToolCallingAgent, ToolCallingWebAgent, WebAgent
from geoscout.tools.rows import MakeRowsTool

AGENT_TYPES = ("code", "tool-calling")

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


def rows_handed_back(team: MultiStepAgent) -> list[dict] | None:
    """The rows the team's web agent last handed its manager, if any: the answer of a run stopped (by its
    time limit, by the user, or by the manager's failure) after the research but before the manager
    answered."""
    handed = getattr(team.managed_agents.get("web_agent"), "handed", None)
    rows = handed if isinstance(handed, list) else []
    return rows if rows and all(isinstance(row, dict) for row in rows) else None


def resolve_agent_type(agent_type: str | None = None) -> str:
    """The agent type asked for, else ``GEOSCOUT_AGENT_TYPE``, else code; an unknown one is an error."""
    chosen = agent_type or os.environ.get("GEOSCOUT_AGENT_TYPE") or "code"
    if chosen not in AGENT_TYPES:
        raise GeoscoutError(f"unknown agent type {chosen!r}; choose one of {', '.join(AGENT_TYPES)}")
    return chosen


def answer_checks(page_text: PageText | None, pages_read: PagesRead | None = None) -> list:
    """The checks every answer passes before it is final; with the run's pages, quotes are checked too."""
    checks: list = [
        RowsCheck(),
        CountriesCheck(),
        RegionCheck(),
        OrderCheck(),
        GapsCheck(),
        CoordinatesCheck(),
    ]
    if page_text is not None:
        checks.append(QuoteCheck(page_text, pages_read))
    return checks


def _serve(web_agent: MultiStepAgent, manager: MultiStepAgent) -> None:
    """Tell web_agent which agent calls it (whose question says which values are asked)."""
    web_agent.manager = manager


def _assemble(
    manager_model: Model,
    web_model: Model,
    web_tools: list[Tool],
    *,
    seed: bool,
    executor: str,
    example: str | None = None,
    page_text: PageText | None,
    pages_read: PagesRead | None,
    manager_extra_checks: list,
    max_steps_manager: int,
    max_steps_web: int,
    verbosity_level: int,
    step_callbacks: list | None,
) -> CodeAgent:
    # 60 s of the agents' own computing per code block (the manager's block also waits for web_agent's
    # whole run, which the sandbox does not count; see geoscout.sandbox.code_agent_options)
    print_limit = None if seed else 3000
    checks = {} if seed else {"final_answer_checks": answer_checks(page_text, pages_read)}
    web_agent = (CodeAgent if seed else WebAgent)(
        tools=web_tools,
        model=web_model,
        name="web_agent",
        description=WEB_AGENT_DESCRIPTION,
        prompt_templates=None if seed else load_prompts("web_agent", example),
        max_steps=max_steps_web,
        verbosity_level=verbosity_level,
        step_callbacks=step_callbacks,
        **code_agent_options(executor, [], 60, print_limit, managed=True),
        **checks,
    )
    manager_checks = (
        {} if seed else {"final_answer_checks": answer_checks(page_text, pages_read) + manager_extra_checks}
    )
    manager = CodeAgent(
        tools=[],
        model=manager_model,
        managed_agents=[web_agent],
        name="manager",
        prompt_templates=None if seed else load_prompts("manager"),
        additional_authorized_imports=MANAGER_IMPORTS,
        max_steps=max_steps_manager,
        verbosity_level=verbosity_level,
        step_callbacks=step_callbacks,
        **code_agent_options(executor, MANAGER_IMPORTS, 60, print_limit, managed=False),
        **manager_checks,
    )
    _serve(web_agent, manager)
    return manager


def _assemble_tool_calling(
    manager_model: Model,
    web_model: Model,
    web_tools: list[Tool],
    *,
    page_text: PageText | None,
    pages_read: PagesRead | None,
    manager_extra_checks: list,
    max_steps_manager: int,
    max_steps_web: int,
    verbosity_level: int,
    step_callbacks: list | None,
) -> MultiStepAgent:
    # Without code, the loop over the ranked table that a code agent writes is the make_rows tool.
    common = {"verbosity_level": verbosity_level, "step_callbacks": step_callbacks}
    web_agent = ToolCallingWebAgent(
        tools=[*web_tools, MakeRowsTool()],
        model=web_model,
        name="web_agent",
        description=WEB_AGENT_DESCRIPTION,
        prompt_templates=load_prompts("web_agent_tool_calling"),
        max_steps=max_steps_web,
        final_answer_checks=answer_checks(page_text, pages_read),
        **common,
    )
    manager = StatefulToolCallingAgent(
        tools=[],
        model=manager_model,
        managed_agents=[web_agent],
        name="manager",
        prompt_templates=load_prompts("manager_tool_calling"),
        max_steps=max_steps_manager,
        final_answer_checks=answer_checks(page_text, pages_read) + manager_extra_checks,
        **common,
    )
    _serve(web_agent, manager)
    return manager


def build_team(
    manager_model: Model,
    web_model: Model,
    web_tools: list[Tool],
    *,
    agent_type: str | None = None,
    executor: str = "sandbox",
    example: str | None = None,
    page_text: PageText | None = None,
    pages_read: PagesRead | None = None,
    manager_extra_checks: list | None = None,
    max_steps_manager: int = 4,
    max_steps_web: int | None = None,
    verbosity_level: int = 1,
    step_callbacks: list | None = None,
) -> MultiStepAgent:
    """Assemble manager + web_agent of ``agent_type`` (see ``resolve_agent_type``) with geoscout's
    prompt templates and answer checks. ``page_text(url)``, the markdown of a page read in the run, turns
    on the quote check (``pages_read()``, their urls, lets it say which page states a value given another
    source); ``manager_extra_checks`` go to the manager only (e.g. the map review). Code agents run their
    code in ``executor`` (see ``geoscout.sandbox``; tool-calling agents run no code). ``example`` is the
    worked example web_agent's prompt shows ('ranked' or 'named': ``Reading.shape``)."""
    options = {
        "page_text": page_text,
        "pages_read": pages_read,
        "manager_extra_checks": manager_extra_checks or [],
        "max_steps_manager": max_steps_manager,
        "verbosity_level": verbosity_level,
        "step_callbacks": step_callbacks,
    }
    if resolve_agent_type(agent_type) == "tool-calling":
        # one tool call per step: searches, reads and make_rows take more steps than one code block
        return _assemble_tool_calling(
            manager_model, web_model, web_tools, max_steps_web=max_steps_web or 12, **options
        )
    return _assemble(
        manager_model,
        web_model,
        web_tools,
        seed=False,
        executor=executor,
        example=example,
        max_steps_web=max_steps_web or 8,
        **options,
    )


def build_seed_team(
    manager_model: Model,
    web_model: Model,
    web_tools: list[Tool],
    *,
    executor: str = "sandbox",
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
        executor=executor,
        page_text=None,
        pages_read=None,
        manager_extra_checks=[],
        max_steps_manager=10,
        max_steps_web=10,
        verbosity_level=verbosity_level,
        step_callbacks=step_callbacks,
    )
