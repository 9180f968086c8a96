"""``SandboxExecutor``: a smolagents ``PythonExecutor`` whose code runs in a sandboxed worker process.

smolagents' remote executors (Docker, E2B, Modal) refuse managed agents, because the code of a manager calls
its team members. Here the tools stay in the host: the worker's stubs send each call over the pipe, the
host runs the real tool (or the whole managed agent) and sends back the result. Code therefore reaches the
world only through the tools it was given.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
import weakref
from pathlib import Path
from typing import Any

from smolagents.local_python_executor import (
    BASE_BUILTIN_MODULES,
    CodeOutput,
    InterpreterError,
    PythonExecutor,
)
from smolagents.tools import Tool

from geoscout.sandbox.launch import Limits, start_worker
from geoscout.sandbox.protocol import HEADER, MAX_MESSAGE_BYTES, decode, encode, send

START_SECONDS = 60


class WorkerLost(Exception):
    """The worker died, hung, or broke the protocol; it has been killed."""


def _kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # bwrap and, through its pid namespace, all inside
        except ProcessLookupError:
            pass
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            try:
                stream.close()
            except BrokenPipeError:  # unflushed input to a worker that is gone (seen after a fork bomb)
                pass


class SandboxExecutor(PythonExecutor):
    """Runs code blocks in a long-lived bubblewrap worker that keeps variables between blocks."""

    def __init__(
        self,
        additional_authorized_imports: list[str],
        max_print_outputs_length: int | None = None,
        timeout_seconds: float | None = 60,
        limits: Limits | None = None,
    ):
        self.authorized_imports = sorted(set(BASE_BUILTIN_MODULES) | set(additional_authorized_imports))
        self.max_print_outputs_length = max_print_outputs_length
        self.timeout_seconds = timeout_seconds
        self.limits = limits or Limits()
        self.tools: dict[str, Any] = {}
        self.variables: dict[str, Any] = {}
        self.state: dict[str, Any] = {
            "_print_outputs": ""
        }  # smolagents reads the logs of a failed block here
        self.output_dir = Path(tempfile.mkdtemp(prefix="geoscout-sandbox-"))
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.output_dir, True)
        self._process: subprocess.Popen | None = None
        self._buffer = b""
        self.restarts = 0

    # --- PythonExecutor -------------------------------------------------------------------------------
    def send_tools(self, tools: dict[str, Tool]) -> None:
        self.tools = {**tools}
        self._stop()  # the next block starts a worker with these stubs

    def send_variables(self, variables: dict[str, Any]) -> None:
        self.variables.update(variables)
        if self._process is not None and variables:
            self._request({"op": "variables", "variables": encode(variables)}, START_SECONDS)

    def __call__(self, code_action: str) -> CodeOutput:
        self.state["_print_outputs"] = ""
        lost_before = self._process is None and self.restarts > 0
        try:
            self._ensure_worker()
            reply = self._run(code_action)
        except WorkerLost as e:
            self._stop()
            self.restarts += 1
            raise InterpreterError(
                f"{e} The sandbox was restarted: variables from earlier steps are lost; define them again."
            ) from None
        self.state["_print_outputs"] = reply.get("logs", "")
        if reply["op"] == "failed":
            raise InterpreterError(reply.get("error", "the code failed"))
        logs = reply.get("logs", "")
        if lost_before:
            logs = "(the sandbox was restarted: earlier variables are gone)\n" + logs
        return CodeOutput(
            output=decode(reply.get("output")), logs=logs, is_final_answer=reply["is_final_answer"]
        )

    def cleanup(self) -> None:
        self._stop()
        self._finalizer()

    # --- worker life ----------------------------------------------------------------------------------
    @property
    def worker_pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _ensure_worker(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        self._stop()
        init = {
            "op": "init",
            "authorized_imports": self.authorized_imports,
            "tools": sorted(self.tools),
            "max_print_outputs_length": self.max_print_outputs_length,
        }
        deadline = time.monotonic() + START_SECONDS
        while True:
            self._stderr = tempfile.TemporaryFile()
            self._process = start_worker(self.output_dir, self.limits, self._stderr)
            self._buffer = b""
            self._kill_process = weakref.finalize(self, _kill, self._process)
            try:
                self._request(init, START_SECONDS)
                break
            except WorkerLost as e:
                # the processes of a killed worker leave asynchronously; until they have, the sandbox
                # user may be at its process limit and a new namespace cannot be made yet
                if "temporarily unavailable" not in str(e) or time.monotonic() > deadline:
                    raise
                self._stop()
                time.sleep(0.2)
        if self.variables:
            self._request({"op": "variables", "variables": encode(self.variables)}, START_SECONDS)

    def _stop(self) -> None:
        if self._process is not None:
            self._kill_process()
            self._process = None

    def _request(self, message: dict, seconds: float) -> dict:
        self._send(message)
        reply = self._receive(time.monotonic() + seconds)
        if reply.get("op") != "ready":
            raise WorkerLost(f"The sandbox worker answered {reply.get('op')!r} to {message['op']!r}.")
        return reply

    def _run(self, code: str) -> dict:
        """Run one block, serving the worker's tool calls; their time does not count against the limit."""
        self._send({"op": "run", "code": code})
        limit = self.timeout_seconds
        deadline = time.monotonic() + limit if limit else None
        while True:
            reply = self._receive(deadline)
            if reply.get("op") != "call":
                return reply
            started = time.monotonic()
            self._send(self._host_call(reply))
            if deadline is not None:
                deadline += time.monotonic() - started

    def _host_call(self, request: dict) -> dict:
        name = request.get("tool")
        tool = self.tools.get(name)
        if tool is None:
            return {"op": "error", "message": f"there is no tool {name!r}"}
        try:
            args = decode(request.get("args") or [])
            kwargs = decode(request.get("kwargs") or {})
            return {"op": "result", "value": encode(tool(*args, **kwargs))}
        except Exception as e:  # the tool's error is the code's error, as it would be without a sandbox
            return {"op": "error", "message": f"{type(e).__name__}: {e}"}

    # --- framing with deadlines -------------------------------------------------------------------
    def _send(self, message: dict) -> None:
        try:
            send(self._process.stdin, message)
        except (BrokenPipeError, OSError, ValueError):
            raise WorkerLost(self._death()) from None

    def _receive(self, deadline: float | None) -> dict:
        size = None
        while True:
            if size is None and len(self._buffer) >= HEADER.size:
                (size,) = HEADER.unpack(self._buffer[: HEADER.size])
                if size > MAX_MESSAGE_BYTES:
                    raise WorkerLost(f"The code's output is over the {MAX_MESSAGE_BYTES} byte limit.")
            if size is not None and len(self._buffer) >= HEADER.size + size:
                body = self._buffer[HEADER.size : HEADER.size + size]
                self._buffer = self._buffer[HEADER.size + size :]
                try:
                    message = json.loads(body)
                except ValueError:
                    raise WorkerLost("The sandbox worker sent a malformed message.") from None
                if not isinstance(message, dict):
                    raise WorkerLost("The sandbox worker sent a malformed message.")
                return message
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self._process.stdout], [], [], wait)
            if not ready:
                raise WorkerLost(f"The code ran longer than {self.timeout_seconds:g} s and was stopped.")
            chunk = os.read(self._process.stdout.fileno(), 1 << 20)
            if not chunk:
                raise WorkerLost(self._death())
            self._buffer += chunk

    def _death(self) -> str:
        try:
            code = self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "The sandbox worker stopped answering."
        self._stderr.seek(0)
        last = (self._stderr.read()[-4000:].decode("utf-8", "replace").strip().splitlines() or [""])[-1]
        how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
        return f"The code crashed the sandbox worker ({how}{': ' + last if last else ''})."
