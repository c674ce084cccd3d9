"""The API's schemas in /api/openapi.json.

Responses are what the `Case` methods return (the shapes of the CLI's `--json`: one function
produces both), declared with the record types of casegraph.models, the one data contract.
Those are `typing.TypedDict`s, which pydantic does not accept on Python 3.11; `record()`
rebuilds one (and the records it nests) as `typing_extensions.TypedDict` for the schema. The
declaration documents the response without filtering it, so a field added later passes
through. Jobs and request bodies are the server's own.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Literal

import typing_extensions
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from casegraph import models

_converted: dict[Any, Any] = {}


def _convert(tp: Any) -> Any:
    if typing.is_typeddict(tp):
        if tp not in _converted:
            fields: dict[str, Any] = {}
            for key, hint in typing.get_type_hints(tp).items():
                inner = _convert(hint)
                fields[key] = typing_extensions.NotRequired[inner] if key in tp.__optional_keys__ else inner
            made: Any = typing_extensions.TypedDict(tp.__name__, fields)  # type: ignore[misc]
            made.__doc__ = tp.__doc__
            _converted[tp] = made
        return _converted[tp]
    origin = typing.get_origin(tp)
    if origin is None or origin is Literal:
        return tp
    args = tuple(_convert(a) for a in typing.get_args(tp))
    if origin in (typing.Union, types.UnionType):
        return typing.Union[args]  # noqa: UP007 - built from a tuple at run time
    return origin[args if len(args) > 1 else args[0]]


def record(*names: str) -> Any:
    """The first of `names` that casegraph.models defines, usable by pydantic; else None."""
    for name in names:
        found = getattr(models, name, None)
        if found is None:
            continue
        try:
            made = _convert(found)
            TypeAdapter(made).json_schema()
        except Exception:  # a record pydantic cannot describe is left out of the schema, not fatal
            continue
        return made
    return None


def documented(*names: str, many: bool = False) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route returning the record `names[0]` (or a list of them)."""
    found = record(*names)
    if found is None:
        return {}
    return {200: {"model": list[found] if many else found}}  # type: ignore[valid-type]


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class JobOut(Open):
    id: str
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    step: str
    done: int
    total: int
    errors: list[dict[str, str]]
    result: Any = None
    error: str
    created: float
    finished: float | None = None


# -- requests ------------------------------------------------------------------------------


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ids: list[str] = Field(min_length=2, max_length=50, description="Entities to merge into the first.")


class SplitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    aliases: list[str] = Field(min_length=1, max_length=50)


class RenameIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=300)
    type: str | None = Field(default=None, max_length=40)


class CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    article: str = Field(min_length=1, max_length=500, description="Document id of an article of the case.")


class AnalyzeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    doc_ids: list[str] = Field(default_factory=list, max_length=10_000)
