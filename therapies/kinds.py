"""The kinds of content, each declared once (models.py declares the portal's three).

A kind says what the rest of the portal needs to know about it: its item and version
models, the key field and URL names, its public templates, the fields search matches besides
title, summary and body, the agents and sponsors that count for a reviewer's conflicts of
interest, the other kinds its versions link (and so the dependents a change can flag), and
what review requires of those links. Trust, workflow, search, views, admin and `loaddemo`
read the declaration instead of testing which model they hold.

A leaf module: it imports nothing of the portal, so models.py can declare kinds with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Kind:
    name: str  # "therapy": in URLs of the cache scopes, the changelog, settings
    item_model: type
    version_model: type
    url_name: str  # public URL names "therapies:<url_name>_detail" and "_history"
    detail_template: str = ""
    list_template: str = ""
    # Fields matched by search besides title, summary and body ("item__nct_id" follows the
    # item); PostgreSQL indexes a field with choices by its label, the SQLite fallback
    # matches its stored value.
    keyword_fields: tuple[str, ...] = ()
    # The version's own fields naming agents and sponsors a reviewer may have an interest
    # in; those of the items it links count too (trust.interests_at_stake).
    agent_fields: tuple[str, ...] = ()
    sponsor_fields: tuple[str, ...] = ()
    # Version m2m field → the kind whose items it links.
    links: dict[str, str] = field(default_factory=dict)
    # Links that must hold at least this many items before review (e.g. one therapy).
    min_links: dict[str, int] = field(default_factory=dict)
    # Fields (links or lists) that together name the parts of the item, and how many parts
    # review requires in all: a combination is two or more treatments, of which at least
    # one has a therapy article (min_links) and the rest may be, say, chemotherapy.
    parts_fields: tuple[str, ...] = ()
    min_parts: int = 0
    # Links whose items must be published for a version to be approved (and are locked
    # while it is).
    published_links: tuple[str, ...] = ()
    # Version fields whose change, or the item's unpublication, flags the items of other
    # kinds whose versions link it ("needs re-check"). A flag names the therapy article that
    # changed (RecheckFlag.therapy), so only the therapy kind declares them today.
    flag_fields: tuple[str, ...] = ()
    # Its items are ClinicalTrials.gov records, imported and synced (therapies.importer): a
    # changed record flags the items that cite its NCT ID, list it in a `trial_fields` field
    # or are linked from its note (RecheckFlag.trial).
    registry: bool = False
    # Version fields listing NCT IDs of the trials the content rests on (key trials).
    trial_fields: tuple[str, ...] = ()
    # The evidence level is a condition of approval (else advice, where the kind has one).
    evidence_level_required: bool = False
    schema_type: str = "MedicalTherapy"  # schema.org type of what the public page is about

    @property
    def key_field(self) -> str:
        return self.item_model.KEY_FIELD

    @property
    def flags_dependents(self) -> bool:
        return bool(self.flag_fields)

    def linking(self) -> Iterator[tuple[Kind, str]]:
        """(kind, link field) of every kind whose versions link items of this kind."""
        for other in REGISTRY.values():
            for link, target in other.links.items():
                if target == self.name:
                    yield other, link

    @property
    def can_be_flagged(self) -> bool:
        """Whether its items can be flagged by a change of an item they link."""
        return any(REGISTRY[target].flags_dependents for target in self.links.values()) or any(
            kind.registry for kind in REGISTRY.values()
        )


REGISTRY: dict[str, Kind] = {}
_BY_MODEL: dict[type, Kind] = {}


def register(kind: Kind) -> Kind:
    """Declare a kind (again: replace it). Returns it."""
    previous = REGISTRY.get(kind.name)
    if previous is not None:
        _BY_MODEL.pop(previous.item_model, None)
        _BY_MODEL.pop(previous.version_model, None)
    REGISTRY[kind.name] = kind
    _BY_MODEL[kind.item_model] = _BY_MODEL[kind.version_model] = kind
    return kind


def unregister(name: str) -> None:
    kind = REGISTRY.pop(name)
    _BY_MODEL.pop(kind.item_model, None)
    _BY_MODEL.pop(kind.version_model, None)


def of(obj) -> Kind:
    """The kind of an item or a version (instance or model)."""
    model = obj if isinstance(obj, type) else type(obj)
    try:
        return _BY_MODEL[model]
    except KeyError:
        raise LookupError(f"{model.__name__} is not a declared kind of content") from None


def get(name: str) -> Kind:
    return REGISTRY[name]


def all_kinds() -> list[Kind]:
    return list(REGISTRY.values())
