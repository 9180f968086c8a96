"""The ``geoscout`` command: ask a question, run the demo, serve the web page, build a snapshot."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from dotenv import load_dotenv

from geoscout.errors import GeoscoutError

OUT_HELP = "Run folder for saved_map.png, map.html, data.csv and run.json (default: runs/<time>-<question>)."


EXIT_CODES = {"success": 0, "partial": 3, "failed": 4}  # bad input exits 1, a usage error 2


def _ask(**settings) -> None:
    """One run; its files, then its verdict last. Exits with the state's code (``EXIT_CODES``)."""
    from geoscout.run import RunSettings, run

    outcome = run(RunSettings(**settings))
    if outcome.table is not None:
        click.echo(
            f"{len(outcome.table.frame)} rows, {outcome.seconds:.0f} s, {outcome.totals['llm_calls']} LLM "
            f"calls, {outcome.totals['input_tokens']:,} input / {outcome.totals['output_tokens']:,} output "
            "tokens"
        )
    for name in outcome.files:
        click.echo(str(outcome.out_dir / name))
    click.echo(f"{outcome.state}: {outcome.verdict}", err=outcome.state == "failed")
    sys.exit(EXIT_CODES[outcome.state])


@click.group()
@click.version_option(package_name="geoscout")
def cli() -> None:
    """Answer a geographic question with a map, its data and a source URL for every value."""
    load_dotenv(Path.cwd() / ".env")  # the working folder's, as the README says (not one above the package)


MODEL_HELP = "local (default without keys), local:PATH.gguf, openai:MODEL, litellm:PROVIDER/MODEL."
model_option = click.option("--model", help=f"Model for both agents: {MODEL_HELP} Also GEOSCOUT_MODEL.")


agent_type_option = click.option(
    "--agent-type",
    type=click.Choice(["code", "tool-calling"]),
    help="code: agents write Python (default); tool-calling: one JSON tool call per step. "
    "Also GEOSCOUT_AGENT_TYPE.",
)


time_limit_option = click.option(
    "--time-limit",
    type=click.FloatRange(min=1),
    help="Seconds for a whole run: past it, each agent stops before its next step and the run fails "
    "with that reason (default: none; steps are still bounded).",
)


executor_option = click.option(
    "--executor",
    type=click.Choice(["sandbox", "local", "docker", "e2b"]),
    help="Where the agents' code runs: sandbox (default: bubblewrap, no network, no secrets), local "
    "(smolagents' interpreter, not a security boundary), docker or e2b (smolagents', for web_agent). "
    "Also GEOSCOUT_EXECUTOR.",
)


def run_options(command):
    """The options every run takes: models, search, output."""
    options = [
        model_option,
        click.option("--manager-model", help="Model for the manager only (overrides --model)."),
        click.option("--web-model", help="Model for web_agent only (overrides --model)."),
        click.option("--api-base", help="OpenAI-compatible server URL for openai:/litellm: models."),
        agent_type_option,
        executor_option,
        time_limit_option,
        click.option(
            "--check-model",
            help="A vision model (same specs as --model) that reviews the map before the answer is final: "
            "PASS, or FAIL with a reason sent back to the manager. Also GEOSCOUT_CHECK_MODEL.",
        ),
        click.option("--search", help="snapshot[:PATH] (default without keys), tavily, duckduckgo."),
        click.option(
            "--snapshot",
            type=click.Path(path_type=Path),
            help="Offline snapshot (folder or .db): --search snapshot:PATH.",
        ),
        click.option("--out", "out_dir", type=click.Path(path_type=Path), help=OUT_HELP),
        click.option("--quiet", is_flag=True, help="No progress output."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@cli.command()
@click.argument("question")
@run_options
@click.option(
    "--record",
    type=click.Path(path_type=Path),
    help="Save every search and page of the run into this snapshot folder (replaced whole); "
    "--snapshot FOLDER then replays the run offline.",
)
def ask(question: str, **settings) -> None:
    """Answer QUESTION: research it, then write the map, the data and the run's trace."""
    _ask(question=question, **settings)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=7860, show_default=True)
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=Path("runs"), show_default=True,
    help="Folder for the runs started from the page; its earlier runs can be opened there.",
)  # fmt: skip
@click.option("--model", help=f"Default model on the page: {MODEL_HELP} Also GEOSCOUT_MODEL.")
@click.option("--search", help="Default search on the page: snapshot[:PATH], tavily, duckduckgo.")
@agent_type_option
@executor_option
@time_limit_option
def serve(host: str, port: int, out_dir: Path, **defaults) -> None:
    """Serve a web page to ask questions, watch the agents work and get each map (one run at a time)."""
    import os

    from geoscout.tools.search import default_search_spec

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"warning: listening on {host}: anyone who reaches this address can run LLM-written code on "
            "this machine (in the sandbox) and use your API keys.",
            err=True,
        )
    from geoscout.ui.page import PageSettings, launch

    settings = PageSettings(
        out_root=out_dir,
        model=defaults["model"] or os.environ.get("GEOSCOUT_MODEL") or "local",
        search=defaults["search"] or default_search_spec(),
        agent_type=defaults["agent_type"] or os.environ.get("GEOSCOUT_AGENT_TYPE") or "code",
        executor=defaults["executor"],
        time_limit=defaults["time_limit"],
    )
    click.echo(f"geoscout serving on http://{host}:{port} (Ctrl+C stops it)")
    launch(settings, host=host, port=port)


