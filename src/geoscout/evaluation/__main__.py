"""``python -m geoscout.evaluation``: run an eval set through geoscout's team (code agents, tool-calling
agents) and the seed's configuration, on the same model and snapshot.

Prints one Markdown table (success, rows, values within tolerance, wall time, LLM calls, tokens) and
writes it to ``--out``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geoscout.errors import GeoscoutError
from geoscout.evaluation import load_questions, score
from geoscout.run import RunSettings, run

# configuration name -> the RunSettings that make it
CONFIGURATIONS = {
    "geoscout": {"configuration": "geoscout", "agent_type": "code"},
    "tool-calling": {"configuration": "geoscout", "agent_type": "tool-calling"},
    "seed": {"configuration": "seed"},
}
HEADER = (
    "| question | configuration | correct | rows found | values within tolerance | wall time (s) | LLM calls "
    "| input tokens | output tokens | evaluated tokens |\n|---|---|---|---|---|---|---|---|---|---|"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geoscout.evaluation", description=__doc__)
    parser.add_argument("eval_set", type=Path, nargs="?", default=Path("evals/seed"))
    parser.add_argument(
        "--configs", default=",".join(CONFIGURATIONS), help=f"comma-separated: {', '.join(CONFIGURATIONS)}"
    )
    parser.add_argument("--only", default="", help="comma-separated question ids (default: all)")
    parser.add_argument("--model", default=None)
    parser.add_argument("--runs-dir", type=Path, default=Path("runs/bench"))
    parser.add_argument("--out", type=Path, default=None, help="also write the Markdown table here")
    args = parser.parse_args(argv)
    try:
        questions = load_questions(args.eval_set)
    except GeoscoutError as e:
        print(f"geoscout: error: {e}", file=sys.stderr)
        return 1
    configs = [c for c in args.configs.split(",") if c]
    unknown = [c for c in configs if c not in CONFIGURATIONS]
    if unknown:
        print(f"geoscout: error: unknown configuration {unknown[0]!r}", file=sys.stderr)
        return 1
    wanted = {q for q in args.only.split(",") if q}
    lines = [HEADER]
    print(HEADER, flush=True)
    for question in questions:
        if wanted and question.id not in wanted:
            continue
        for config in configs:
            settings = RunSettings(
                question=question.question,
                model=args.model,
                out_dir=args.runs_dir / config / question.id,
                quiet=True,
                **CONFIGURATIONS[config],
            )
            outcome = run(settings)
            result = score(question, outcome.table if outcome.state == "success" else None)
            t = outcome.totals
            extra = result.rows_returned - result.rows_matched
            cells = [
                question.id,
                config,
                "yes" if result.correct else "no",
                f"{result.rows_matched}/{result.rows_expected} (+{extra})",
                f"{result.value_accuracy:.0%}",
                f"{outcome.seconds:.0f}",
                str(t["llm_calls"]),
                f"{t['input_tokens']:,}",
                f"{t['output_tokens']:,}",
                f"{t.get('evaluated_tokens', 0):,}",
            ]
            line = "| " + " | ".join(cells) + " |"
            lines.append(line)
            print(line, flush=True)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
