"""aiogram, imported with its Telegram types' validators built on first use.

`import aiogram` ends by calling `model_rebuild` on every one of its ~440 Telegram types, and
each pydantic validator inlines every type it can reach (a Message reaches almost all of
them): ~110 MB of the bot's memory and ~2 s of its start-up. The bot meets a handful of
types (an Update and what it contains, the keyboards it sends, the methods it calls).

`import_aiogram()` imports aiogram with those rebuilds recorded instead of run: each type keeps
pydantic's own "not built yet" placeholder, which builds the type the first time it is used
(pydantic's documented deferred build). The namespace aiogram would have passed is supplied
then, so forward references resolve exactly as they would have at import. Nothing changes
for code: every type and method still validates and serialises the same way, a type simply
costs its memory when first used. `warm_up()` builds the common ones at start-up so that no
person's first message waits for it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

# aiogram's types namespace (every type by name, as aiogram.types passes to model_rebuild).
_types_namespace_all: dict[str, Any] = {}
_pydantic_rebuild: Callable[..., bool | None] = BaseModel.__dict__["model_rebuild"].__func__
# What `warm_up` built, held for the process's life. pydantic keeps a parametrised generic
# (`Response[Message]`, what a sent message's answer is read with) only weakly: once a garbage
# collection took it, the next case card's answer made and built it again, ~120 ms of the
# event loop each time under the burst (docs/benchmarks.md, session 10).
_warm: list[type[BaseModel]] = []


def _is_aiogram_type(cls: type[Any]) -> bool:
    return cls.__module__.startswith("aiogram.types.")


def _record(cls: type[BaseModel], /, **kwargs: Any) -> bool | None:
    """model_rebuild while aiogram is imported: keep aiogram's namespace, build nothing."""
    namespace = kwargs.get("_types_namespace")
    if namespace is not None and not kwargs.get("force") and _is_aiogram_type(cls):
        _types_namespace_all.update(namespace)
        return None
    kwargs["_parent_namespace_depth"] = kwargs.get("_parent_namespace_depth", 2) + 1  # this frame
    return _pydantic_rebuild(cls, **kwargs)


def _rebuild(
    cls: type[BaseModel],
    /,
    *,
    force: bool = False,
    raise_errors: bool = True,
    _parent_namespace_depth: int = 2,
    _types_namespace: dict[str, Any] | None = None,
) -> bool | None:
    """model_rebuild of aiogram's models (on first use, or on request): with aiogram's
    namespace. Models defined elsewhere (a subclass in the bot) keep pydantic's own rules."""
    if _types_namespace is None and cls.__module__.startswith("aiogram."):
        _types_namespace = _types_namespace_all
    return _pydantic_rebuild(
        cls,
        force=force,
        raise_errors=raise_errors,
        _parent_namespace_depth=_parent_namespace_depth + 1,  # this frame
        _types_namespace=_types_namespace,
    )


def import_aiogram() -> None:
    """Import aiogram lazily (see the module's docstring). Does nothing if aiogram has been
    imported already: it then simply keeps the memory its eager build took."""
    if "aiogram" in sys.modules:
        return
    eager = BaseModel.__dict__["model_rebuild"]
    BaseModel.model_rebuild = classmethod(_record)  # type: ignore[assignment,method-assign]
    try:
        import aiogram  # noqa: F401
        from aiogram.client.context_controller import BotContextController
        from aiogram.methods.base import Response
    finally:
        BaseModel.model_rebuild = eager  # type: ignore[method-assign]
    if not _types_namespace_all:  # aiogram no longer rebuilds at import: nothing was deferred
        return
    # The bases of every Telegram type and method, and of the API's responses (Response[Message]
    # is built when the first reply is parsed). Methods are built where they are defined;
    # those that reach a type not built yet are deferred by pydantic as well.
    for base in (BotContextController, Response):
        base.model_rebuild = classmethod(_rebuild)  # type: ignore[assignment,method-assign]


def warm_up() -> None:
    """Build what a turn uses (the update, keyboards, the methods the bot calls on a turn and
    their responses) at start-up, so that no person's message waits for it."""
    from aiogram.methods import CreateForumTopic, EditMessageReplyMarkup, SendMessage
    from aiogram.methods.base import Response
    from aiogram.types import InlineKeyboardMarkup, Update

    models: list[type[BaseModel]] = [Update, InlineKeyboardMarkup]
    for method in (SendMessage, EditMessageReplyMarkup, CreateForumTopic):
        models += [method, Response[method.__returning__]]  # type: ignore[name-defined]
    for model in models:
        if not model.__pydantic_complete__:
            model.model_rebuild()
    _warm.extend(models)