@cli.command()
@click.option("--model", default="local", show_default=True, help=MODEL_HELP)
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=Path("runs") / "demo", show_default=True
)
@click.option("--quiet", is_flag=True, help="No progress output.")
@agent_type_option
@executor_option
def demo(model: str, out_dir: Path, quiet: bool, agent_type: str | None, executor: str | None) -> None:
    """Ask the seed question with the embedded model and the bundled offline snapshot."""
    from geoscout.run import SEED_QUESTION

    _ask(
        question=SEED_QUESTION,
        model=model,
        search="snapshot",
        out_dir=out_dir,
        quiet=quiet,
        agent_type=agent_type,
        executor=executor,
    )


@cli.command()
@model_option
@agent_type_option
def visualize(model: str | None, agent_type: str | None) -> None:
    """Print the team: the manager, its managed web_agent, and their tools."""
    from geoscout.models import resolve_model
    from geoscout.snapshot import Snapshot, demo_snapshot_path
    from geoscout.team import build_team
    from geoscout.tools import PageReader, SnapshotSearch, web_tools

    snapshot = Snapshot.open(demo_snapshot_path())
    tools = web_tools(SnapshotSearch(snapshot), PageReader(snapshot))
    team = build_team(resolve_model(model), resolve_model(model), tools, agent_type=agent_type)
    team.visualize()


