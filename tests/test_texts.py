"""Every text exists in Russian and Kazakh, with the same placeholders."""

from __future__ import annotations

from dialogues.build import build_engine
from dialogues.texts import catalogue


def test_every_key_exists_in_both_languages_with_the_same_placeholders() -> None:
    cat = catalogue()
    assert set(cat) == {"ru", "kk"}
    assert set(cat["ru"]) == set(cat["kk"]), set(cat["ru"]) ^ set(cat["kk"])
    for key, names in cat["ru"].items():
        assert cat["kk"][key] == names, key


def test_every_declared_step_button_and_route_resolves() -> None:
    build_engine()  # raises FlowError listing every broken reference


def test_no_text_carries_platform_markup() -> None:
    for lang, keys in catalogue().items():
        engine = build_engine()
        for key in keys:
            value = engine.texts.get(lang, key, {"deleted": 1, "left": 1})
            assert "<b>" not in value and "**" not in value, key
