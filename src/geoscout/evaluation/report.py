"""Results as people read them: per question and overall, one Markdown table each; and two result files
side by side."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from statistics import mean
from typing import Any

from geoscout.errors import GeoscoutError
from geoscout.files import write_atomic

COLUMNS = (
    "success",
    "partial",
    "correct",
    "rows found",
    "precision",
    "recall",
    "values within tolerance",
    "values quoted",
    "wall time (s)",
    "LLM calls",
    "input tokens",
    "output tokens",
    "evaluated tokens",
    "s per step (manager / web_agent)",
)


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def aggregate(records: list[dict]) -> dict[str, Any]:
    """Runs of the same question(s) and configuration folded into totals and means."""
    steps: dict[str, list[float]] = defaultdict(list)
    for r in records:
        for s in r["steps"]:
            steps["manager" if s["agent"] == "manager" else "web_agent"].append(s["seconds"])
    evaluated = [r["evaluated_tokens"] for r in records if r.get("evaluated_tokens") is not None]
    return {
        "runs": len(records),
        "success": sum(r["success"] for r in records),
        "partial": sum(r.get("partial", False) for r in records),
        "correct": sum(r["correct"] for r in records),
        "rows_expected": sum(r["rows_expected"] for r in records),
        "rows_matched": sum(r["rows_matched"] for r in records),
        "rows_extra": sum(r["rows_returned"] - r["rows_matched"] for r in records),
        "precision": mean(r["precision"] for r in records),
        "recall": mean(r["recall"] for r in records),
        "value_accuracy": _ratio(
            sum(r["values_within"] for r in records), sum(r["values_checked"] for r in records)
        ),
        "quoted": _ratio(
            sum(r["values_quoted"] for r in records), sum(r["values_returned"] for r in records)
        ),
        "seconds": mean(r["seconds"] for r in records),
        "llm_calls": mean(r["llm_calls"] for r in records),
        "input_tokens": mean(r["input_tokens"] for r in records),
        "output_tokens": mean(r["output_tokens"] for r in records),
        "evaluated_tokens": mean(evaluated) if evaluated else None,
        "step_seconds": {agent: round(mean(s), 1) for agent, s in steps.items()},
    }


def summarize(document: dict[str, Any]) -> dict[str, Any]:
    """Per configuration: the aggregate over every question and run (added to the results document)."""
    by_config: dict[str, list[dict]] = defaultdict(list)
    for r in document["results"]:
        by_config[r["configuration"]].append(r)
    return {name: aggregate(records) for name, records in by_config.items()}


def _cells(a: dict[str, Any]) -> list[str]:
    n = a["runs"]
    steps = a["step_seconds"]
    return [
        f"{a['success']}/{n}",
        f"{a['partial']}/{n}",
        f"{a['correct']}/{n}",
        f"{a['rows_matched']}/{a['rows_expected']} (+{a['rows_extra']})",
        f"{a['precision']:.0%}",
        f"{a['recall']:.0%}",
        f"{a['value_accuracy']:.0%}",
        f"{a['quoted']:.0%}",
        f"{a['seconds']:.0f}",
        f"{a['llm_calls']:.1f}".removesuffix(".0"),
        f"{a['input_tokens']:,.0f}",
        f"{a['output_tokens']:,.0f}",
        "–" if a["evaluated_tokens"] is None else f"{a['evaluated_tokens']:,.0f}",
        f"{steps.get('manager', 0):.1f} / {steps.get('web_agent', 0):.1f}",
    ]


def _table(first: list[str], rows: list[list[str]]) -> str:
    header = [*first, *COLUMNS]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def markdown(document: dict[str, Any]) -> str:
    """The per-question table, the overall table and, with a baseline, the cost ratios on the first
    question."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in document["results"]:
        groups[(r["question"], r["configuration"])].append(r)
    per_question = [[q, c, *_cells(aggregate(records))] for (q, c), records in groups.items()]
    summary = summarize(document)
    overall = [[c, *_cells(a)] for c, a in summary.items()]
    parts = [
        f"Eval set `{document['set']}`, model `{document['model']}`, executor `{document['executor']}`, "
        f"{document['runs']} run(s) per question, {document['cores']} cores, started {document['started']}.",
        "",
        _table(["question", "configuration"], per_question),
        "",
        _table(["configuration (all questions)"], overall),
    ]
    ratios = baseline_ratios(groups)
    if ratios:
        parts += ["", ratios]
    return "\n".join(parts) + "\n"


