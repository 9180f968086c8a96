"""Steps as chat messages: which agent, its thought, code, output, and a check that sent it back."""

from geoscout.ui.steps import step_messages, trace_messages

STEP = {
    "agent": "web_agent",
    "step": 2,
    "seconds": 9.84,
    "input_tokens": 1820,
    "output_tokens": 64,
    "thought": "I read the tables of the first result.",
    "code": 'lakes = read_tables("https://lakes.example/list")[0]\nprint(lakes[:2])',
    "observation": "Execution logs:\n[{'Lake': 'Orrin', 'Area (km²)': 1840}]",
    "error": None,
    "final": False,
}


def test_a_step_is_a_header_then_its_thought_code_and_output():
    header, thought, code, output = step_messages(STEP)
    assert header["content"] == "**web_agent · step 2** · 9.8 s · 1,820 in / 64 out tokens"
    assert header["metadata"] == {}  # the header stays open; the parts are collapsible
    assert (thought["metadata"]["title"], thought["content"]) == ("Thought", STEP["thought"])
    assert code["content"].startswith("```python\nlakes = read_tables(")
    assert output["metadata"]["title"] == "What it printed" and "Execution logs" not in output["content"]


def test_a_check_that_sent_the_answer_back_is_named():
    sent_back = {**STEP, "observation": "", "code": "final_answer(rows)", "final": True}
    sent_back["error"] = "Check gaps_check failed with error: row 1 (Orrin) has no value for depth_m."
    *_, error = step_messages(sent_back)
    assert error["metadata"]["title"] == "Sent back by gaps_check"
    assert error["content"] == "row 1 (Orrin) has no value for depth_m."
    other = step_messages({**sent_back, "error": "NameError: name 'x' is not defined"})[-1]
    assert other["metadata"]["title"] == "Error"


def test_a_trace_is_every_step_in_order():
    final = {**STEP, "agent": "manager", "step": 1, "thought": None, "observation": None, "final": True}
    messages = trace_messages([STEP, final])
    headers = [m["content"] for m in messages if not m["metadata"]]
    assert [h.split(" · ")[0] for h in headers] == ["**web_agent", "**manager"]
    assert headers[1].endswith("· final answer")
