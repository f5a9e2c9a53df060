"""API bodies for moments and vocabularies.

The schemas check shapes and types; every rule about values (known codes, ranges, lengths,
control characters, times) lives in validation.py, so the API and the pages say the same thing.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field, ModelWrapValidatorHandler, ValidationInfo, model_validator

from tend.api.schemas import OutSchema, Schema, validate_dict_once
from tend.journal import vocabulary
from tend.journal.models import Moment


class BodyEntry(Schema):
    region: str = Field(description="A region code from GET /api/v1/vocabulary.")
    sensations: list[str] = Field(default_factory=list, description="Sensation codes.")
    intensity: int | None = Field(default=None, ge=0, le=10)


class MomentFields(Schema):
    occurred_at: datetime | None = Field(
        default=None, description="When it happened, with a time zone offset. Defaults to now."
    )
    cue: str | None = Field(default=None, description="What happened, in your words.")
    story: str | None = None
    part: str | None = None
    urge: str | None = None
    action: str | None = None
    helped: str | None = None
    notes: str | None = None
    states: list[str] | None = Field(default=None, description="State codes; several may blend.")
    intensity: int | None = Field(default=None, ge=0, le=10)
    body: list[BodyEntry] | None = None
    needs: list[str] | None = Field(default=None, description="Need and fear codes.")
    contexts: list[str] | None = Field(default=None, description="Context codes.")
    intensity_after: int | None = Field(default=None, ge=0, le=10)
    minutes_to_settle: int | None = Field(default=None, ge=0, le=7 * 24 * 60)
    theme: uuid.UUID | None = Field(
        default=None, description="One of your themes' ids (GET /api/v1/themes), or null."
    )
    people: list[uuid.UUID] | None = Field(
        default=None, description="Ids of your own people (GET /api/v1/people)."
    )

    def fields(self) -> dict[str, Any]:
        """Only what the client sent, so that an omitted field is left as it is."""
        return self.model_dump(exclude_unset=True)


class MomentIn(MomentFields):
    kind: Literal["activation", "glimmer"] = "activation"

    def fields(self) -> dict[str, Any]:
        fields = super().fields()
        # The kind is part of what was sent even when left to its default, so that a retry
        # that spells it out is the same request as one that does not.
        fields["kind"] = self.kind
        return fields


class MomentPatch(MomentFields):
    kind: Literal["activation", "glimmer"] | None = None

    def fields(self) -> dict[str, Any]:
        fields = super().fields()
        if fields.get("kind", "") is None:
            del fields["kind"]
        return fields


class BodyEntryOut(OutSchema):
    region: str
    sensations: list[str]
    intensity: int | None


class _MomentContentOut(OutSchema):
    """What a moment says: shared by the moment itself and each of its earlier versions."""

    kind: Literal["activation", "glimmer"]
    occurred_at: datetime
    cue: str
    story: str
    part: str
    urge: str
    action: str
    helped: str
    notes: str
    states: list[str]
    intensity: int | None
    body: list[BodyEntryOut]
    needs: list[str]
    contexts: list[str]
    intensity_after: int | None
    minutes_to_settle: int | None


class MomentOut(_MomentContentOut):
    id: uuid.UUID
    people: list[uuid.UUID] = Field(
        validation_alias="person_ids", description="Ids of the people this moment names."
    )
    theme: uuid.UUID | None = Field(
        validation_alias="theme_id", description="The theme it is filed under, if any."
    )
    edited: bool
    created_at: datetime
    updated_at: datetime

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        if type(values) is Moment:
            # Every field is a plain attribute of the moment (text decrypted, lists as stored,
            # ``person_ids`` a list), so reading them into a dict answers exactly what ninja's
            # attribute getter would, without its per-attribute checks for managers, callables
            # and files: a fifth of the cost of answering a capture.
            values = {key: getattr(values, key) for key in _MOMENT_OUT_KEYS}
        return validate_dict_once(cls, values, handler, info)


# The attribute each field of MomentOut reads (its validation alias, else its name).
_MOMENT_OUT_KEYS = tuple(
    field.validation_alias if isinstance(field.validation_alias, str) else name
    for name, field in MomentOut.model_fields.items()
)


class MomentVersionOut(_MomentContentOut):
    """A moment as it was before one of its edits."""

    id: uuid.UUID
    number: int = Field(description="1 is the moment as first logged.")
    saved_at: datetime = Field(description="When this version was replaced by an edit.")
    people: list[uuid.UUID]
    theme: uuid.UUID | None = Field(
        validation_alias="theme_id", description="The theme it was filed under then."
    )


class TermOut(OutSchema):
    code: str
    label: str
    description: str


class RegionOut(TermOut):
    sides: list[Literal["front", "back"]]


class VocabularyOut(OutSchema):
    kinds: list[TermOut]
    states: list[TermOut]
    regions: list[RegionOut]
    sensations: list[TermOut]
    needs: list[TermOut]
    contexts: list[TermOut]
    own_needs: list[TermOut] = Field(description="Needs and fears you added in your words.")
    own_contexts: list[TermOut] = Field(description="Contexts you added in your words.")

    @classmethod
    def build(cls, *, own: dict[str, list[TermOut]]) -> VocabularyOut:
        def terms(items: tuple[vocabulary.Term, ...]) -> list[TermOut]:
            return [
                TermOut(code=t.code, label=str(t.label), description=str(t.description))
                for t in items
            ]

        return cls(
            kinds=terms(vocabulary.KINDS),
            states=terms(vocabulary.STATES),
            regions=[
                RegionOut(
                    code=r.code,
                    label=str(r.label),
                    description=str(r.description),
                    sides=list(r.sides),
                )
                for r in vocabulary.REGIONS
            ],
            sensations=terms(vocabulary.SENSATIONS),
            needs=terms(vocabulary.NEEDS),
            contexts=terms(vocabulary.CONTEXTS),
            own_needs=own.get("needs", []),
            own_contexts=own.get("contexts", []),
        )


class OwnTermIn(Schema):
    kind: Literal["needs", "contexts"]
    label: str = Field(min_length=1, max_length=60, description="A few words of your own.")
