"""Prompt templates are data: ``team/prompts/<name>.yaml``, one file per agent (and the map review), so a
prompt change is a reviewable diff of its own. Loaded from the package without importing the team."""

from __future__ import annotations

from importlib.resources import files

import yaml

EXAMPLE_MARK = "<<example>>"


def load_prompts(name: str, example: str | None = None) -> dict:
    """The templates of ``team/prompts/<name>.yaml``. A file with ``examples`` (one worked example per
    shape of question) shows one of them where its system prompt says ``<<example>>``: ``example``, else
    its first."""
    path = files("geoscout").joinpath("team", "prompts", f"{name}.yaml")
    templates = yaml.safe_load(path.read_text(encoding="utf-8"))
    examples = templates.pop("examples", None)
    if examples:
        if example is not None and example not in examples:
            raise ValueError(f"{name}.yaml has no example {example!r}; it has {', '.join(examples)}")
        shown = examples[example or next(iter(examples))]
        templates["system_prompt"] = templates["system_prompt"].replace(EXAMPLE_MARK, shown)
    return templates
