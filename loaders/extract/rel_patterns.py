"""Relation patterns read from data files and compiled once.

Three files in ``shegong.loaders.data``: ``relation_titles.tsv`` (titles, their class and
the organisation suffixes a bare title points to), ``relation_macros.tsv`` (named regex
pieces) and ``relation_patterns.jsonl`` (the rules). Patterns match a *masked* sentence in
which every entity span is one placeholder character per label (see ``rel_mask``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ahocorasick
from shegong.loaders.data import read_lines, read_tsv
from shegong.schema import Label, RelationType, SchemaError

__all__ = [
    "BUILTINS",
    "ELECTED",
    "PLACEHOLDER",
    "DEFAULTS",
    "Emit",
    "PatternSet",
    "PropSpec",
    "RelPattern",
    "Title",
    "TriggerScan",
    "compile_patterns",
    "load_patterns",
]

#: One private-use character stands for each entity span, by label.
PLACEHOLDER: dict[Label, str] = {
    Label.ORGANISATION: "\ue000",
    Label.PERSON: "\ue001",
    Label.PLACE: "\ue002",
    Label.POLICY: "\ue003",
    Label.EVENT: "\ue004",
}
_PH_MACROS = {
    "ORG": PLACEHOLDER[Label.ORGANISATION],
    "PER": PLACEHOLDER[Label.PERSON],
    "PLC": PLACEHOLDER[Label.PLACE],
    "POL": PLACEHOLDER[Label.POLICY],
    "EVT": PLACEHOLDER[Label.EVENT],
}
#: Endpoints a pattern may name instead of a group, resolved from the article's context.
DEFAULTS = ("@main_event", "@sentence_event", "@election_org", "@recipient", "@meeting_org")
#: ``type`` value meaning ELECTED_PRESIDENT for a president role, ELECTED_TO otherwise.
ELECTED = "ELECTED"
_CLASSES = ("president", "office", "position")
#: Rules written in code, named in the patterns file; confidences used when it omits them.
BUILTINS: dict[str, float] = {
    "appositive": 0.9,
    "appositive_context": 0.7,
    "founding_event": 0.85,
    "attendance": 0.8,
    "own_meeting": 0.75,
}
_MACRO_REF = re.compile(r"\{([A-Z][A-Z_]*)\}")


@dataclass(frozen=True)
class Title:
    """A title from relation_titles.tsv."""

    name: str
    cls: str
    suffixes: tuple[str, ...]


@dataclass(frozen=True)
class PropSpec:
    """A property value: a group's text (mapped through ``mapping``) or a literal."""

    group: str | None = None  # "a|b": the first of these groups that matched
    literal: str | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)
    default: str | None = None


@dataclass(frozen=True)
class Emit:
    """One relation a pattern match makes."""

    type: str  # a RelationType value, or ELECTED
    source: str  # a group name or one of DEFAULTS
    target: str
    source_default: str | None = None
    target_default: str | None = None
    props: Mapping[str, PropSpec] = field(default_factory=dict)
    pick_last: frozenset[str] = frozenset()
    only: Mapping[str, frozenset[Label]] = field(default_factory=dict)  # group -> labels kept


@dataclass(frozen=True)
class RelPattern:
    """A compiled rule from relation_patterns.jsonl."""

    name: str
    regex: re.Pattern[str]
    triggers: re.Pattern[str] | None  # any one of the trigger words; None: always run
    emits: tuple[Emit, ...]
    confidence: float
    require: re.Pattern[str] | None = None
    forbid: re.Pattern[str] | None = None
    titled: frozenset[str] = frozenset()
    sets: Mapping[str, str] = field(default_factory=dict)
    trigger_words: frozenset[str] = frozenset()  # the words of ``triggers``


class TriggerScan:
    """The trigger words of a set of patterns found in a text in one Aho-Corasick pass,
    instead of one regex search per pattern and sentence."""

    def __init__(self, patterns: Iterable[RelPattern]) -> None:
        self._automaton = ahocorasick.Automaton()
        for word in sorted({w for p in patterns for w in p.trigger_words}):
            self._automaton.add_word(word, word)
        self._automaton.make_automaton()

    def words_in(self, text: str) -> set[str]:
        """The trigger words occurring in ``text``."""
        if not len(self._automaton):
            return set()
        return {word for _, word in self._automaton.iter(text)}


@dataclass(frozen=True)
class PatternSet:
    """Everything the relation finder matches with, compiled."""

    patterns: tuple[RelPattern, ...]
    titles: Mapping[str, Title]
    chain: re.Pattern[str]  # an appositive chain <Org><title>…<Person>
    chain_token: re.Pattern[str]  # one piece of a chain: org / per / pol / title / sep
    role_core: re.Pattern[str]  # the title inside an election role (首任会长 -> 会长)
    day_event: re.Pattern[str]
    founding: re.Pattern[str]
    meeting_of: re.Pattern[str]  # <Org>第二次会员代表大会: the organisation that meets
    builtins: Mapping[str, tuple[str, float]] = field(default_factory=dict)  # key -> (name, conf)


