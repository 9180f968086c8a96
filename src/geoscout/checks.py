"""Checks an answer must pass before it is final (smolagents ``final_answer_checks``).

smolagents calls each check as ``check(final_answer, memory, agent=agent)`` (since 1.23); a failed check's
message goes back to the agent as an error, so messages say exactly what to repair.
"""

from __future__ import annotations

from typing import Any


class RowsCheck:
    """Rows must be a non-empty list of dicts with a name. A missing value is sent back once to be filled;
    the same rows submitted again are accepted, so a value no page has is a recorded gap, not a loop."""

    def __init__(self) -> None:
        self._warned: set[str] = set()

    def __call__(self, final_answer: Any, memory: Any = None, agent: Any = None) -> bool:
        if not isinstance(final_answer, list) or not final_answer:
            raise ValueError(
                "final_answer needs a non-empty list of dicts, got "
                f"{type(final_answer).__name__}: {str(final_answer)[:200]}"
            )
        gaps = []
        for i, row in enumerate(final_answer, start=1):
            if not isinstance(row, dict):
                raise ValueError(f"row {i} is a {type(row).__name__}, not a dict: {str(row)[:200]}")
            if not row.get("name"):
                raise ValueError(f"row {i} has no 'name': {str(row)[:200]}")
            missing = [k for k, v in row.items() if v is None or v == ""]
            if missing:
                gaps.append(f"row {i} ({row['name']}) has no value for {', '.join(missing)}")
        key = repr(final_answer)
        if gaps and key not in self._warned:
            self._warned.add(key)
            raise ValueError(
                "; ".join(gaps) + ". If another table or page has these values, add them. "
                "If none has them, call final_answer(rows) again with the same rows."
            )
        return True
