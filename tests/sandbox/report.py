"""``python -m tests.sandbox.report``: the sandbox's numbers, for ``make bench``.

1. The attack suite against smolagents' ``LocalPythonExecutor`` alone (the agents' real allow-list, no
   sandbox): how many attacks get past it. Each runs in a child process as an unprivileged user, in a
   network namespace of its own (bwrap ``--unshare-net``, the rest of the machine visible) and with
   resource limits, so nothing here can hurt the machine or leave it. An attack *got through* when its
   payload reached the operating system (no error, or an OS error such as PermissionError rather than
   smolagents' InterpreterError); a resource attack got through when it did not end by itself.
2. The same suite against the sandbox: escapes (must be 0).
3. Latency: worker start, a warm code block, a block with one tool call round trip, against the local
   executor's.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from smolagents.local_python_executor import LocalPythonExecutor

from geoscout.sandbox.executor import SandboxExecutor
from geoscout.sandbox.launch import SANDBOX_UID, Limits, _apply_limits, _python_for, _python_paths
from tests.sandbox.attacks import AGENT_IMPORTS, ATTACKS, LAYER1_OFF, Attack
from tests.sandbox.host import BLOCK_SECONDS, Host, run_attack, sandbox_processes

CHILD = """
import json, sys
from smolagents.local_python_executor import LocalPythonExecutor
imports, code = json.loads(sys.stdin.read())
ex = LocalPythonExecutor(imports, timeout_seconds=5)
ex.send_tools({"final_answer": lambda answer: answer})
try:
    out = ex(code)
    text = "OK " + repr(out.output)[:2000] + "\\n" + out.logs[:2000]
except Exception as e:
    text = "ERR " + str(e)[:2000]
print(json.dumps(text))
"""


def local_outcome(host: Host, attack: Attack) -> str:
    """'got through', 'blocked' (by smolagents' interpreter) for one attack on the local executor."""
    imports = list(AGENT_IMPORTS if attack.imports == LAYER1_OFF else attack.imports)
    code = host.code(Attack(attack.id, attack.code, attack.imports)).replace(
        "from builtins import open\n", "", 1
    )
    command = [
        shutil.which("bwrap"),
        "--unshare-net",
        "--unshare-pid",
        "--die-with-parent",
        "--bind",
        "/",
        "/",
    ]
    uid = SANDBOX_UID if os.geteuid() == 0 else None
    python = _python_for(uid)
    sites = [p for p in _python_paths(python) if p.endswith("-packages")]
    boot = f"import site\nfor p in {sites!r}: site.addsitedir(p)\n" + CHILD
    command += ["--proc", "/proc", "--dev", "/dev", python, "-s", "-c", boot]
    env = {**os.environ, "GEOSCOUT_CANARY": host.canary, "OPENAI_API_KEY": host.canary}
    child = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        user=uid,
        group=uid,
        extra_groups=[] if uid is not None else None,
        start_new_session=True,
        preexec_fn=lambda: _apply_limits(Limits()),
    )
    try:
        out, _ = child.communicate(json.dumps([imports, code]).encode(), timeout=BLOCK_SECONDS + 15)
        text = json.loads(out or b'"ERR no output"')
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        return "got through (did not end)"
    except ValueError:
        return "got through (crashed the executor)"
    finally:
        sandbox_processes(wait=2.0)
    if host.leaks(text):
        return "got through (leaked)"
    if attack.denial:
        return "ended by itself"
    refused = "due to: InterpreterError" in text or "is not allowed" in text or "due to:" not in text
    return "blocked" if text.startswith("ERR") and refused else "got through"


def latency() -> list[str]:
    def median_ms(run, times: int) -> float:
        samples = []
        for _ in range(times):
            started = time.perf_counter()
            run()
            samples.append((time.perf_counter() - started) * 1000)
        return statistics.median(samples)

    tools = {"web_search": lambda query: [{"title": query, "url": "https://example.org", "snippet": ""}]}
    starts = []
    for _ in range(5):
        executor = SandboxExecutor([], timeout_seconds=30)
        executor.send_tools(tools)
        started = time.perf_counter()
        executor("x = 0")
        starts.append((time.perf_counter() - started) * 1000)
        executor.cleanup()
    sandbox = SandboxExecutor([], timeout_seconds=30)
    sandbox.send_tools(tools)
    sandbox("x = 0")
    local = LocalPythonExecutor([], timeout_seconds=30)
    local.send_tools(tools)
    local("x = 0")
    rows = []
    for label, code in [
        ("a warm block (`x = x + 1`)", "x = x + 1"),
        ("a block with a tool call", "r = web_search('q')"),
    ]:
        s, loc = median_ms(lambda c=code: sandbox(c), 300), median_ms(lambda c=code: local(c), 300)
        rows.append(f"| {label} | {s:.2f} ms | {loc:.2f} ms | {s - loc:+.2f} ms |")
    sandbox.cleanup()
    return [
        f"Worker start (first block, median of 5): {statistics.median(starts):.0f} ms",
        "",
        "| code block | sandbox (median of 300) | local executor | added |",
        "|---|---|---|---|",
        *rows,
    ]


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="geoscout-attacks-"))
    folder.chmod(0o755)
    host = Host(folder)
    os.environ["GEOSCOUT_CANARY"] = os.environ["OPENAI_API_KEY"] = host.canary
    lines = ["| attack | local executor alone | sandbox |", "|---|---|---|"]
    through = escapes = 0
    for attack in ATTACKS:
        local = (
            "not run (would reach the network)" if attack.id == "dns-lookup" else local_outcome(host, attack)
        )
        before = dict(host.hits)
        text, _, executor = run_attack(host, attack)
        executor.cleanup()
        time.sleep(0.05)
        escaped = bool(host.leaks(text)) or host.hits != before or any(host.drop.iterdir())
        through += local.startswith("got through")
        escapes += escaped
        lines.append(f"| {attack.id} | {local} | {'ESCAPED' if escaped else 'contained'} |")
        print(lines[-1], flush=True)
    summary = (
        f"{len(ATTACKS)} attacks: {through} got through smolagents' local executor alone; "
        f"{escapes} escaped the sandbox."
    )
    print("\n".join(["", summary, "", *latency()]))
    shutil.rmtree(folder, ignore_errors=True)
    return 1 if escapes else 0


if __name__ == "__main__":
    sys.exit(main())
