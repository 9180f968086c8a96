"""The attack suite against the real sandbox: bubblewrap, seccomp, rlimits, an unprivileged worker.

Every case must be contained: no secret in what comes back, nothing reaching the host's loopback servers,
its process or its files, and every resource attack ends within the block's limit with the worker usable
(restarted if need be) and no process left behind.
"""

from __future__ import annotations

import os
import time

import pytest

from tests.sandbox.attacks import ATTACKS
from tests.sandbox.host import BLOCK_SECONDS, Host, run_attack, sandbox_processes


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    folder = tmp_path_factory.mktemp("host")
    folder.chmod(0o755)
    host = Host(folder)
    old = {k: os.environ.get(k) for k in ("OPENAI_API_KEY", "GEOSCOUT_CANARY")}
    os.environ["OPENAI_API_KEY"] = host.canary  # what a key in the parent's environment looks like
    os.environ["GEOSCOUT_CANARY"] = host.canary
    yield host
    for key, value in old.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.id for a in ATTACKS])
def test_attack_is_contained(host, attack):
    before = dict(host.hits)
    text, seconds, executor = run_attack(host, attack)
    try:
        time.sleep(0.05)  # let the host's listeners count what arrived
        assert host.leaks(text) == [], text[:500]
        assert host.hits == before, f"reached the host: {host.hits} (before {before})"
        assert not any(host.drop.iterdir()), "wrote outside its output folder"
        if attack.denial:
            assert seconds < BLOCK_SECONDS + 20, f"took {seconds:.0f} s"
            assert executor("1 + 1").output == 2  # usable afterwards, restarted if need be
    finally:
        executor.cleanup()
    if os.geteuid() == 0:
        assert sandbox_processes() == []


def test_suite_is_big_enough():
    assert len(ATTACKS) >= 40
