"""API models: the checks before a run, against real HTTP servers on loopback."""

import socket

import pytest

from geoscout.errors import GeoscoutError
from geoscout.models import default_spec, resolve_model
from tests.servers import LoopbackServer, json_reply


def models_server(ids):
    return LoopbackServer(
        lambda m, p, b: json_reply(
            200, {"object": "list", "data": [{"id": i, "object": "model"} for i in ids]}
        )
    )


def test_openai_compatible_server_and_model_are_checked():
    with models_server(["qwen-local"]) as server:
        model = resolve_model("openai:qwen-local", api_base=server.url + "/v1")
        assert model.model_id == "qwen-local" and server.requests[0][1] == "/v1/models"
        with pytest.raises(GeoscoutError, match="model 'gpt-9' not found on .*it serves: qwen-local"):
            resolve_model("openai:gpt-9", api_base=server.url + "/v1")


def test_unreachable_server_is_one_clear_error():
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(GeoscoutError, match="is not reachable"):
        resolve_model("openai:any", api_base=f"http://127.0.0.1:{port}/v1")


def test_openai_without_key_names_the_variable(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("GEOSCOUT_API_BASE", raising=False)
    with pytest.raises(GeoscoutError, match="needs OPENAI_API_KEY"):
        resolve_model("openai:gpt-4o")


def test_litellm_without_key_names_the_variable(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(GeoscoutError, match="ANTHROPIC_API_KEY"):
        resolve_model("litellm:anthropic/claude-3-5-sonnet-20240620")


def test_default_model_follows_the_keys(monkeypatch):
    monkeypatch.delenv("GEOSCOUT_MODEL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert default_spec() == "local"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert default_spec() == "openai:gpt-4o"
    monkeypatch.setenv("GEOSCOUT_MODEL", "litellm:anthropic/claude-x")
    assert default_spec() == "litellm:anthropic/claude-x"
