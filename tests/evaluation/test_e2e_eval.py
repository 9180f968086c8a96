"""`geoscout eval` end to end on the real embedded model: one question of the shipped seed set, scored,
written as JSON and Markdown, then compared with itself. Slow (about a minute on 2 cores)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
SEED_SET = Path(__file__).resolve().parents[2] / "evals" / "seed"


def geoscout(*args):
    return subprocess.run(
        [sys.executable, "-m", "geoscout", *args], capture_output=True, text=True, timeout=1200
    )


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("eval") / "seed.json"
    proc = geoscout("eval", str(SEED_SET), "--only", "top5-july", "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out, proc.stdout


def test_the_question_is_answered_and_scored(results):
    out, _ = results
    (record,) = json.loads(out.read_text())["results"]
    assert record["question"] == "top5-july" and record["configuration"] == "geoscout-code"
    assert record["success"] and record["correct"], record["misses"]
    assert record["values_within"] == record["values_checked"] == 10
    assert record["values_quoted"] == record["values_returned"] == 10
    assert record["llm_calls"] >= 2 and record["evaluated_tokens"] > 0
    assert {s["agent"] for s in record["steps"]} == {"manager", "web_agent"}


def test_the_table_is_printed_and_saved(results):
    out, stdout = results
    assert "| top5-july | geoscout-code | 1/1 | 0/1 | 1/1 | 5/5 (+0) |" in stdout  # success, partial, correct
    assert out.with_suffix(".md").read_text().strip() == stdout.strip()


def test_a_result_file_compares_with_itself(results):
    out, _ = results
    proc = geoscout("eval", "compare", str(out), str(out))
    assert proc.returncode == 0 and "| top5-july | geoscout-code | 1/1 | 1/1 |" in proc.stdout
    assert "1.00×" in proc.stdout
