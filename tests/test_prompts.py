"""Prompt templates as data: one worked example shown per shape of question."""

import pytest

from geoscout.prompts import EXAMPLE_MARK, load_prompts


@pytest.mark.parametrize(
    ("example", "shown", "not_shown"),
    [
        ("ranked", "top_rows(heights", 'for country in ["Country A"'),
        ("named", 'for country in ["Country A"', "top_rows(heights"),
        (None, "top_rows(heights", 'for country in ["Country A"'),  # the first one by default
    ],
)
def test_web_agents_prompt_shows_the_worked_example_of_the_questions_shape(example, shown, not_shown):
    prompt = load_prompts("web_agent", example)["system_prompt"]
    assert shown in prompt and not_shown not in prompt and EXAMPLE_MARK not in prompt


def test_an_unknown_example_is_an_error_naming_the_ones_there_are():
    with pytest.raises(ValueError, match="has no example 'tabled'; it has ranked, named"):
        load_prompts("web_agent", "tabled")


def test_a_prompt_file_without_examples_loads_as_it_is():
    assert "examples" not in load_prompts("manager") and load_prompts("manager")["system_prompt"]
