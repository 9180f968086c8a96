"""How a sandbox worker is started: bubblewrap, a seccomp filter, rlimits and an unprivileged user.

The layers, outermost first:
- an unprivileged uid (when geoscout runs as root, the worker runs as ``SANDBOX_UID``), with a clean
  environment, so no key reaches the worker, not even through ``/proc/1/environ``;
- bubblewrap: new user, pid, network, ipc, uts and cgroup namespaces (no network at all, not even the
  host's loopback), all capabilities dropped, a fresh root holding read-only binds of only what Python and
  the authorized libraries need, a private ``/tmp``, and one writable output folder;
- seccomp: only AF_UNIX sockets; no ptrace, mount, namespaces, bpf, keyrings, io_uring, perf or modules;
- rlimits: address space, CPU seconds, processes, open files, file size, no core dumps.
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import site
import socket
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SANDBOX_UID = 61000  # the unprivileged user a root host drops to; owns nothing on the host

BLOCKED_SYSCALLS = [
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "bpf",
    "keyctl",
    "add_key",
    "request_key",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "perf_event_open",
    "userfaultfd",
    "init_module",
    "finit_module",
    "delete_module",
    "kexec_load",
    "reboot",
    "swapon",
    "swapoff",
    "acct",
]


# the system's programs and libraries, read-only, with Debian's merged-/usr links
SYSTEM_LAYOUT = ["--ro-bind", "/usr", "/usr"] + [
    arg for link in ("bin", "lib", "lib64") for arg in ("--symlink", f"usr/{link}", f"/{link}")
]


@dataclass(frozen=True)
class Limits:
    """Per-worker resource limits."""

    memory_bytes: int = 4 * 1024**3  # address space: numpy and pandas need some headroom
    cpu_seconds: int = 3600  # over the worker's life; a block's wall-clock limit is enforced by the host
    processes: int = 64  # for the sandbox uid: stops fork bombs
    open_files: int = 256
    file_bytes: int = 64 * 1024**2


class SandboxUnavailable(Exception):
    """This machine cannot run the sandbox; the message says what is missing."""


def _python_for(uid: int | None) -> str:
    """An interpreter the sandbox user can run: ours, or the system's of the same version when ours lives
    somewhere that user cannot read (e.g. a pyenv under /root)."""
    candidates = [
        Path(sys.executable).resolve(),
        Path(f"/usr/bin/python{sys.version_info[0]}.{sys.version_info[1]}"),
    ]
    for candidate in candidates:
        if candidate.is_file() and (uid is None or _world_readable(candidate)):
            return str(candidate)
    raise SandboxUnavailable(
        f"the Python interpreter ({sys.executable}) is not readable by an unprivileged user, and there is "
        f"no /usr/bin/python{sys.version_info[0]}.{sys.version_info[1]}"
    )


def _world_readable(path: Path) -> bool:
    """Every folder on the way is searchable by others and the file is readable by others."""
    for parent in path.parents:
        if not parent.stat().st_mode & 0o001:
            return False
    return bool(path.stat().st_mode & 0o004)


def _editable_sources() -> set[str]:
    """Folders that .pth files in our site-packages add to the path (an editable install's source)."""
    found = set()
    for packages in site.getsitepackages():
        for pth in Path(packages).glob("*.pth"):
            lines = pth.read_text(encoding="utf-8", errors="replace").splitlines()
            found.update(line for line in lines if line.startswith("/") and Path(line).is_dir())
    return found


def _python_paths(python: str) -> list[str]:
    """What the worker imports from: our site-packages (and the source folder of an editable install),
    plus the interpreter's own tree when it is ours rather than the system's (which /usr holds)."""
    paths = set(site.getsitepackages()) | _editable_sources()
    if python == str(Path(sys.executable).resolve()):
        paths.update({sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"]})
        paths.add(str(Path(python).parent))
    return sorted(p for p in paths if Path(p).exists() and not p.startswith("/usr/"))


def _readable_paths(python: str, uid: int | None) -> list[str]:
    """The paths to bind. Our own packages must be readable by the sandbox user; the interpreter's tree
    may not be (then the system interpreter, whose library /usr holds, is the one used)."""
    paths = _python_paths(python)
    if uid is None:
        return paths
    ours = {p for p in paths if p.endswith("-packages")} | _editable_sources()
    for path in sorted(ours):
        if not _world_readable(Path(path)):
            raise SandboxUnavailable(
                f"{path} is not readable by the sandbox user (uid {uid}): make its folders searchable by "
                "others (chmod o+x on each) or run geoscout as a normal user"
            )
    return [p for p in paths if _world_readable(Path(p))]


def seccomp_filter() -> int:
    """A file descriptor holding the compiled BPF filter, for ``bwrap --seccomp``."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError) as e:  # OSError: libseccomp.so.2 is missing
        raise SandboxUnavailable(f"seccomp is unavailable ({e}); install libseccomp2 and pyseccomp") from None
    rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    rules.add_rule(seccomp.ERRNO(errno.EAFNOSUPPORT), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
    rules.add_rule(
        seccomp.ERRNO(errno.EAFNOSUPPORT), "socketpair", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX)
    )
    for name in BLOCKED_SYSCALLS:
        try:
            rules.add_rule(seccomp.ERRNO(errno.EPERM), name)
        except (RuntimeError, ValueError):  # a syscall this kernel or libseccomp does not know
            continue
    compiled = tempfile.TemporaryFile()
    rules.export_bpf(compiled)
    compiled.seek(0)
    return os.dup(compiled.fileno())


def _bwrap() -> str:
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable("bubblewrap is not installed (Debian: apt-get install bubblewrap)")
    return bwrap


def bwrap_command(python: str, output_dir: Path, seccomp_fd: int) -> list[str]:
    command = [
        _bwrap(),
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--clearenv",
        "--setenv",
        "HOME",
        "/tmp",
        "--setenv",
        "PATH",
        "/usr/bin",
        "--setenv",
        "OPENBLAS_NUM_THREADS",
        "1",
        "--setenv",
        "OMP_NUM_THREADS",
        "1",
        *SYSTEM_LAYOUT,
        "--ro-bind-try",
        "/etc/ld.so.cache",
        "/etc/ld.so.cache",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--tmpfs",
        "/tmp",
    ]
    paths = _readable_paths(python, SANDBOX_UID if os.geteuid() == 0 else None)
    for path in paths:
        command += ["--ro-bind", path, path]
    command += ["--bind", str(output_dir), "/output", "--chdir", "/output", "--seccomp", str(seccomp_fd)]
    # -s: no user site; -I would drop the site-packages we bind, so addsitedir() them explicitly
    sites = [p for p in paths if p.endswith("-packages")]
    boot = (
        "import site, runpy\n"
        f"for p in {sites!r}: site.addsitedir(p)\n"
        "runpy.run_module('geoscout.sandbox.worker', run_name='__main__')"
    )
    return command + [python, "-s", "-B", "-c", boot]


def _apply_limits(limits: Limits) -> None:
    """Runs in the child between fork and exec (after the uid change)."""
    for name, value in [
        (resource.RLIMIT_AS, limits.memory_bytes),
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_NPROC, limits.processes),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_FSIZE, limits.file_bytes),
        (resource.RLIMIT_CORE, 0),
    ]:
        resource.setrlimit(name, (value, value))


def start_worker(output_dir: Path, limits: Limits, stderr: Any) -> subprocess.Popen:
    """A new worker, its own process group, with pipes on stdin/stdout and stderr to ``stderr``."""
    uid = SANDBOX_UID if os.geteuid() == 0 else None
    python = _python_for(uid)
    seccomp_fd = seccomp_filter()
    try:
        command = bwrap_command(python, output_dir, seccomp_fd)
        if uid is not None:
            os.chown(output_dir, uid, uid)
        return subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            pass_fds=[seccomp_fd],
            env={"PATH": "/usr/bin:/bin"},  # bwrap itself is pid 1's parent: keep keys out of its environ
            start_new_session=True,
            user=uid,
            group=uid,
            extra_groups=[] if uid is not None else None,
            preexec_fn=lambda: _apply_limits(limits),
        )
    finally:
        os.close(seccomp_fd)


def sandbox_problem() -> str | None:
    """Why this machine cannot run the sandbox, or None when it can (checked by starting a tiny one)."""
    uid = SANDBOX_UID if os.geteuid() == 0 else None
    try:
        _readable_paths(_python_for(uid), uid)
        os.close(seccomp_filter())
        probe = subprocess.run(
            [_bwrap(), "--unshare-all", *SYSTEM_LAYOUT, "/usr/bin/true"],
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin"},
            user=uid,
            group=uid,
            extra_groups=[] if uid is not None else None,
            timeout=30,
        )
    except SandboxUnavailable as e:
        return str(e)
    except (OSError, subprocess.SubprocessError) as e:
        return f"bubblewrap cannot start ({e})"
    if probe.returncode != 0:
        lines = probe.stderr.strip().splitlines()
        return f"bubblewrap cannot create namespaces here ({lines[-1] if lines else probe.returncode})"
    return None
