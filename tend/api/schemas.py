"""Base schemas every router uses, and the schemas of the API's own endpoints."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time
from types import UnionType
from typing import Annotated, Any, Generic, Literal, TypeVar, Union, get_args, get_origin

from ninja import Schema as NinjaSchema
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PlainSerializer,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tend.api.models import ApiToken
from tend.api.services import DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS
from tend.core.text import has_control_characters

T = TypeVar("T")


def _wall_time(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("a local wall time, without an offset (your own time zone applies)")
    return value


# A time of day on the person's own clock ("19:00"), never with an offset. OpenAPI's "time"
# format is RFC 3339's full-time, which requires an offset, so the document says what it is:
# hours and minutes, optionally seconds.
LocalTime = Annotated[
    time,
    AfterValidator(_wall_time),
    # Text only in JSON: model_dump() keeps the time, so a body can be handed to a service as is.
    PlainSerializer(lambda value: value.strftime("%H:%M:%S"), return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$",
            "description": "A local wall time, HH:MM or HH:MM:SS, in your own time zone.",
            "examples": ["19:00"],
        }
    ),
]


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?"
)


def _iso_text(pattern: re.Pattern[str], kind: type, error: str) -> Any:
    """A before-validator: the value is ISO 8601 text (or already a ``kind``), nothing else.

    pydantic would read a number, or text such as "0", as seconds since 1970: a client's
    mistake turned into a date nobody meant.
    """

    def check(value: Any) -> Any:
        if isinstance(value, kind) or (isinstance(value, str) and pattern.fullmatch(value)):
            return value
        raise PydanticCustomError(error, "Send an ISO 8601 value here.")

    return BeforeValidator(check)


# A day as "2026-05-01", and a time as "2026-05-01T20:30:00+02:00", never as a number. For query
# parameters (plain ninja schemas); request bodies get them from ``Schema`` by themselves.
IsoDate = Annotated[date, _iso_text(_ISO_DATE, date, "date_type")]
IsoDateTime = Annotated[datetime, _iso_text(_ISO_DATETIME, datetime, "datetime_type")]

_STRICT_SCALARS: dict[Any, Any] = {
    bool: StrictBool,
    int: StrictInt,
    float: StrictFloat,
    date: IsoDate,
    datetime: IsoDateTime,
}


def _strict(annotation: Any) -> Any:
    """``annotation`` with every bool, int and float in it (in unions and lists too) made strict.

    Dates and times must be ISO text. Other types that JSON spells as text (UUID, time, enums)
    stay as they are: ninja validates a parsed body as Python objects, where pydantic's strict
    forms would refuse text.
    """
    if annotation in _STRICT_SCALARS:
        return _STRICT_SCALARS[annotation]
    if annotation in _STRICT_SCALARS.values():
        return annotation  # already strict (an inherited field, made strict in its parent)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is None or origin is Literal or not args:
        return annotation
    if origin is Annotated:
        return Annotated[(_strict(args[0]), *annotation.__metadata__)]
    if origin in (Union, UnionType):
        return Union[tuple(_strict(arg) for arg in args)]  # noqa: UP007
    if origin in (list, tuple, dict, set, frozenset):
        return origin[tuple(_strict(arg) for arg in args)]
    return annotation


def validate_dict_once(
    cls: type[NinjaSchema],
    values: Any,
    handler: ModelWrapValidatorHandler[Any],
    info: ValidationInfo,
) -> Any:
    """Validate a plain dict (a parsed JSON body, an answer built as a dict) once, as it is.

    ninja wraps every value in an attribute getter first, so that a schema can read a Django
    model or call its resolvers; a schema that forbids extra fields it even validates twice,
    once on the raw value and once through the getter. For a dict without resolvers both
    passes read the same keys and yield the same instance (and the first pass is the one whose
    errors a client sees), so the second pass and the getter only cost time: about a tenth of a
    capture's CPU. Anything else (a model instance, a schema with resolvers) goes ninja's way.
    """
    if type(values) is dict and not cls._ninja_resolvers:  # type: ignore[attr-defined]
        return handler(values)
    return NinjaSchema._run_root_validator.__func__(cls, values, handler, info)  # type: ignore[attr-defined]


class _DictsValidatedOnce(NinjaSchema):
    """Validates a plain dict once (``validate_dict_once``): the base of both kinds of body."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        return validate_dict_once(cls, values, handler, info)


class Schema(_DictsValidatedOnce):
    """Base for request and response bodies: unknown fields are refused (422), not ignored.

    A field silently dropped is a change a client thinks it made; refusing it says so at once.
    For the same reason numbers and booleans are strict: ``"intensity": true`` or
    ``{"archived": 0.0}`` is a client's mistake, and coercing it (to 1, to false) would store
    something nobody meant. Every subclass gets this without spelling ``StrictInt``.
    """

    model_config = ConfigDict(extra="forbid")

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        changed = False
        for field in cls.model_fields.values():
            strict = _strict(field.annotation)
            if strict != field.annotation:
                field.annotation = strict
                changed = True
        if changed:
            cls.model_rebuild(force=True)


class OutSchema(_DictsValidatedOnce):
    """Base for response bodies, which Tend builds from its own objects.

    Unlike request bodies they do not forbid extra fields: ninja validates a schema that
    forbids them twice (once on the raw object, once through its attribute getter), which
    doubles the cost of every answer for no gain.
    """


class DictOut(BaseModel):
    """Base for response bodies a function builds as plain dicts and lists (the trigger map).

    A plain pydantic model: ninja's ``Schema`` wraps every nested object in an attribute getter
    first, so that it can read Django models, which for a dict only costs time — about half of
    answering a kept trigger map.
    """


class Page(OutSchema, Generic[T]):
    """One page of a list. Pass ``next_cursor`` back as ``?cursor=`` for the next page."""

    items: list[T]
    next_cursor: str | None = Field(description="Opaque; null on the last page.", examples=[None])


class ProblemError(Schema):
    location: str = Field(description="Where the problem is, such as body.name or query.limit.")
    message: str


class Problem(Schema):
    """An RFC 9457 problem document, sent as application/problem+json."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemError] | None = None


class MeOut(OutSchema):
    id: uuid.UUID
    email: str
    display_name: str
    time_zone: str
    language: str


class TokenOut(OutSchema):
    id: uuid.UUID
    name: str
    prefix: str = Field(description="The first characters of the token, to recognise it by.")
    scope: Literal["read", "write"]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    expires_at: datetime | None = Field(
        description="When the token stops working; null if it never expires."
    )


class TokenCreateIn(Schema):
    name: str = Field(
        min_length=1, max_length=ApiToken.NAME_MAX_LENGTH, description="A short label for you."
    )
    scope: Literal["read", "write"] = "read"
    expires_in_days: int | None = Field(
        DEFAULT_LIFETIME_DAYS,
        ge=1,
        le=MAX_LIFETIME_DAYS,
        strict=True,
        description="Days until the token stops working (default a year); null: never.",
    )

    @field_validator("name")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if has_control_characters(value, allow_line_breaks=False):
            raise ValueError("Remove the invisible control characters from the name.")
        return value


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The token itself. Shown only this once: keep it safe.")
