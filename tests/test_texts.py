"""Every text exists in Russian and Kazakh, with the same placeholders."""

from __future__ import annotations

from dialogues.build import build_engine
from dialogues.texts import AUDIENCES, VARIANT, catalogue


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


CHANNELS = {"telegram", "whatsapp", "console"}


def test_channel_variants_replace_a_text_with_the_same_placeholders() -> None:
    """`<key>--<channel>` overrides `<key>` on that channel and nowhere else."""
    for lang, keys in catalogue().items():
        variants = [k for k in keys if VARIANT in k]
        for key in variants:
            base, _, variant = key.partition(VARIANT)
            audience, _, channel = variant.rpartition(VARIANT)
            assert (audience or channel) in {*CHANNELS, *AUDIENCES}, key
            assert not audience or (audience in AUDIENCES and channel in CHANNELS), key
            assert base in keys, f"{lang}:{key} overrides nothing"
            assert keys[key] == keys[base], f"{lang}:{key} placeholders differ from {base}"
    texts = build_engine().texts
    for lang in ("ru", "kk"):
        general = texts.get(lang, "start-welcome")
        assert texts.get(lang, "start-welcome", channel="telegram") == general
        on_whatsapp = texts.get(lang, "start-welcome", channel="whatsapp")
        assert on_whatsapp != general and "WhatsApp" in on_whatsapp
        assert texts.get(lang, "booking-when", {"date": "D", "time": "T"}) == "D, T"
        assert texts.get(lang, "booking-when", {"date": "D", "time": "T"}, channel="whatsapp") == (
            "T, D"
        )