@cli.command()
@click.argument("run_dir", type=click.Path(path_type=Path))
def sources(run_dir: Path) -> None:
    """Print every value of a run with its source URL and the quote that states it, one per line, tab
    separated: place, value name, value, source, quote (empty when no line of the page states it)."""
    import csv

    data = run_dir / "data.csv"
    if not data.is_file():
        raise GeoscoutError(f"{run_dir} is not a run folder (no data.csv)")
    try:
        with open(data, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            rows, columns = list(reader), reader.fieldnames or []
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise GeoscoutError(f"cannot read {data}: {e}") from None
    if "name" not in columns:
        raise GeoscoutError(f"{data} is not a geoscout data file (no name column)")
    for row in rows:
        for column in row:
            if column.endswith("_source") and column != "coordinates_source":
                value = column.removesuffix("_source")
                fields = [row["name"], value, row.get(value, ""), row[column], row.get(f"{value}_quote", "")]
                click.echo("\t".join(fields))


class _EvalGroup(click.Group):
    """``geoscout eval SET`` runs a set; ``geoscout eval compare A B`` compares two result files."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        first = next((a for a in args if not a.startswith("-")), None)
        if args and args[0] not in ("--help", "-h") and first not in self.commands:
            args = ["run", *args]
        return super().parse_args(ctx, args)


@cli.group(cls=_EvalGroup, name="eval")
def eval_() -> None:
    """Benchmark configurations on an eval set: geoscout eval SET [options] | geoscout eval compare A B."""


def eval_out(out: Path | None, stamp: str) -> Path:
    """The results JSON: ``--out`` with a .json suffix (the runs' folder is its name without one, so
    ``--out results`` would make the two the same path), by default runs/eval/<stamp>.json."""
    out = out or Path("runs") / "eval" / f"{stamp}.json"
    return out if out.suffix == ".json" else out.with_name(out.name + ".json")


@eval_.command("run")
@click.argument("eval_set", type=click.Path(path_type=Path))
@model_option
@click.option(
    "--agent-type",
    "agent_types",
    multiple=True,
    type=click.Choice(["code", "tool-calling"]),
    help="geoscout's team with this agent type (repeat for both; default code).",
)
@executor_option
@time_limit_option
@click.option(
    "--baseline",
    "baselines",
    multiple=True,
    type=click.Choice(["seed"]),
    help="Also run the seed's exact configuration (smolagents' default prompts and tools) on the same "
    "model and snapshot.",
)
@click.option(
    "--baseline-only",
    help="Comma-separated question ids the baseline runs on (default: all); it is slow.",
)
@click.option("--runs", type=click.IntRange(min=1), default=1, show_default=True, help="Runs per question.")
@click.option("--only", help="Comma-separated question ids (default: all).")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Results JSON (default: runs/eval/<set>-<time>.json); the Markdown table goes next to it (.md).",
)
@click.option(
    "--runs-dir",
    type=click.Path(path_type=Path),
    help="Where each run's folder goes (default: beside --out).",
)
def eval_run(
    eval_set: Path,
    model,
    agent_types,
    executor,
    time_limit,
    baselines,
    baseline_only,
    runs,
    only,
    out,
    runs_dir,
):
    """Answer every question of EVAL_SET (a folder with questions.jsonl and a snapshot) and score it."""
    from datetime import datetime

    from geoscout import evaluation
    from geoscout.files import write_atomic

    loaded = evaluation.load_set(eval_set)
    out = eval_out(out, f"{loaded.name}-{datetime.now():%Y%m%d-%H%M%S}")
    runs_dir = runs_dir or out.with_suffix("")
    wanted = [q for q in (only or "").split(",") if q]
    baseline_ids = [q for q in (baseline_only or "").split(",") if q]
    click.echo(f"{len(loaded.questions)} questions from {eval_set}, snapshot {loaded.snapshot}", err=True)

    def progress(r: dict, document: dict) -> None:
        evaluation.save(document, out)  # an interrupted eval keeps the runs it finished
        click.echo(
            f"{r['question']} [{r['configuration']} #{r['run']}]: {r['state']}, "
            f"{'correct' if r['correct'] else 'not correct'}, "
            f"{r['values_within']}/{r['values_checked']} values, "
            f"{r['seconds']:.0f} s, {r['llm_calls']} calls",
            err=True,
        )

    configs = evaluation.configurations(list(agent_types), list(baselines), baseline_ids)
    document = evaluation.evaluate(
        loaded,
        configs,
        runs=runs,
        model=model,
        executor=executor,
        time_limit=time_limit,
        runs_dir=runs_dir,
        only=wanted,
        progress=progress,
    )
    evaluation.save(document, out)
    table = evaluation.markdown(document)
    write_atomic(out.with_suffix(".md"), table)
    click.echo(table)
    click.echo(f"results: {out} and {out.with_suffix('.md')}", err=True)


@eval_.command("compare")
@click.argument("a", type=click.Path(path_type=Path))
@click.argument("b", type=click.Path(path_type=Path))
def eval_compare(a: Path, b: Path) -> None:
    """Print two eval result files (JSON) side by side: correctness, accuracy, time and tokens."""
    from geoscout import evaluation

    click.echo(evaluation.compare(evaluation.load(a), evaluation.load(b), (a.stem, b.stem)), nl=False)


@cli.group()
def snapshot() -> None:
    """Offline web snapshots: folders of saved pages that web_search and visit_webpage answer from."""


@snapshot.command("build")
@click.argument("folder", type=click.Path(path_type=Path))
@click.argument("output", type=click.Path(path_type=Path))
def snapshot_build(folder: Path, output: Path) -> None:
    """Build OUTPUT (.db) from FOLDER: saved pages plus a manifest.json mapping each file to its URL."""
    from geoscout.snapshot import build_snapshot

    if not folder.is_dir():
        raise GeoscoutError(f"snapshot folder {folder} does not exist")
    count = build_snapshot(folder, output)
    click.echo(f"{count} pages -> {output}")


@snapshot.command("info")
@click.argument("path", type=click.Path(path_type=Path))
def snapshot_info(path: Path) -> None:
    """Pages, recorded searches, size and recording date of a snapshot (folder or .db)."""
    from geoscout.snapshot.record import snapshot_info

    info = snapshot_info(path)
    click.echo(
        f"{info['snapshot']}: {info['pages']} pages, {info['searches']} searches, {info['bytes']:,} bytes, "
        f"recorded {info['recorded'] or 'unknown'}"
    )


@snapshot.command("merge")
@click.argument("a", type=click.Path(path_type=Path))
@click.argument("b", type=click.Path(path_type=Path))
@click.argument("out", type=click.Path(path_type=Path))
def snapshot_merge(a: Path, b: Path, out: Path) -> None:
    """Write the snapshot folder OUT with the pages and searches of A and B (A's where both have one)."""
    from geoscout.snapshot.record import merge_snapshots

    count = merge_snapshots(a, b, out)
    click.echo(f"{count} pages -> {out}")


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except GeoscoutError as e:
        click.echo(f"geoscout: error: {e}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("geoscout: aborted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        click.echo(f"geoscout: error: {e.format_message()}", err=True)
        sys.exit(e.exit_code)
