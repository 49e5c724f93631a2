"""Reply → WhatsApp message objects: limits, lists, cutting, splitting, plain text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.channels.whatsapp.render import (
    MAX_BODY,
    MAX_ROW_TITLE,
    ZWSP,
    Labels,
    fit,
    plain,
    render,
    split,
    units,
)
from core.messages import Button, Reply
from devtools.fake_graph import GraphAPIError, _check_interactive, _check_text

LABELS = Labels("Выбрать", "Безопасность", "Варианты", "Ещё варианты:")
URGENT = Button("🆘 Срочно", "!urgent")
EXIT = Button("✖ Быстрый выход", "!exit")
MENU = Button("☰ Меню", "!menu")


def _valid(messages: list[dict[str, object]]) -> None:
    """Every message passes the fake Graph API's checks (the documented limits)."""
    for m in messages:
        if m["type"] == "text":
            _check_text(m["text"]["body"], 4096, "text")  # type: ignore[index]
        else:
            _check_interactive(m["interactive"])


def test_up_to_three_short_buttons_are_reply_buttons() -> None:
    (msg,) = render(
        Reply("Удалить всё?", ((Button("Да", "s#yes"), Button("Нет", "s#no")),)), LABELS
    )
    assert msg["interactive"]["type"] == "button"
    assert [b["reply"]["id"] for b in msg["interactive"]["action"]["buttons"]] == ["s#yes", "s#no"]
    _valid([msg])


def test_more_than_three_buttons_make_a_list_with_the_safety_controls_first() -> None:
    options = [Button(f"Вариант {i}", f"menu.main#{i}") for i in range(7)]
    (msg,) = render(Reply("Чем помочь?", ((*options,), (URGENT, EXIT))), LABELS)
    inter = msg["interactive"]
    assert inter["type"] == "list" and inter["action"]["button"] == "Выбрать"
    safety, choices = inter["action"]["sections"]
    assert [r["id"] for r in safety["rows"]] == ["!urgent", "!exit"]
    assert len(choices["rows"]) == 7
    _valid([msg])


def test_more_than_ten_options_split_and_every_list_keeps_urgent_and_exit() -> None:
    options = [Button(f"Слот {i}", f"booking.slot={i}") for i in range(20)]
    messages = render(Reply("Выберите время", ((*options,), (MENU, URGENT, EXIT))), LABELS)
    assert len(messages) == 3  # 21 choices (with ☰), 8 per list
    ids: list[str] = []
    for m in messages:
        sections = m["interactive"]["action"]["sections"]
        assert [r["id"] for r in sections[0]["rows"]] == ["!urgent", "!exit"]
        ids += [r["id"] for r in sections[1]["rows"]]
    assert ids == [b.payload for b in options] + ["!menu"]
    assert messages[1]["interactive"]["body"]["text"] == "Ещё варианты:"
    _valid(messages)


def test_long_labels_are_cut_at_a_word_and_kept_whole_in_the_description() -> None:
    long = "Записаться к психологу семейной службы"
    (msg,) = render(Reply("x", ((Button(long, "a#1"), Button("b", "a#2")),)), LABELS)
    row = msg["interactive"]["action"]["sections"][0]["rows"][0]
    assert row["title"].endswith("…") and units(row["title"]) <= MAX_ROW_TITLE
    assert long.startswith(row["title"][:-1]) and row["title"][-2] != " "
    assert row["description"] == long
    _valid([msg])
    assert fit("Вернуться к разговору", 20) == "Вернуться к…"


def test_long_texts_are_split_and_the_interactive_body_fits_1024() -> None:
    paragraph = "Слово " * 150 + "\n\n"
    text = paragraph * 12  # ~10,800 characters
    messages = render(Reply(text, ((URGENT, EXIT, MENU, Button("Ещё", "x#1")),)), LABELS)
    assert [m["type"] for m in messages[:-1]] == ["text"] * (len(messages) - 1)
    assert units(messages[-1]["interactive"]["body"]["text"]) <= MAX_BODY
    bodies = [m["text"]["body"] for m in messages[:-1]] + [
        messages[-1]["interactive"]["body"]["text"]
    ]
    assert "".join(bodies).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace(
        "\n", ""
    )
    _valid(messages)
    plain_messages = render(Reply(text), LABELS)
    assert all(len(m["text"]["body"]) <= 4096 for m in plain_messages)


@given(st.text(min_size=1, max_size=9000))
def test_any_text_splits_into_valid_parts(text: str) -> None:
    if not text.strip():
        return
    parts = split(text, 1024)
    assert all(units(p) <= 1024 for p in parts)


def test_markup_typed_by_a_person_is_shown_as_typed() -> None:
    assert plain("*жирный* и _курсив_ и ~зачёркнуто~") == (
        f"*{ZWSP}жирный* и _{ZWSP}курсив_ и ~{ZWSP}зачёркнуто~"
    )
    assert ZWSP in plain("```код```")
    for untouched in ("a_b_c", "2*3*4", "https://gov.kz/x_y_z", "102 · 112 · 150", "* пункт"):
        assert plain(untouched) == untouched


def test_the_fake_refuses_what_whatsapp_refuses() -> None:
    too_many = {
        "type": "button",
        "body": {"text": "x"},
        "action": {
            "buttons": [
                {"type": "reply", "reply": {"id": str(i), "title": "t" + str(i)}} for i in range(4)
            ]
        },
    }
    for bad in (
        too_many,
        {"type": "button", "body": {"text": "x" * 1025}, "action": too_many["action"]},
        {
            "type": "list",
            "body": {"text": "x"},
            "action": {"button": "b", "sections": [{"rows": [{"id": "1", "title": "t" * 25}]}]},
        },
    ):
        try:
            _check_interactive(bad)
        except GraphAPIError as exc:
            assert exc.status == 400
        else:
            raise AssertionError(f"accepted {bad}")
