from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from nlu.data import DATA_DIR, DataError, load_training, parse_yaml_file
from nlu.model import MODEL_PATH, LinearModel, data_fingerprint, train
from nlu.pipeline import NluPipeline

SEED_YAML = """version: "3.1"
nlu:
- intent: greet
  metadata: {role: unknown, urgent: false, slice: ru}
  examples: |
    - привет
    - здравствуйте
    - добрый день
- intent: help
  metadata: {role: victim, urgent: true, slice: ru}
  examples: |
    - он бьёт меня прямо сейчас
    - помогите он с ножом
    - муж ломает дверь
- intent: help
  metadata: {role: victim, urgent: false, slice: kk}
  examples: |
    - күйеуім мені ұрады
    - ол маған ақша бермейді
    - [Алматыда](city) тұрамын, күйеуім ұрсады
"""


@pytest.fixture
def small_data(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    (d / "ru").mkdir(parents=True)
    (d / "ru" / "seed.yml").write_text(SEED_YAML, encoding="utf-8")
    return d


def test_shipped_model_is_fresh() -> None:
    """The committed artefact was trained on the committed data (else: `qamqor nlu train`)."""
    m = LinearModel.load(MODEL_PATH)
    assert m.fingerprint == data_fingerprint(DATA_DIR)
    assert MODEL_PATH.stat().st_size < 5_000_000


def test_all_data_files_parse() -> None:
    errors: list[str] = []
    examples = load_training(errors=errors)
    assert not errors
    assert len(examples) > 500


def test_yaml_entities_stripped(small_data: Path) -> None:
    texts = [e.text for e in parse_yaml_file(small_data / "ru" / "seed.yml")]
    assert "Алматыда тұрамын, күйеуім ұрсады" in texts


def test_bad_yaml_reported(small_data: Path) -> None:
    bad = small_data / "ru" / "bad.yml"
    bad.write_text("nlu:\n- intent: help\n  examples: |\n  - x\n bad: [", encoding="utf-8")
    with pytest.raises(DataError):
        parse_yaml_file(bad)
    errors: list[str] = []
    assert load_training(small_data, errors=errors)  # the good file still loads
    assert errors


def test_training_is_deterministic(small_data: Path) -> None:
    a, b = train(small_data, cv=False), train(small_data, cv=False)
    assert a.fingerprint == b.fingerprint
    for name in a.spaces:
        assert a.spaces[name].vocab == b.spaces[name].vocab
        assert np.array_equal(a.spaces[name].weights, b.spaces[name].weights)


def test_stale_model_detected_and_retrained(
    small_data: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    model_path = tmp_path / "model.npz"
    m = train(small_data, cv=False)
    m.urgent_threshold = 0.33
    m.save(model_path)
    fresh = NluPipeline(model_path, data_dir=small_data).load()
    assert not fresh.stale

    with (small_data / "ru" / "seed.yml").open("a", encoding="utf-8") as f:
        f.write("    - муж запер меня в комнате\n")
    with caplog.at_level(logging.WARNING, logger="nlu.pipeline"):
        p = NluPipeline(model_path, data_dir=small_data).load()
    assert p.stale
    assert any("stale" in r.message for r in caplog.records)
    assert p.model.fingerprint == data_fingerprint(small_data)
    assert p.model.urgent_threshold == 0.33  # the CV-tuned threshold is kept
    assert p.parse_sync("привет").intent == "greet"


def test_missing_model_trains_on_first_use(small_data: Path, tmp_path: Path) -> None:
    p = NluPipeline(tmp_path / "absent.npz", data_dir=small_data)
    assert p.parse_sync("здравствуйте").intent == "greet"


def test_save_load_roundtrip(small_data: Path, tmp_path: Path) -> None:
    m = train(small_data, cv=False)
    m.save(tmp_path / "m.npz")
    m2 = LinearModel.load(tmp_path / "m.npz")
    s1 = m.raw_scores("он бьёт меня")
    s2 = m2.raw_scores("он бьёт меня")
    for k in s1:
        assert np.allclose(s1[k], s2[k], atol=1e-2)


def test_copy_of_real_data_matches_fingerprint(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    assert data_fingerprint(copy) == data_fingerprint(DATA_DIR)


def test_install_without_data_uses_artefact(small_data: Path, tmp_path: Path) -> None:
    model_path = tmp_path / "model.npz"
    train(small_data, cv=False).save(model_path)
    empty = tmp_path / "no-data"
    empty.mkdir()
    p = NluPipeline(model_path, data_dir=empty).load()
    assert not p.stale
    assert p.parse_sync("привет").intent == "greet"
