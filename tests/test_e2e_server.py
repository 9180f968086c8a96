"""Scaled-out serving, end to end: the embedded GGUF behind llama.cpp's OpenAI-compatible server on loopback,
driven through ``openai:`` and ``litellm:`` model specs by the whole team, with code agents and with
tool-calling agents (tool schemas sent in the request, as to OpenAI)."""

import csv
import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from geoscout.models.weights import embedded_weights
from geoscout.run import SEED_QUESTION

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def llama_server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(embedded_weights()),
        "--model_alias",
        "qwen-local",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "8192",
        "--n_threads",
        "2",
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(base + "/models", timeout=5) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("llama.cpp server did not start")
                time.sleep(1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize(
    "model, agent_type",
    [
        ("openai:qwen-local", "code"),
        ("litellm:openai/qwen-local", "code"),
        ("openai:qwen-local", "tool-calling"),  # tools sent in the API request, as for OpenAI
    ],
)
def test_the_team_runs_through_an_openai_compatible_server(llama_server, model, agent_type, tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "geoscout",
            "ask",
            SEED_QUESTION,
            "--model",
            model,
            "--api-base",
            llama_server,
            "--agent-type",
            agent_type,
            "--search",
            "snapshot",
            "--quiet",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads((tmp_path / "run.json").read_text())
    assert report["state"] == "success" and report["input_tokens"] > 0
    assert report["agent_type"] == agent_type
    with open(tmp_path / "data.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["name"] for r in rows][:3] == ["Tokyo", "Delhi", "Shanghai"] and len(rows) == 10
    assert (tmp_path / "saved_map.png").stat().st_size > 0
