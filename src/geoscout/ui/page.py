"""``geoscout serve``: a Gradio page where people ask a question, watch the agents work and get their map.

A run goes on in a thread of its own; its steps reach the page through a queue as each one ends
(``RunSettings.on_step``), and Stop sets the run's stop event, so the agents stop before their next step
and the sandbox workers end with the run. One run at a time (one model in memory): a second question waits
in Gradio's queue, which shows its place. Nothing is fetched from a CDN and no analytics are sent.
"""

import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from geoscout.errors import GeoscoutError
from geoscout.run import SEED_QUESTION, RunSettings, default_out_dir, run
from geoscout.ui.runs import DOWNLOADS, RunView, earlier_runs, load_run
from geoscout.ui.steps import Message, step_messages

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported: it reads this once

CSS = """
.geoscout-data { border-collapse: collapse; font-size: 14px; }
.geoscout-data th, .geoscout-data td { border: 1px solid #ddd; padding: 4px 8px; vertical-align: top; }
.geoscout-data .quote { color: #666; }
"""


@dataclass
class PageSettings:
    """What a run started from the page uses besides its question and the user's choices."""

    out_root: Path = Path("runs")
    model: str = "local"
    search: str = "snapshot"
    agent_type: str = "code"
    executor: str | None = None
    time_limit: float | None = None
    models: Callable[[], tuple[Any, Any]] | None = None  # builds (manager, web_agent) models, e.g. for tests
    stops: dict[str, threading.Event] = field(default_factory=dict)  # a session's running run


def _view_updates(view: RunView | None, gr: Any) -> list[Any]:
    """The map, verdict, table and download buttons for a run's view (hidden when there is none)."""
    if view is None:
        # not "": an empty value does not replace what an earlier run left on the page
        empty = [gr.update(value="<p></p>"), gr.update(value="*No answer yet.*"), gr.update(value="<p></p>")]
        return empty + [gr.update(visible=False, value=None) for _ in DOWNLOADS]
    map_file = view.map_file
    frame = (
        f'<iframe title="map" src="/gradio_api/file={quote(str(map_file.resolve()))}" '
        'style="width:100%;height:520px;border:0"></iframe>'
        if map_file
        else "<p>No map was drawn.</p>"
    )
    verdict = f"**{view.state}**: {view.verdict} ({view.seconds:.0f} s) · `{view.folder}`"
    buttons = [
        gr.update(visible=label in view.files, value=str(view.files[label]) if label in view.files else None)
        for label in DOWNLOADS
    ]
    return [gr.update(value=frame), gr.update(value=verdict), gr.update(value=view.table_html), *buttons]


def ask_stream(settings: PageSettings, question: str, model: str, search: str, agent_type: str,
               session: str) -> Iterator[tuple[list[Message], str, RunView | None]]:  # fmt: skip
    """Run one question in a thread and yield (messages so far, status line, the run's view at the end)."""
    question = (question or "").strip()
    if not question:
        yield [], "Type a question first.", None
        return
    stop, steps = threading.Event(), queue.Queue()
    settings.stops[session] = stop
    out_dir = settings.out_root / default_out_dir(question).name
    run_settings = RunSettings(
        question=question,
        model=model or settings.model,
        search=search or settings.search,
        agent_type=agent_type or settings.agent_type,
        executor=settings.executor,
        time_limit=settings.time_limit,
        out_dir=out_dir,
        quiet=True,
        models=settings.models() if settings.models else None,
        stop=stop,
        on_step=steps.put,
    )
    failure: list[str] = []

    def work() -> None:
        try:
            run(run_settings)
        except GeoscoutError as e:
            failure.append(str(e))
        except Exception as e:  # the page says what went wrong instead of hanging
            failure.append(f"{type(e).__name__}: {e}")
        finally:
            steps.put(None)

    messages: list[Message] = [{"role": "user", "content": question, "metadata": {}}]
    started = time.monotonic()
    thread = threading.Thread(target=work, name="geoscout-run", daemon=True)
    thread.start()
    count = 0
    while True:
        elapsed = time.monotonic() - started
        stopping = " · stopping before the next step" if stop.is_set() else ""
        yield messages, f"Running · {count} steps · {elapsed:.0f} s{stopping}", None
        try:
            record = steps.get(timeout=1.0)
        except queue.Empty:
            continue
        if record is None:
            break
        count += 1
        messages = messages + step_messages(record)
    thread.join()
    settings.stops.pop(session, None)
    if failure:
        yield messages, f"{failure[0]}", None
        return
    view = load_run(out_dir)
    yield messages, f"Done · {count} steps · {time.monotonic() - started:.0f} s", view


