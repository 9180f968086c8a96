"""Where LLM-written code runs: a bubblewrap sandbox (default), or smolagents' own executors.

- ``sandbox``: each code agent gets a long-lived worker process with no network, no secrets, a read-only
  view of Python and its libraries, one writable folder, resource limits and a syscall filter; tools and
  managed agents stay in the host and are called over a pipe (``executor.SandboxExecutor``).
- ``local``: smolagents' ``LocalPythonExecutor`` in geoscout's own process — an AST interpreter with an
  import allow-list, which by smolagents' own account is not a security boundary.
- ``docker``, ``e2b``: smolagents' remote executors, for the web agent (they refuse managed agents, so the
  manager's code still runs in the sandbox).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from geoscout.errors import GeoscoutError
from geoscout.sandbox.launch import Limits, sandbox_problem

EXECUTORS = ("sandbox", "local", "docker", "e2b")
NOT_A_BOUNDARY = "smolagents' local executor, which is not a security boundary"


def resolve_executor(name: str | None = None) -> str:
    """The executor asked for (else ``GEOSCOUT_EXECUTOR``, else the sandbox). Never falls back: without a
    sandbox the run stops, in one line, unless ``local`` was asked for (the model's code would otherwise run
    beside the keys in this process's environment)."""
    chosen = name or os.environ.get("GEOSCOUT_EXECUTOR") or None
    if chosen is not None and chosen not in EXECUTORS:
        raise GeoscoutError(f"unknown executor {chosen!r}; choose one of {', '.join(EXECUTORS)}")
    if chosen == "local":
        print(f"geoscout: note: --executor local runs the agents' code in {NOT_A_BOUNDARY}", file=sys.stderr)
        return "local"
    if chosen in (None, "sandbox", "docker", "e2b"):
        problem = sandbox_problem()
        if problem is None:
            return chosen or "sandbox"
        raise GeoscoutError(f"the sandbox cannot run here: {problem} (--executor local runs without one)")
    return chosen


def code_agent_options(
    executor: str,
    imports: list[str],
    timeout_seconds: float | None,
    max_print_outputs_length: int | None,
    *,
    managed: bool,
) -> dict[str, Any]:
    """The CodeAgent keyword arguments that put its code in ``executor``. ``managed`` agents (the web agent)
    may use smolagents' remote executors; a manager, whose code calls its team, uses the sandbox."""
    if executor in ("docker", "e2b") and managed:
        return {"executor_type": executor, "max_print_outputs_length": max_print_outputs_length}
    if executor == "local":
        # the local executor would count a manager's whole web_agent run against the limit; the sandbox
        # stops the clock while a tool or team member runs in the host
        return {
            "executor_kwargs": {"timeout_seconds": timeout_seconds if managed else None},
            "max_print_outputs_length": max_print_outputs_length,
        }
    from geoscout.sandbox.executor import SandboxExecutor

    return {"executor": SandboxExecutor(imports, max_print_outputs_length, timeout_seconds)}


__all__ = ["EXECUTORS", "Limits", "code_agent_options", "resolve_executor", "sandbox_problem"]
