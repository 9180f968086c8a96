"""What the attack suite aims at, on the host: secrets, loopback servers, the test process, a folder outside
the sandbox; and how to tell that something reached them."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
import uuid
from pathlib import Path

from geoscout.sandbox.executor import SandboxExecutor
from tests.sandbox.attacks import Attack

BLOCK_SECONDS = 5


class Host:
    """What an escape would reach: secrets, loopback servers, the test process, a folder outside."""

    def __init__(self, folder: Path):
        self.canary = f"canary-{uuid.uuid4().hex}"
        self.host_file = folder / "secret.txt"
        self.host_file.write_text(self.canary)
        self.host_file.chmod(0o644)
        self.drop = folder / "drop"
        self.drop.mkdir()
        self.drop.chmod(0o777)
        self.hits = {"tcp": 0, "udp": 0, "unix": 0, "signal": 0}
        self.tcp = socket.create_server(("127.0.0.1", 0), family=socket.AF_INET)
        self.port = self.tcp.getsockname()[1]
        self.tcp6 = socket.socket(socket.AF_INET6)
        self.tcp6.bind(("::1", self.port))
        self.tcp6.listen()
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", self.port))
        self.unix_name = f"geoscout-{uuid.uuid4().hex[:8]}"
        self.unix = socket.socket(socket.AF_UNIX)
        self.unix.bind("\0" + self.unix_name)
        self.unix.listen()
        for sock, kind in [(self.tcp, "tcp"), (self.tcp6, "tcp"), (self.unix, "unix")]:
            threading.Thread(target=self._accept, args=(sock, kind), daemon=True).start()
        threading.Thread(target=self._datagrams, daemon=True).start()
        signal.signal(signal.SIGUSR1, lambda *_: self._count("signal"))
        self.shadow = [line for line in Path("/etc/shadow").read_text().splitlines() if line.strip()]

    def _count(self, kind: str) -> None:
        self.hits[kind] += 1

    def _accept(self, sock: socket.socket, kind: str) -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            self._count(kind)
            conn.close()

    def _datagrams(self) -> None:
        while True:
            try:
                self.udp.recv(64)
            except OSError:
                return
            self._count("udp")

    def code(self, attack: Attack) -> str:
        values = {
            "{port}": self.port,
            "{unix}": self.unix_name,
            "{host_pid}": os.getpid(),
            "{host_file}": self.host_file,
            "{drop}": self.drop,
        }
        code = attack.source
        for placeholder, value in values.items():
            code = code.replace(placeholder, str(value))
        return code

    def leaks(self, text: str) -> list[str]:
        found = [self.canary] if self.canary in text else []
        found += [line for line in self.shadow if line in text and len(line) > 8]
        if "ESCAPED" in text:
            found.append("ESCAPED")
        return found


def sandbox_processes(wait: float = 5.0) -> list[str]:
    """Processes of the sandbox user still on the host after ``wait`` seconds (the kernel tears a pid
    namespace down asynchronously; only meaningful when the host runs as root)."""
    from geoscout.sandbox.launch import SANDBOX_UID

    deadline = time.monotonic() + wait
    while True:
        left = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if entry.stat().st_uid == SANDBOX_UID:
                        left.append(f"{entry.name}: {(entry / 'stat').read_text().split(')')[-1][:3]}")
                except OSError:
                    continue
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


def run_attack(host: Host, attack: Attack) -> tuple[str, float, SandboxExecutor]:
    executor = SandboxExecutor(
        list(attack.imports), max_print_outputs_length=20000, timeout_seconds=BLOCK_SECONDS
    )
    executor.send_tools({"final_answer": lambda answer: answer})
    started = time.monotonic()
    try:
        result = executor(host.code(attack))
        text = f"{result.output!r}\n{result.logs}"
    except Exception as e:
        text = f"{type(e).__name__}: {e}\n{executor.state.get('_print_outputs', '')}"
    return text, time.monotonic() - started, executor