def build_page(settings: PageSettings) -> Any:
    """The Gradio Blocks of the page (not launched)."""
    import gradio as gr

    def runs_choices() -> list[str]:
        return [str(p) for p in earlier_runs(settings.out_root)]

    with gr.Blocks(title="geoscout") as page:
        gr.Markdown(
            "# geoscout\nAsk a geographic question: a team of agents searches, reads pages and answers with "
            "a map, its data, and a source and quote for every value."
        )
        with gr.Row():
            question = gr.Textbox(label="Question", value=SEED_QUESTION, lines=2, scale=4)
            with gr.Column(scale=1):
                ask = gr.Button("Ask", variant="primary")
                stop = gr.Button("Stop", variant="stop")
        with gr.Row():
            model = gr.Dropdown(
                ["local", "local:small"], value=settings.model, label="Model", allow_custom_value=True
            )
            search = gr.Dropdown(
                ["snapshot", "tavily", "duckduckgo"], value=settings.search, label="Search",
                allow_custom_value=True,
            )  # fmt: skip
            agent_type = gr.Radio(["code", "tool-calling"], value=settings.agent_type, label="Agents")
        status = gr.Markdown("Ready.", elem_id="status")
        steps = gr.Chatbot(label="Steps", height=420, elem_id="steps")
        verdict = gr.Markdown(elem_id="verdict")
        map_html = gr.HTML(elem_id="map")
        table = gr.HTML(elem_id="data")
        with gr.Row():
            downloads = [
                gr.DownloadButton(f"{label}", visible=False, elem_id=f"download-{i}")
                for i, label in enumerate(DOWNLOADS)
            ]
        with gr.Row():
            earlier = gr.Dropdown(runs_choices(), label="Earlier runs", value=None, scale=4)
            refresh = gr.Button("↻", scale=0)

        outputs = [steps, status, map_html, verdict, table, *downloads]

        def on_ask(q: str, m: str, s: str, a: str, request: gr.Request) -> Iterator[list[Any]]:
            final = None
            yield [[], "Waiting for the model…", *_view_updates(None, gr)]
            for messages, line, view in ask_stream(settings, q, m, s, a, request.session_hash or ""):
                final = view or final
                yield [messages, line, *([gr.update()] * (len(outputs) - 2))]
            yield [gr.update(), gr.update(), *_view_updates(final, gr)]

        def on_stop(request: gr.Request) -> str:
            running = settings.stops.get(request.session_hash or "")
            if running is None:
                return "Nothing is running."
            running.set()
            return "Stopping: the agents stop before their next step."

        def on_earlier(folder: str | None) -> list[Any]:
            if not folder:
                return [gr.update()] * len(outputs)
            try:
                view = load_run(Path(folder))
            except GeoscoutError as e:
                return [[], f"{e}", *_view_updates(None, gr)]
            messages = [{"role": "user", "content": view.question, "metadata": {}}, *view.messages]
            return [messages, f"Earlier run · {view.folder}", *_view_updates(view, gr)]

        asked = ask.click(on_ask, [question, model, search, agent_type], outputs, concurrency_limit=1)
        asked.then(lambda: gr.update(choices=runs_choices()), None, earlier)
        stop.click(on_stop, None, status, queue=False)
        earlier.change(on_earlier, earlier, outputs)
        refresh.click(lambda: gr.update(choices=runs_choices()), None, earlier)
        page.load(lambda: gr.update(choices=runs_choices()), None, earlier)  # each visit lists them anew
    return page


def launch(settings: PageSettings, host: str = "127.0.0.1", port: int = 7860, block: bool = True) -> Any:
    """Build the page and serve it (until interrupted, with ``block``; else return the running page, which
    ``.close()`` stops). It serves no file but those of the output folder, and makes no public link."""
    try:
        settings.out_root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise GeoscoutError(f"output folder {settings.out_root} is not writable: {e.strerror or e}") from None
    page = build_page(settings)
    try:
        page.queue(default_concurrency_limit=1).launch(
            server_name=host,
            server_port=port,
            share=False,
            allowed_paths=[str(settings.out_root.resolve())],
            css=CSS,
            show_error=True,
            prevent_thread_lock=not block,
            quiet=not block,
        )
    except OSError as e:  # the port is taken, or the address is not this machine's
        raise GeoscoutError(f"cannot serve on {host}:{port}: {e}") from None
    return page
