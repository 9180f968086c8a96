"""Run an eval set through one or more configurations and keep, per run, its score and its costs."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from smolagents import Model

from geoscout import __version__
from geoscout.errors import GeoscoutError
from geoscout.evaluation.scoring import score
from geoscout.evaluation.sets import EvalSet, Question
from geoscout.run import RunSettings, run

BASELINES = ("seed",)


@dataclass
class Configuration:
    """A named way to answer: geoscout's team with an agent type, or the seed's configuration."""

    name: str
    configuration: str = "geoscout"  # or "seed"
    agent_type: str | None = None
    questions: list[str] = field(default_factory=list)  # the ids it runs on; empty: every question

    def runs_on(self, question: Question) -> bool:
        return not self.questions or question.id in self.questions


def configurations(
    agent_types: list[str], baselines: list[str], baseline_questions: list[str] | None = None
) -> list[Configuration]:
    """geoscout's team per agent type (default code), then each baseline, limited to some questions."""
    configs = [Configuration(f"geoscout-{t}", agent_type=t) for t in agent_types or ["code"]]
    for baseline in baselines:
        if baseline not in BASELINES:
            raise GeoscoutError(f"unknown baseline {baseline!r} (known: {', '.join(BASELINES)})")
        configs.append(
            Configuration(baseline, configuration=baseline, questions=list(baseline_questions or []))
        )
    return configs


# (question, configuration) -> (manager model, web_agent model), for tests with scripted models
ModelFactory = Callable[[Question, Configuration], tuple[Model, Model]]


def evaluate(
    eval_set: EvalSet,
    configs: list[Configuration],
    *,
    runs: int = 1,
    model: str | None = None,
    executor: str | None = None,
    time_limit: float | None = None,
    runs_dir: Path = Path("runs/eval"),
    only: list[str] | None = None,
    models: ModelFactory | None = None,
    progress: Callable[[dict, dict], None] | None = None,  # (the run's record, the document so far)
) -> dict[str, Any]:
    """Every question × configuration × run; returns the results document (see ``report``). ``progress``
    sees each run as it ends, with the document so far, so a long eval can be saved as it goes."""
    if runs < 1:
        raise GeoscoutError("--runs must be at least 1")
    questions = [q for q in eval_set.questions if not only or q.id in only]
    asked = set(only or []).union(*(c.questions for c in configs))
    unknown = sorted(asked - {q.id for q in eval_set.questions})
    if unknown:
        raise GeoscoutError(f"no question {unknown[0]!r} in eval set {eval_set.folder}")
    document: dict[str, Any] = {
        "geoscout_version": __version__,
        "set": eval_set.name,
        "set_folder": str(eval_set.folder),
        "snapshot": str(eval_set.snapshot),
        "model": model or os.environ.get("GEOSCOUT_MODEL") or "local",
        "executor": executor or os.environ.get("GEOSCOUT_EXECUTOR") or "sandbox",
        "time_limit": time_limit,
        "configurations": [asdict(c) for c in configs],
        "runs": runs,
        "cores": os.cpu_count(),
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "results": [],
    }
    for question in questions:
        for config in (c for c in configs if c.runs_on(question)):
            for n in range(1, runs + 1):
                out_dir = runs_dir / config.name / question.id / (f"run-{n}" if runs > 1 else "")
                record = _one_run(eval_set, question, config, n, model, executor, time_limit, out_dir, models)
                document["results"].append(record)
                if progress:
                    progress(record, document)
    return document


def _one_run(
    eval_set: EvalSet,
    question: Question,
    config: Configuration,
    n: int,
    model: str | None,
    executor: str | None,
    time_limit: float | None,
    out_dir: Path,
    models: ModelFactory | None,
) -> dict[str, Any]:
    settings = RunSettings(
        question=question.question,
        model=model,
        snapshot=eval_set.snapshot,
        out_dir=out_dir,
        quiet=True,
        agent_type=config.agent_type,
        executor=executor,
        time_limit=time_limit,
        configuration=config.configuration,
        models=models(question, config) if models else None,
    )
    outcome = run(settings)
    result = score(question, outcome.table)  # a partial or failed run's rows are scored too
    trace = json.loads((outcome.out_dir / "run.json").read_text(encoding="utf-8")).get("trace", [])
    totals = outcome.totals
    return {
        "question": question.id,
        "configuration": config.name,
        "run": n,
        "run_dir": str(outcome.out_dir),
        "state": outcome.state,
        "reason": outcome.reason,
        "success": outcome.state == "success",
        "partial": outcome.state == "partial",
        "verdict": outcome.verdict,
        "correct": result.correct,
        "rows_expected": result.rows_expected,
        "rows_returned": result.rows_returned,
        "rows_matched": result.rows_matched,
        "precision": round(result.precision, 4),
        "recall": round(result.recall, 4),
        "values_checked": result.values_checked,
        "values_within": result.values_within,
        "values_returned": result.values_returned,
        "values_quoted": result.values_quoted,
        "misses": result.misses,
        "seconds": round(outcome.seconds, 1),
        "llm_calls": totals.get("llm_calls", 0),
        "input_tokens": totals.get("input_tokens", 0),
        "output_tokens": totals.get("output_tokens", 0),
        "evaluated_tokens": totals.get("evaluated_tokens"),
        "steps": [{"agent": s["agent"], "step": s["step"], "seconds": s["seconds"]} for s in trace],
    }