def baseline_ratios(groups: dict[tuple[str, str], list[dict]]) -> str:
    """geoscout's input tokens and wall time as a multiple of the seed baseline's, on the first question
    both answered (the cost target)."""
    questions = list(dict.fromkeys(q for q, _ in groups))
    for question in questions:
        if (question, "seed") not in groups:
            continue
        seed = aggregate(groups[(question, "seed")])
        lines = []
        for (q, config), records in groups.items():
            if q == question and config != "seed":
                a = aggregate(records)
                tokens = _ratio(a["input_tokens"], seed["input_tokens"])
                seconds = _ratio(a["seconds"], seed["seconds"])
                lines.append(
                    f"On `{question}`, {config} used {tokens:.2f}× the seed baseline's input tokens and "
                    f"{seconds:.2f}× its wall time."
                )
        return "\n".join(lines)
    return ""


def save(document: dict[str, Any], path: Path) -> None:
    document = {**document, "summary": summarize(document)}
    write_atomic(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def load(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise GeoscoutError(f"cannot read {path}: {e.strerror or e}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise GeoscoutError(f"{path} is not JSON ({e})") from None
    if (
        not isinstance(document, dict)
        or not isinstance(document.get("results"), list)
        or not all(
            isinstance(r, dict) and "question" in r and "configuration" in r for r in document["results"]
        )
    ):
        raise GeoscoutError(f"{path} is not a geoscout eval result file (no results list)")
    return document


def compare(a: dict[str, Any], b: dict[str, Any], names: tuple[str, str] = ("A", "B")) -> str:
    """Two result files side by side, per question and configuration (or per question, when each file
    holds one configuration under different names), then overall."""

    def keyed(document: dict[str, Any]) -> dict[tuple[str, str], list[dict]]:
        groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for r in document["results"]:
            groups[(r["question"], r["configuration"])].append(r)
        return groups

    ga, gb = keyed(a), keyed(b)
    configs_a, configs_b = {c for _, c in ga}, {c for _, c in gb}
    if not set(ga) & set(gb) and len(configs_a) == len(configs_b) == 1:
        ga = {(q, ""): r for (q, _), r in ga.items()}
        gb = {(q, ""): r for (q, _), r in gb.items()}
    shared = [k for k in ga if k in gb]
    if not shared:
        raise GeoscoutError("the two result files share no question and configuration")
    x, y = names
    header = [
        "question",
        "configuration",
        f"correct {x}",
        f"correct {y}",
        f"values within {x}",
        f"values within {y}",
        f"wall time {x} (s)",
        f"wall time {y} (s)",
        f"input tokens {x}",
        f"input tokens {y}",
        f"{y}/{x} input tokens",
        f"{y}/{x} wall time",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]

    def row(label: list[str], ra: list[dict], rb: list[dict]) -> str:
        sa, sb = aggregate(ra), aggregate(rb)
        cells = [
            *label,
            f"{sa['correct']}/{sa['runs']}",
            f"{sb['correct']}/{sb['runs']}",
            f"{sa['value_accuracy']:.0%}",
            f"{sb['value_accuracy']:.0%}",
            f"{sa['seconds']:.0f}",
            f"{sb['seconds']:.0f}",
            f"{sa['input_tokens']:,.0f}",
            f"{sb['input_tokens']:,.0f}",
            f"{_ratio(sb['input_tokens'], sa['input_tokens']):.2f}×",
            f"{_ratio(sb['seconds'], sa['seconds']):.2f}×",
        ]
        return "| " + " | ".join(cells) + " |"

    for key in shared:
        lines.append(row([key[0], key[1] or "–"], ga[key], gb[key]))
    lines.append(
        row(["all shared", "–"], [r for k in shared for r in ga[k]], [r for k in shared for r in gb[k]])
    )
    return "\n".join(lines) + "\n"
