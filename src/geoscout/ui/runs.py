"""A run folder as the page shows it: its question and verdict, its steps, the data table with a source
link and quote for every value, and its files to download. The same view serves a run that just ended and
an earlier one picked from the output folder."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geoscout.errors import GeoscoutError
from geoscout.ui.steps import Message, trace_messages

# what each download is, by the run's file names (geoscout.run.RUN_FILES)
DOWNLOADS = {
    "PNG map": "saved_map.png",
    "HTML map": "map.html",
    "CSV data": "data.csv",
    "GeoJSON": "data.geojson",
    "run.json": "run.json",
}


@dataclass
class RunView:
    folder: Path
    question: str
    state: str
    verdict: str
    seconds: float
    messages: list[Message] = field(default_factory=list)
    table_html: str = ""
    files: dict[str, Path] = field(default_factory=dict)  # download label -> file that exists

    @property
    def map_file(self) -> Path | None:
        return self.files.get("HTML map")


def load_run(folder: Path) -> RunView:
    """The view of a run folder; one clear error when it holds no readable run.json."""
    try:
        report = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise GeoscoutError(f"{folder} holds no readable run.json ({type(e).__name__})") from None
    return RunView(
        folder=folder,
        question=str(report.get("question") or ""),
        state=str(report.get("state") or "failed"),
        verdict=str(report.get("verdict") or report.get("reason") or ""),
        seconds=float(report.get("seconds") or 0.0),
        messages=trace_messages(report.get("trace") or []),
        table_html=table_html(report.get("rows") or []),
        files={label: folder / name for label, name in DOWNLOADS.items() if (folder / name).is_file()},
    )


def earlier_runs(root: Path) -> list[Path]:
    """The run folders under ``root`` (those with a run.json), newest first."""
    if not root.is_dir():
        return []
    folders = [p.parent for p in root.glob("*/run.json")]
    return sorted(folders, key=lambda p: (p / "run.json").stat().st_mtime, reverse=True)


def table_html(rows: list[dict[str, Any]]) -> str:
    """The rows as an HTML table: each value with its unit, a link to its source page and its quote; the
    position with where it came from and how precise it is."""
    if not rows:
        return "<p>No rows.</p>"
    sources = [k for k in rows[0] if k.endswith("_source") and k != "coordinates_source"]
    values = [k.removesuffix("_source") for k in sources]
    head = "".join(f"<th>{_text(k)}</th>" for k in ["place", "country", *values, "position"])
    body = []
    for row in rows:
        cells = [_text(row.get("name")), _text(row.get("country"))]
        for key in values:
            unit = f" {row[f'{key}_unit']}" if row.get(f"{key}_unit") else ""
            quote = row.get(f"{key}_quote")
            cells.append(
                f"{_text(row.get(key))}{_text(unit)} {_link(row.get(f'{key}_source'))}"
                + (f'<br><small class="quote">“{_text(quote)}”</small>' if quote else "")
            )
        where = row.get("coordinates_precision") or "not mapped"
        cells.append(f"{_text(where)} {_link(row.get('coordinates_source'))}")
        body.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    rows_html = "".join(body)
    return f'<table class="geoscout-data"><thead><tr>{head}</tr></thead><tbody>{rows_html}</tbody></table>'


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    return html.escape(str(value))


def _link(url: Any) -> str:
    """A link to a source page; only http(s) URLs become links (a value's source is data from the web)."""
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        return ""
    return f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener noreferrer">source</a>'
