"""The sandbox worker: runs an agent's code blocks, one after another, keeping their variables.

It runs inside bubblewrap (see ``geoscout.sandbox.launch``) and speaks ``geoscout.sandbox.protocol`` on
file descriptors 0 and 1, which it moves out of the way first so that nothing the code prints can forge a
message. Code runs in smolagents' ``LocalPythonExecutor`` (its import allow-list is the first layer); every
tool, the managed agents and ``final_answer`` are stubs that ask the host to run the real thing.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any


def _channels() -> tuple[Any, Any]:
    """The protocol's pipes, on private descriptors; fd 0 reads nothing and fd 1 goes to stderr."""
    inbound = os.fdopen(os.dup(0), "rb", buffering=0)
    outbound = os.fdopen(os.dup(1), "wb", buffering=0)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the worker
    sys.stdout = sys.stderr
    return inbound, outbound


class HostCallError(Exception):
    """The host ran the tool and it failed; the message is the tool's error."""


def main() -> int:
    from smolagents.local_python_executor import LocalPythonExecutor

    from geoscout.sandbox.protocol import decode, encode, receive, send

    inbound, outbound = _channels()

    def stub(name: str):
        def call(*args: Any, **kwargs: Any) -> Any:
            send(outbound, {"op": "call", "tool": name, "args": encode(args), "kwargs": encode(kwargs)})
            reply = receive(inbound)
            if reply is None:
                raise SystemExit(0)
            if reply.get("op") == "error":
                raise HostCallError(reply.get("message", "the tool failed"))
            return decode(reply.get("value"))

        call.__name__ = name
        return call

    executor: LocalPythonExecutor | None = None
    while (message := receive(inbound)) is not None:
        op = message.get("op")
        if op == "init":
            executor = LocalPythonExecutor(
                message["authorized_imports"],
                max_print_outputs_length=message.get("max_print_outputs_length"),
                timeout_seconds=None,  # the host enforces the wall-clock limit, killing if need be
            )
            executor.send_tools({name: stub(name) for name in message["tools"]})
            send(outbound, {"op": "ready", "pid": os.getpid()})
        elif op == "variables" and executor is not None:
            executor.send_variables(decode(message["variables"]))
            send(outbound, {"op": "ready"})
        elif op == "run" and executor is not None:
            try:
                result = executor(message["code"])
                reply = {
                    "op": "done",
                    "output": encode(result.output),
                    "logs": result.logs,
                    "is_final_answer": result.is_final_answer,
                }
            except Exception as e:  # the code's error goes back to the agent, as smolagents reports it
                reply = {"op": "failed", "error": str(e) or type(e).__name__, "logs": _logs(executor)}
            send(outbound, reply)
        else:
            send(outbound, {"op": "failed", "error": f"unexpected message {op!r}", "logs": ""})
    return 0


def _logs(executor: Any) -> str:
    return str(executor.state.get("_print_outputs", ""))


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:
        traceback.print_exc()
        sys.exit(1)