def _expand(text: str, macros: Mapping[str, str], where: str, depth: int = 0) -> str:
    if depth > 12:
        raise SchemaError(f"{where}: macros nest too deeply (a macro refers to itself?)")

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in _PH_MACROS:
            return _PH_MACROS[name]
        if name not in macros:
            valid = ", ".join(sorted([*macros, *_PH_MACROS]))
            raise SchemaError(f"{where}: unknown macro {{{name}}}; known macros: {valid}")
        return _expand(macros[name], macros, f"{where} > {{{name}}}", depth + 1)

    return _MACRO_REF.sub(one, text)


def _confidence(obj: Mapping[str, Any], where: str) -> float:
    confidence = obj.get("confidence", 0.8)
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, int | float)
        or not 0.0 <= confidence <= 1.0
    ):
        raise SchemaError(f"{where}: confidence must be a number in [0, 1], got {confidence!r}")
    return float(confidence)


def _triggers(words: Any, where: str) -> re.Pattern[str] | None:
    if not isinstance(words, list | tuple) or not all(isinstance(w, str) and w for w in words):
        raise SchemaError(f"{where}: triggers must be a list of words, got {words!r}")
    return re.compile("|".join(map(re.escape, words))) if words else None


def _compile(regex: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(regex)
    except re.error as e:
        raise SchemaError(f"{where}: bad regular expression ({e}): {regex[:120]!r}") from e


def _titles(rows: Iterable[Sequence[str]], source: str) -> dict[str, Title]:
    titles: dict[str, Title] = {}
    for n, row in enumerate(rows, 1):
        if len(row) < 2 or not row[0]:
            raise SchemaError(
                f"{source} row {n}: expected title<TAB>class[<TAB>suffixes], got {row!r}"
            )
        if row[1] not in _CLASSES:
            raise SchemaError(
                f"{source} row {n}: unknown class {row[1]!r} for {row[0]!r}; "
                f"valid classes: {', '.join(_CLASSES)}"
            )
        suffixes = tuple(
            s.strip() for s in (row[2] if len(row) > 2 else "").split(",") if s.strip()
        )
        titles[row[0]] = Title(row[0], row[1], suffixes)
    if not titles:
        raise SchemaError(f"{source}: no titles")
    return titles


def _prop(value: Any, where: str) -> PropSpec:
    if isinstance(value, str):
        return PropSpec(group=value[1:]) if value.startswith("=") else PropSpec(literal=value)
    if isinstance(value, dict) and isinstance(value.get("group"), str):
        return PropSpec(
            group=value["group"],
            mapping=dict(value.get("map", {})),
            default=value.get("default"),
        )
    raise SchemaError(
        f"{where}: a property is '=group', a literal or {{group, map, default}}, got {value!r}"
    )


def _endpoint(
    value: Any, groups: Mapping[str, int], where: str, optional: bool = False
) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not (value in groups or value in DEFAULTS):
        valid = ", ".join([*sorted(groups), *DEFAULTS])
        raise SchemaError(
            f"{where}: endpoint {value!r} is neither a group of the regex nor a default; valid: {valid}"
        )
    return value


def _emit(obj: Mapping[str, Any], groups: Mapping[str, int], where: str) -> Emit:
    rtype = obj.get("type")
    allowed = [
        t.value for t in RelationType if t not in (RelationType.MENTIONS, RelationType.REPORTED_BY)
    ]
    if rtype != ELECTED and rtype not in allowed:
        raise SchemaError(
            f"{where}: unknown relation type {rtype!r}; valid types: {ELECTED}, {', '.join(allowed)}"
        )
    props = {
        key: _prop(val, f"{where} prop {key!r}") for key, val in dict(obj.get("props", {})).items()
    }
    for key, spec in props.items():
        for group in spec.group.split("|") if spec.group else ():
            if group not in groups:
                raise SchemaError(
                    f"{where}: property {key!r} reads group {group!r}, which the regex lacks"
                )
    pick = dict(obj.get("pick", {}))
    only: dict[str, frozenset[Label]] = {}
    for group, labels in dict(obj.get("only", {})).items():
        if group not in groups:
            raise SchemaError(f"{where}: 'only' names group {group!r}, which the regex lacks")
        try:
            only[group] = frozenset(Label(label) for label in labels)
        except ValueError as e:
            valid = ", ".join(label.value for label in PLACEHOLDER)
            raise SchemaError(
                f"{where}: 'only' {group!r}: unknown label in {labels!r}; valid: {valid}"
            ) from e
    return Emit(
        type=str(rtype),
        source=str(_endpoint(obj.get("source"), groups, where)),
        target=str(_endpoint(obj.get("target"), groups, where)),
        source_default=_endpoint(obj.get("source_default"), groups, where, optional=True),
        target_default=_endpoint(obj.get("target_default"), groups, where, optional=True),
        props=props,
        pick_last=frozenset(g for g, how in pick.items() if how == "last"),
        only=only,
    )


def compile_patterns(
    pattern_rows: Iterable[Mapping[str, Any]],
    macro_rows: Iterable[Sequence[str]],
    title_rows: Iterable[Sequence[str]],
    source: str = "relation_patterns.jsonl",
) -> PatternSet:
    """Compile patterns, macros and titles (rows as read from the data files).

    Raises SchemaError naming the pattern (or row) and the problem for any bad entry.
    """
    titles = _titles(title_rows, "relation_titles.tsv")
    macros: dict[str, str] = {}
    for n, row in enumerate(macro_rows, 1):
        if len(row) < 2 or not re.fullmatch(r"[A-Z][A-Z_]*", row[0]):
            raise SchemaError(f"relation_macros.tsv row {n}: expected NAME<TAB>regex, got {row!r}")
        macros[row[0]] = row[1]
    # Longest first so that 副主任委员 wins over 副主任 at the same place.
    by_length = sorted(titles, key=lambda t: (-len(t), t))
    macros["TITLE_CORE"] = "(?:" + "|".join(re.escape(t) for t in by_length) + ")"
    patterns: list[RelPattern] = []
    builtins: dict[str, tuple[str, float]] = {}
    for n, obj in enumerate(pattern_rows, 1):
        name = obj.get("name") if isinstance(obj, Mapping) else None
        where = f"{source} pattern {n} ({name or 'unnamed'})"
        if isinstance(obj, Mapping) and "builtin" in obj:
            if obj["builtin"] not in BUILTINS or not isinstance(name, str) or not name:
                raise SchemaError(
                    f"{where}: a built-in rule needs a name and one of: {', '.join(BUILTINS)}"
                )
            builtins[obj["builtin"]] = (name, _confidence(obj, where))
            continue
        if not isinstance(name, str) or not name or "regex" not in obj:
            raise SchemaError(f"{where}: every pattern needs a name and a regex")
        regex = _compile(_expand(obj["regex"], macros, where), where)
        groups = regex.groupindex
        confidence = _confidence(obj, where)
        sets = dict(obj.get("set", {}))
        for group in [*obj.get("titled", []), *sets.values()]:
            if group not in groups:
                raise SchemaError(
                    f"{where}: group {group!r} is not in the regex; groups: {', '.join(groups)}"
                )
        patterns.append(
            RelPattern(
                name=name,
                regex=regex,
                triggers=_triggers(obj.get("triggers", ()), where),
                emits=tuple(
                    _emit(e, groups, f"{where} emit {i}")
                    for i, e in enumerate(obj.get("emit", []), 1)
                ),
                confidence=confidence,
                require=_compile(obj["require"], where) if obj.get("require") else None,
                forbid=_compile(obj["forbid"], where) if obj.get("forbid") else None,
                titled=frozenset(obj.get("titled", ())),
                sets=sets,
                trigger_words=frozenset(obj.get("triggers", ())),
            )
        )
    token = _expand(
        "(?P<org>{ORG})|(?P<per>{PER})|(?P<pol>{POL})|(?P<title>{TITLE})|(?P<sep>、|兼)",
        macros,
        "chain tokens",
    )
    return PatternSet(
        patterns=tuple(patterns),
        titles=titles,
        chain=_compile(_expand("{CHAIN}", macros, "macro CHAIN"), "macro CHAIN"),
        chain_token=_compile(token, "chain tokens"),
        role_core=_compile(macros["TITLE_CORE"], "titles"),
        day_event=_compile(_expand("{DAY_EVENT}", macros, "macro DAY_EVENT"), "macro DAY_EVENT"),
        founding=_compile(_expand("{FOUNDING}", macros, "macro FOUNDING"), "macro FOUNDING"),
        meeting_of=_compile(
            _expand("{MEETING_OF}", macros, "macro MEETING_OF"), "macro MEETING_OF"
        ),
        builtins={key: builtins.get(key, (key, default)) for key, default in BUILTINS.items()},
    )


def load_patterns() -> PatternSet:
    """The packaged patterns (read and compiled on each call: keep the result)."""
    name = "relation_patterns.jsonl"
    rows: list[dict[str, Any]] = []
    for n, line in enumerate(read_lines(name), 1):
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise SchemaError(f"{name} entry {n}: not JSON ({e.msg}): {line[:80]!r}") from e
    return compile_patterns(
        rows, read_tsv("relation_macros.tsv"), read_tsv("relation_titles.tsv"), name
    )
