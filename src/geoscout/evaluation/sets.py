"""Eval sets: questions with the rows a right answer holds, and the snapshot to answer them from.

An eval set is a folder::

    questions.jsonl   one question per line (below)
    set.json          optional: {"description": "...", "snapshot": "demo" | "PATH"}
    snapshot/         the pages to answer from (a snapshot folder or .db), unless set.json names one;
                      "demo" is the snapshot bundled with geoscout

A line of ``questions.jsonl``::

    {"id": "top5-july",
     "question": "What are the 5 most populous cities in the world, with ...?",
     "expected": [{"name": "Tokyo", "country": "Japan", "population": 37468000, "temperature": 25.2,
                   "aliases": ["Tōkyō"], "latitude": 35.69, "longitude": 139.69}, ...],
     "tolerances": {"population": {"relative": 0.1}, "temperature": {"absolute": 2.0},
                    "capital": {"text": true}, "coordinates": {"km": 50}}}

Every key of an expected row other than name, country, aliases, latitude and longitude is a value to
score; its tolerance says how close an answer must be (exact when none is given). Coordinates are scored
when the rows carry latitude and longitude.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from geoscout.errors import GeoscoutError
from geoscout.snapshot import demo_snapshot_path

ROW_KEYS = ("name", "country", "aliases", "latitude", "longitude")


@dataclass
class Question:
    id: str
    question: str
    expected: list[dict]
    tolerances: dict[str, dict] = field(default_factory=dict)

    @property
    def fields(self) -> list[str]:
        """The values a right answer gives for each row, in the order the set names them."""
        keys: list[str] = []
        for row in self.expected:
            keys += [k for k in row if k not in ROW_KEYS and k not in keys]
        return keys


@dataclass
class EvalSet:
    name: str
    folder: Path
    questions: list[Question]
    snapshot: Path
    description: str = ""


def load_questions(folder: Path) -> list[Question]:
    path = Path(folder) / "questions.jsonl"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise GeoscoutError(f"cannot read eval set {path}: {e.strerror or e}") from None
    questions, seen = [], set()
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            question = Question(data["id"], data["question"], data["expected"], data.get("tolerances", {}))
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise GeoscoutError(f"{path}:{n}: not a question record ({type(e).__name__}: {e})") from None
        if not question.expected or not all(isinstance(r, dict) and r.get("name") for r in question.expected):
            raise GeoscoutError(f"{path}:{n}: expected must be a list of rows, each with a name")
        if not isinstance(question.id, str) or not re.fullmatch(r"[A-Za-z0-9][\w.-]{0,99}", question.id):
            raise GeoscoutError(  # an id names its runs' folder: it may not choose where files go
                f"{path}:{n}: question id {question.id!r} must be letters, digits, '-', '_' or '.'"
            )
        if question.id in seen:
            raise GeoscoutError(f"{path}:{n}: question id {question.id!r} is used twice")
        seen.add(question.id)
        questions.append(question)
    if not questions:
        raise GeoscoutError(f"{path} holds no questions")
    return questions


def load_set(folder: Path) -> EvalSet:
    """An eval set folder, its questions checked, its snapshot located."""
    folder = Path(folder)
    if not folder.is_dir():
        raise GeoscoutError(f"eval set {folder} is not a folder")
    meta: dict = {}
    if (folder / "set.json").is_file():
        try:
            meta = json.loads((folder / "set.json").read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise GeoscoutError(f"{folder / 'set.json'}: not JSON ({e})") from None
    questions = load_questions(folder)
    spec = meta.get("snapshot")
    if spec == "demo":
        snapshot = demo_snapshot_path()
    elif spec:
        snapshot = (folder / spec).resolve()
    else:
        snapshot = next((p for p in (folder / "snapshot", folder / "snapshot.db") if p.exists()), None)
        if snapshot is None:
            raise GeoscoutError(f"eval set {folder} names no snapshot (add snapshot/ or set.json)")
    if not snapshot.exists():
        raise GeoscoutError(f"eval set {folder}: snapshot {snapshot} does not exist")
    return EvalSet(folder.name, folder, questions, snapshot, meta.get("description", ""))
