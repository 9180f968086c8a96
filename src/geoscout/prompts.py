"""Prompt templates are data: ``team/prompts/<name>.yaml``, one file per agent (and the map review), so a
prompt change is a reviewable diff of its own. Loaded from the package without importing the team."""

from __future__ import annotations

from importlib.resources import files

import yaml


def load_prompts(name: str) -> dict:
    """The templates of ``team/prompts/<name>.yaml``."""
    path = files("geoscout").joinpath("team", "prompts", f"{name}.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))
