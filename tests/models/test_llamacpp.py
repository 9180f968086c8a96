"""Control flow of the llama.cpp model class with a stand-in for llama.cpp (the real one runs in test_e2e)."""

from types import SimpleNamespace

import numpy as np
import pytest
from smolagents.models import ChatMessage, MessageRole

from geoscout.errors import GeoscoutError
from geoscout.models.llamacpp import LlamaCppModel


class FakeLlama:
    """Tokenizes by characters; replies with scripted texts; remembers the last prompt like a KV cache."""

    def __init__(self, replies, n_ctx=4096):
        self.replies = list(replies)
        self._input_ids = np.array([], dtype=int)
        self._n_ctx = n_ctx
        self.temperatures = []

    def n_ctx(self):
        return self._n_ctx

    def tokenize(self, data, add_bos=False, special=True):
        return list(data)

    @staticmethod
    def longest_token_prefix(a, b):
        n = 0
        for x, y in zip(a, b, strict=False):
            if x != y:
                break
            n += 1
        return n

    def create_completion(self, prompt, max_tokens, stop, temperature, seed):
        self.temperatures.append(temperature)
        self._input_ids = np.array(prompt)
        text = self.replies.pop(0)
        return {"choices": [{"text": text}], "usage": {"completion_tokens": len(text)}}


def make_model(tmp_path, replies, n_ctx=4096):
    weights = tmp_path / "m.gguf"
    weights.write_bytes(b"x")
    model = LlamaCppModel(weights)
    model._llm = FakeLlama(replies, n_ctx)
    model._format = lambda messages: SimpleNamespace(
        prompt="".join(m["role"] + m["content"] for m in messages)
    )
    return model


def msg(role, text):
    return ChatMessage(role=role, content=[{"type": "text", "text": text}])


def test_reports_tokens_and_counts_only_new_tokens_as_evaluated(tmp_path):
    model = make_model(tmp_path, ["<code>first", "<code>second"])
    history = [msg(MessageRole.SYSTEM, "sys"), msg(MessageRole.USER, "task")]
    first = model.generate(history, stop_sequences=["</code>"])
    assert first.content == "<code>first" and first.token_usage.output_tokens == 11
    history += [msg(MessageRole.ASSISTANT, "<code>first</code>"), msg(MessageRole.USER, "Observation: ok")]
    model.generate(history, stop_sequences=["</code>"])
    one, two = model.calls
    assert one.evaluated_tokens == one.input_tokens
    assert two.evaluated_tokens < two.input_tokens  # the shared prefix was not evaluated again


def test_a_verbatim_repeat_is_resampled_with_temperature(tmp_path):
    model = make_model(tmp_path, ["<code>same code", "<code>other code"])
    history = [
        msg(MessageRole.SYSTEM, "sys"),
        msg(MessageRole.USER, "task"),
        msg(MessageRole.ASSISTANT, "<code>same code</code>"),  # smolagents re-appends the closing tag
        msg(MessageRole.USER, "Error: boom"),
    ]
    reply = model.generate(history, stop_sequences=["</code>"])
    assert reply.content == "<code>other code"
    assert model._llm.temperatures == [0.0, 1.0] and model.calls[0].resampled == 1


def test_a_code_reply_without_a_code_block_is_continued_inside_one(tmp_path):
    model = make_model(tmp_path, ["Thought: I try another way.", "final_answer(1)\n"])
    reply = model.generate([msg(MessageRole.USER, "task")], stop_sequences=["</code>"])
    assert reply.content == "Thought: I try another way.\n<code>\nfinal_answer(1)\n"
    # the continuation was asked for with the thought and an opening tag after the prompt
    assert bytes(model._llm._input_ids.tolist()).decode().endswith("I try another way.\n<code>\n")
    assert model.calls[0].resampled == 0 and model._llm.temperatures == [0.0, 0.0]
    tool_calling = make_model(tmp_path, ["Action: {}"])  # no code expected: kept as it is
    assert tool_calling.generate([msg(MessageRole.USER, "t")], stop_sequences=["Observation:"]).content


def test_a_tool_calling_reply_without_an_action_is_continued_inside_one(tmp_path):
    plan = "I have retried several times. Let's approach this step by step.\n\n1. **Search** again."
    model = make_model(tmp_path, [plan, 'web_search", "arguments": {"query": "x"}}\n'])
    stops = ["Observation:", "Calling tools:"]
    reply = model.generate([msg(MessageRole.USER, "task")], stop_sequences=stops, tools_to_call_from=[])
    assert reply.content == plan + '\nAction:\n{"name": "web_search", "arguments": {"query": "x"}}'
    assert bytes(model._llm._input_ids.tolist()).decode().endswith('again.\nAction:\n{"name": "')
    called = make_model(tmp_path, ['Thought: go.\nAction:\n{"name": "final_answer", "arguments": {}}'])
    assert called.generate([msg(MessageRole.USER, "t")], stop_sequences=stops, tools_to_call_from=[]).content
    assert called.calls[0].evaluated_tokens == called.calls[0].input_tokens  # one completion, not two


def test_a_tool_calling_reply_ends_with_its_first_action(tmp_path):
    call = (
        'Thought: read.\nAction:\n{"name": "read_tables", "arguments": {"url": "https://a.example/{x}\\"y"}}'
    )
    imagined = '\n\nThought: table_1: 270 rows; keys ["City"]\nAction:\n{"name": "make_rows"}'
    model = make_model(tmp_path, [call + imagined])
    reply = model.generate(
        [msg(MessageRole.USER, "t")], stop_sequences=["Observation:"], tools_to_call_from=[]
    )
    assert reply.content == call
    code = make_model(tmp_path, ['<code>\nx = {"name": 1}\ny = {"name": 2}\n'])
    assert "y =" in code.generate([msg(MessageRole.USER, "t")], stop_sequences=["</code>"]).content


def test_tool_call_echoes_are_left_out_of_the_prompt(tmp_path):
    model = make_model(tmp_path, [])
    prompt = model.render_prompt(
        [msg(MessageRole.USER, "task"), msg(MessageRole.TOOL_CALL, "Calling tools: x")]
    )
    assert "Calling tools" not in prompt


def test_a_conversation_longer_than_the_context_is_a_clear_error(tmp_path):
    model = make_model(tmp_path, ["x"], n_ctx=100)
    with pytest.raises(GeoscoutError, match="no longer fits"):
        model.generate([msg(MessageRole.USER, "y" * 200)])


def test_markdown_fences_in_a_code_block_are_dropped_with_the_prose_after_them(tmp_path):
    model = make_model(
        tmp_path, ["Thought: go.\n<code>\n```python\nrows = f()\nfinal_answer(rows)\n```\nNow, let's retry."]
    )
    reply = model.generate([msg(MessageRole.USER, "task")], stop_sequences=["</code>"])
    assert reply.content == "Thought: go.\n<code>\nrows = f()\nfinal_answer(rows)\n"
    plain = make_model(tmp_path, ["Thought: go.\n<code>\nx = 1"])
    assert plain.generate([msg(MessageRole.USER, "task")], stop_sequences=["</code>"]).content == (
        "Thought: go.\n<code>\nx = 1"
    )
