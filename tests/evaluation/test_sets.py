"""The eval-set format: questions.jsonl plus a snapshot; bad sets get one clear error."""

import json
from pathlib import Path

import pytest

from geoscout.errors import GeoscoutError
from geoscout.evaluation import load_set
from geoscout.snapshot import Snapshot, demo_snapshot_path

EVALS = Path(__file__).resolve().parents[2] / "evals"


@pytest.mark.parametrize(
    "name, snapshot", [("seed", demo_snapshot_path()), ("places", EVALS / "places" / "snapshot")]
)
def test_shipped_sets_load_with_their_snapshots(name, snapshot):
    eval_set = load_set(EVALS / name)
    assert eval_set.snapshot == snapshot and eval_set.description
    assert all(q.expected and q.fields for q in eval_set.questions)
    assert Snapshot.open(eval_set.snapshot).page("https://population.un.org/wup/")


def test_the_places_set_has_ten_questions_unlike_the_seed_set():
    places, seed = load_set(EVALS / "places"), load_set(EVALS / "seed")
    assert len(places.questions) >= 10
    assert not {q.question for q in places.questions} & {q.question for q in seed.questions}


def write_set(folder: Path, lines: list[str], meta: dict | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "questions.jsonl").write_text("\n".join(lines) + "\n")
    if meta is not None:
        (folder / "set.json").write_text(json.dumps(meta))
    return folder


GOOD = json.dumps({"id": "a", "question": "?", "expected": [{"name": "Tokyo", "population": 1}]})


@pytest.mark.parametrize(
    "lines, meta, message",
    [
        (["{not json"], {"snapshot": "demo"}, "questions.jsonl:1: not a question record"),
        ([json.dumps({"id": "a", "question": "?"})], {"snapshot": "demo"}, "not a question record"),
        (
            [json.dumps({"id": "a", "question": "?", "expected": [{}]})],
            {"snapshot": "demo"},
            "each with a name",
        ),
        ([GOOD, GOOD], {"snapshot": "demo"}, "used twice"),
        ([GOOD.replace('"a"', '"../../x"')], {"snapshot": "demo"}, "must be letters"),
        ([GOOD.replace('"a"', '"/tmp/x"')], {"snapshot": "demo"}, "must be letters"),
        ([GOOD.replace('"a"', "7")], {"snapshot": "demo"}, "must be letters"),
        ([GOOD], None, "names no snapshot"),
        ([GOOD], {"snapshot": "missing"}, "does not exist"),
        ([""], {"snapshot": "demo"}, "holds no questions"),
    ],
)
def test_bad_sets_say_what_is_wrong(tmp_path, lines, meta, message):
    with pytest.raises(GeoscoutError, match=message):
        load_set(write_set(tmp_path / "set", lines, meta))


def test_a_snapshot_folder_inside_the_set_is_used(tmp_path):
    folder = write_set(tmp_path / "set", [GOOD])
    (folder / "snapshot").mkdir()
    assert load_set(folder).snapshot == folder / "snapshot"
