"""A smolagents ``Model`` that runs a GGUF in-process with llama.cpp (smolagents ships none).

Two things make a small local model usable by an agent team:
- prefix reuse: each agent step re-sends the whole conversation; llama.cpp keeps the KV cache of the
  previous call, so only the new tokens are evaluated. We report those as ``evaluated_tokens``.
- no verbatim repeats: at temperature 0 a model that wrote failing code (or a failing tool call) tends to
  write it again. When an output equals one already in the conversation, we resample with some temperature.
- a code block in every code reply: a small model often ends its thought with ``</code>`` and no code
  (seen: six such replies in a row, resampling included, until the step limit). Its thought is kept and
  the reply is continued after an opening ``<code>``, so it writes code (a prefill; a full grammar over the
  151k-token vocabulary cost several times the generation time here); markdown fences around the code
  are dropped. A tool-calling reply without a JSON action (seen: a plan in prose after a failed call, at
  every step until the limit) is continued the same way, after ``Action: {"name": "``.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from smolagents.models import ChatMessage, MessageRole, Model
from smolagents.monitoring import TokenUsage

from geoscout.errors import GeoscoutError

CHATML = (
    "{% for message in messages %}<|im_start|>{{ message.role }}\n{{ message.content }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


@dataclass
class CallStats:
    """One LLM call: what it cost after KV-cache reuse, and how long it took."""

    input_tokens: int
    evaluated_tokens: int
    output_tokens: int
    seconds: float
    resampled: int = 0


def text_of(message: dict) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content or ""


class LlamaCppModel(Model):
    """llama.cpp through llama-cpp-python; one instance per agent keeps each agent's prefix cache warm."""

    def __init__(
        self,
        model_path: str | Path,
        n_ctx: int = 8192,
        n_threads: int | None = None,
        max_tokens: int = 600,
        temperature: float = 0.0,
        seed: int = 0,
        max_resamples: int = 3,
        **kwargs,
    ):
        path = Path(model_path)
        if not path.is_file():
            raise GeoscoutError(f"model weights not found: {path}")
        super().__init__(model_id=f"local:{path.name}", flatten_messages_as_text=True, **kwargs)
        self.model_path = path
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self._llm = None
        self._format = None
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.seed = seed
        self.max_resamples = max_resamples
        self.calls: list[CallStats] = []

    @property
    def llm(self):
        """The llama.cpp model, loaded on first use (so building or showing a team costs nothing)."""
        if self._llm is None:
            try:
                from llama_cpp import Llama
                from llama_cpp.llama_chat_format import Jinja2ChatFormatter
            except ImportError:
                raise GeoscoutError(
                    "llama.cpp bindings are missing; run: pip install 'geoscout[local]'"
                ) from None
            try:
                llm = Llama(
                    model_path=str(self.model_path),
                    n_ctx=self.n_ctx,
                    n_threads=self.n_threads,
                    seed=self.seed,
                    verbose=False,
                )
            except (ValueError, RuntimeError) as e:
                raise GeoscoutError(f"llama.cpp cannot load {self.model_path}: {e}") from None
            template = llm.metadata.get("tokenizer.chat_template") or CHATML
            eos = llm.detokenize([llm.token_eos()], special=True).decode("utf-8", "ignore")
            bos = llm.detokenize([llm.token_bos()], special=True).decode("utf-8", "ignore")
            self._format = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos)
            self._llm = llm
        return self._llm

    def render_prompt(self, messages: list[ChatMessage | dict]) -> str:
        """The exact text llama.cpp sees; tool-call echoes are dropped (the code is already in the reply)."""
        kept = [m for m in messages if _role(m) != MessageRole.TOOL_CALL]
        cleaned = self._prepare_completion_kwargs(messages=kept, flatten_messages_as_text=True)["messages"]
        plain = [{"role": m["role"], "content": text_of(m)} for m in cleaned]
        llm = self.llm  # noqa: F841 - loads the model and its chat template
        return self._format(messages=plain).prompt

    def generate(
        self,
        messages: list[ChatMessage | dict],
        stop_sequences: list[str] | None = None,
        response_format: dict | None = None,
        tools_to_call_from: list | None = None,
        **kwargs,
    ) -> ChatMessage:
        # Tool calls are written as text (our tool-calling prompts ask for a JSON action) and parsed by
        # smolagents, so tools_to_call_from needs nothing here; a JSON response format would need a grammar.
        if response_format is not None:
            raise GeoscoutError("the local model does not support JSON response formats")
        prompt = self.render_prompt(messages)
        tokens = self.llm.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)
        if len(tokens) + self.max_tokens > self.llm.n_ctx():
            raise GeoscoutError(
                f"conversation of {len(tokens)} tokens no longer fits the model context ({self.llm.n_ctx()})"
            )
        stops = stop_sequences or []
        earlier = {_core(text_of(m), stops) for m in _dicts(messages) if m.get("role") == "assistant"}
        wants_code = CLOSE_CODE in stops  # a code agent's reply: a thought, then <code>…</code>
        wants_action = tools_to_call_from is not None and not wants_code  # a thought, then a JSON action
        started = time.perf_counter()
        evaluated = 0
        for attempt in range(self.max_resamples + 1):
            temperature = self.temperature if attempt == 0 else 1.0
            text, result, cost = self._complete(tokens, stops, temperature, self.seed + attempt)
            evaluated += cost
            if wants_code and OPEN_CODE not in text:
                opened = text.rstrip() + f"\n{OPEN_CODE}\n"
                more = self.llm.tokenize(opened.encode("utf-8"), add_bos=False, special=True)
                code, result, cost = self._complete(tokens + more, stops, temperature, self.seed + attempt)
                text, evaluated = opened + code, evaluated + cost
            if wants_action and not ACTION.search(text):
                opened = text.rstrip() + f"\n{OPEN_ACTION}"
                more = self.llm.tokenize(opened.encode("utf-8"), add_bos=False, special=True)
                call, result, cost = self._complete(tokens + more, stops, temperature, self.seed + attempt)
                text, evaluated = opened + call, evaluated + cost
            if wants_code:
                text = _without_fences(text)
            if wants_action:
                text = _through_first_action(text)
            if _core(text, stops) not in earlier:  # a verbatim repeat fails as before
                break
        output_tokens = len(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))
        self.calls.append(
            CallStats(len(tokens), evaluated, output_tokens, time.perf_counter() - started, attempt)
        )
        return ChatMessage(
            role=MessageRole.ASSISTANT,
            content=text,
            raw=result,
            token_usage=TokenUsage(input_tokens=len(tokens), output_tokens=output_tokens),
        )

    def _complete(self, tokens: list[int], stops: list[str], temperature: float, seed: int):
        """(text, llama.cpp result, tokens evaluated) of one completion of ``tokens``."""
        cached = self.llm.longest_token_prefix(self.llm._input_ids.tolist(), tokens)
        result = self.llm.create_completion(
            prompt=tokens, max_tokens=self.max_tokens, stop=stops, temperature=temperature, seed=seed
        )
        return result["choices"][0]["text"], result, len(tokens) - cached


OPEN_CODE, CLOSE_CODE = "<code>", "</code>"
OPEN_ACTION = 'Action:\n{"name": "'  # how our tool-calling prompts write a call
ACTION = re.compile(r'\{\s*"name"\s*:')


def _through_first_action(text: str) -> str:
    """The reply up to the end of its first JSON action: one call per turn (seen: a call, then an
    Observation the model imagined, then more calls, all read as one broken JSON blob)."""
    found = ACTION.search(text)
    if not found:
        return text
    depth, quoted, escaped = 0, False, False
    for i in range(found.start(), len(text)):
        char = text[i]
        if quoted:
            escaped, quoted = (not escaped and char == "\\"), quoted and (escaped or char != '"')
        elif char == '"':
            quoted = True
        elif char in "{}":
            depth += 1 if char == "{" else -1
            if depth == 0:
                return text[: i + 1]
    return text


def _without_fences(text: str) -> str:
    """A code reply without the markdown a small model wraps its code in: an opening ```python line is
    dropped, and a closing ``` line ends the code (seen: prose after it, "Now, let's retry.", parsed as
    code and failing as a SyntaxError step after step)."""
    if OPEN_CODE not in text:
        return text
    thought, code = text.split(OPEN_CODE, 1)
    if "```" not in code:
        return text
    lines = code.strip("\n").split("\n")
    if re.fullmatch(r"\s*```\w*\s*", lines[0]):
        lines.pop(0)
    fence = next((i for i, line in enumerate(lines) if re.fullmatch(r"\s*```\s*", line)), len(lines))
    return f"{thought}{OPEN_CODE}\n" + "".join(line + "\n" for line in lines[:fence])


def _core(text: str, stops: list[str]) -> str:
    """What makes a reply a repeat: its code when it has a code block (a reworded thought over the same
    code is still a repeat), without surrounding space or a trailing stop sequence (smolagents re-appends
    ``</code>`` to replies it keeps)."""
    text = text.split("<code>", 1)[-1].strip()
    for stop in stops:
        if stop and text.endswith(stop):
            text = text[: -len(stop)].rstrip()
    return text


def _role(message: ChatMessage | dict) -> str:
    return message.role if isinstance(message, ChatMessage) else message.get("role")


def _dicts(messages: list[ChatMessage | dict]) -> list[dict]:
    return [m.dict() if isinstance(m, ChatMessage) else m for m in messages]
