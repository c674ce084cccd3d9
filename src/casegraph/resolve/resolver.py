"""Corpus-level resolution: mentions → entities.

1. Group mentions within each document (analysis' `cluster`, else the same normalised name;
   a lone surname joins the one full name in the document that carries it).
2. Join groups across documents: same name; same e-mail address; compatible full names found
   by blocking + matching (variant spellings, initials, transliteration, OCR noise); a lone
   surname joins the one person who carries it, or, when several do (Joe / Hunter Biden),
   the one whose company in other documents the document shares, else stays apart.
3. Vote each entity's type over its mentions, pick its name, derive a stable id.
Every union between different names records its rule and score in the entity's meta.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rigour.names.org_types import extract_org_types

from casegraph.resolve.blocking import candidate_pairs, other_keys, person_keys
from casegraph.resolve.matching import compare_others, compare_persons, given_compatible, tokens_equal
from casegraph.resolve.names import SUFFIXES, ParsedName, parse_name, parse_person

FAMILY = {"PERSON": "PO", "ORG": "PO", "GPE": "G", "LOC": "G", "FAC": "G", "NORP": "N", "EMAIL": "E"}
TYPE_ORDER = ["PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EMAIL"]
MAX_REASONS = 40
MAX_ANCHORS = 40
# How far back (characters) a titled surname ("Mr. Wade") looks for the person last named in
# full when several people of its document carry that surname.
ANTECEDENT_WINDOW = 3000


@dataclass
class Group:
    """Mentions (and e-mail parties) of one thing inside one document."""

    gid: int
    doc_id: str
    mentions: list[int] = field(default_factory=list)
    parties: list[int] = field(default_factory=list)
    names: Counter[str] = field(default_factory=Counter)  # plain display form → count
    parsed: dict[str, ParsedName] = field(default_factory=dict)  # key → parsed
    labels: Counter[str] = field(default_factory=Counter)  # label → weighted votes (float weights)
    addresses: set[str] = field(default_factory=set)
    anchors: list[tuple[str, int, int]] = field(default_factory=list)
    starts: dict[int, int] = field(default_factory=dict)  # mention id → its start in the document
    titled: set[int] = field(default_factory=set)  # mentions written with a title ("Mr. Wade")
    reasons: list[dict[str, Any]] = field(default_factory=list)  # joins made inside the document
    _best: ParsedName | None = None

    def add_name(self, parsed: ParsedName, label: str, weight: float = 1.0) -> None:
        self._best = None
        self.names[parsed.plain or parsed.display] += 1
        self.parsed.setdefault(parsed.key, parsed)
        if label:
            self.labels[label] += weight  # type: ignore[assignment]  # votes are weighted

    @property
    def family(self) -> str:
        if not self.labels:
            return "E"
        label = max(self.labels, key=lambda lab: (self.labels[lab], -TYPE_ORDER.index(lab)))
        return FAMILY.get(label, "O")

    @property
    def is_person(self) -> bool:
        return self.labels.get("PERSON", 0) >= max(self.labels.values(), default=0) and bool(self.labels)

    def rep(self) -> ParsedName:
        """best() for groups known to carry a name."""
        best = self.best()
        assert best is not None, "a group without a name has no representative"
        return best

    def best(self) -> ParsedName | None:
        """The fullest name of the group (most tokens, then alphabetical for stability)."""
        if not self.parsed:
            return None
        if self._best is None:
            self._best = max(self.parsed.values(), key=lambda p: (p.is_full, len(p.tokens), p.key))
        return self._best


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra
        return ra


# A title right before a surname ("Mr. Wade", "President Wade", "the ambassador, Mr. Smith").
_TITLE_BEFORE = re.compile(
    r"\b(?:mr|mrs|ms|miss|dr|prof|sir|president|minister|ambassador|senator|sen|congressman|"
    r"congresswoman|governor|gov|judge|justice|general|gen|secretary|chairman|director|prince|"
    r"princess|king|queen|sheikh|emir|mayor|lobbyist|attorney|agent|officer)\.?\s+$",
    re.IGNORECASE,
)
_CAPTION = re.compile(r"\S\s+vs?\.?\s+\S")
_NOT_IN_PERSON_NAMES = {"v", "vs", "and", "of", "the", "for", "on", "in", "at"}


def _usable(parsed: ParsedName, label: str = "") -> bool:
    """Whether a mention's text can name something. OCR'd tables and NER slips produce
    "JANET 334,001.00 1 CONDO", "Berkovitz v. United States", "TR" as persons: left out."""
    letters = sum(c.isalpha() for c in parsed.key)
    if letters < 2 or len(parsed.display) > 80 or len(parsed.tokens) > 8:
        return False
    if _CAPTION.search(parsed.display):  # "Berkovitz v. United States": a case, not a party
        return False
    if label == "PERSON":
        tokens = parsed.tokens
        if len(tokens) > 5 or any(not t.isalpha() for t in tokens) or _NOT_IN_PERSON_NAMES & set(tokens):
            return False
        if len(tokens) == 1 and len(tokens[0]) <= 2:
            return False
    return True


@lru_cache(maxsize=200_000)
def _read_name(text: str, label: str) -> tuple[str, ParsedName | None]:
    """(label, parsed name) of a mention's text, or (label, None) when it names nothing.
    Cached: the same strings recur thousands of times in a production."""
    label = _person_or_org(text, label)
    parsed = parse_name(text, label)
    return label, parsed if _usable(parsed, label) else None


def _person_or_org(text: str, label: str) -> str:
    """A name with a legal form ("Palm Beach LP", "Acme Inc") is an organisation whatever
    the model said."""
    if label == "PERSON":
        # generation suffixes ("II") are legal forms somewhere too: not evidence of a company
        forms = [f for f, _ in extract_org_types(text.lower()) if f.strip(". ") not in SUFFIXES]
        if forms:
            return "ORG"
    return label


# -- 1. groups within documents -------------------------------------------------------------


def build_groups(
    mentions: list[dict[str, Any]],
    parties: list[dict[str, Any]],
    text_of: Callable[[str], str] | None = None,
) -> list[Group]:
    groups: dict[tuple[str, ...], Group] = {}
    by_doc: dict[str, list[Group]] = defaultdict(list)

    def group_for(key: tuple[str, ...], doc_id: str) -> Group:
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(gid=len(groups), doc_id=doc_id)
            by_doc[doc_id].append(group)
        return group

    from casegraph.ingest.email_header import valid_address

    for m in mentions:
        label = m["label"]
        if "@" in m["text"] and valid_address(m["text"]) == m["text"].strip().lower():
            label = "EMAIL"  # the model tags addresses as ORG or PERSON; an address joins by address
        if label == "EMAIL":
            address = valid_address(m["text"])
            if not address:
                continue
            group = group_for((m["doc_id"], "@", address), m["doc_id"])
            group.addresses.add(address)
            group.labels["EMAIL"] += 1
        else:
            label, parsed = _read_name(m["text"], label)
            if parsed is None:
                continue
            if m.get("cluster"):
                key = (m["doc_id"], "c", m["cluster"])
            else:
                key = (m["doc_id"], FAMILY.get(label, "O"), parsed.key)
            group = group_for(key, m["doc_id"])
            # NER is surer of types on full names than on lone words ("Nazarbayev" as ORG)
            group.add_name(parsed, label, weight=2.0 if len(parsed.tokens) > 1 else 1.0)
            if parsed.plain and parsed.plain != parsed.display:  # "Mr. Aliyev", "President Wade"
                group.titled.add(m["id"])
        group.starts[m["id"]] = int(m.get("start") or 0)
        group.mentions.append(m["id"])
        if len(group.anchors) < MAX_ANCHORS:
            group.anchors.append((m["doc_id"], m["start"], m["end"]))

    for p in parties:
        _add_party(p, groups, group_for)

    _attach_local_surnames(by_doc, text_of)
    return [g for g in groups.values() if g.mentions or g.parties]


def _add_party(p: dict[str, Any], groups: dict[tuple[str, ...], Group], group_for: Any) -> None:
    """An e-mail party joins the document's group of the same name, else of the same
    address, else starts its own."""
    name: ParsedName | None = parse_person(_display_name(p["name"])) if p["name"] else None
    if name is not None and not _usable(name, "PERSON"):
        name = None
    found: Group | None = groups.get((p["doc_id"], "PO", name.key)) if name is not None else None
    if found is None and p["address"]:
        found = groups.get((p["doc_id"], "@", p["address"]))
    if found is None:
        if name is not None:
            found = group_for((p["doc_id"], "PO", name.key), p["doc_id"])
        elif p["address"]:
            found = group_for((p["doc_id"], "@", p["address"]), p["doc_id"])
        else:
            return
    assert found is not None
    if name is not None:
        found.add_name(name, "PERSON", weight=0.5)
    if p["address"]:
        found.addresses.add(p["address"])
    found.parties.append(p["id"])


def _display_name(name: str) -> str:
    from casegraph.resolve.names import invert_comma_name

    return invert_comma_name(name)


def _attach_local_surnames(
    by_doc: dict[str, list[Group]], text_of: Callable[[str], str] | None = None
) -> None:
    """Inside one document a lone surname ("Nazarbayev", "Mr. Aliyev") is the full name that
    carries it when exactly one person in the document does."""
    for doc_groups in by_doc.values():
        full = [
            g
            for g in doc_groups
            if g.family == "PO" and (b := g.best()) is not None and b.is_full and g.is_person
        ]
        if not full:
            continue
        for group in doc_groups:
            best = group.best()
            if best is None or not best.is_single or group.family != "PO" or not group.mentions:
                continue
            owners = [f for f in full if f is not group and tokens_equal(f.rep().surname, best.key)[0]]
            if not owners:  # a first name alone ("Kevan" after "Kevan Soto")
                owners = [
                    f for f in full if f is not group and f.rep().given and f.rep().given[0] == best.key
                ]
            owners = _distinct_people(owners)
            if len(owners) > 1:
                _split_by_antecedent(group, owners, text_of(group.doc_id) if text_of else "")
            if len(owners) == 1:
                target = owners[0]
                if target.rep().plain != best.plain and len(target.reasons) < MAX_REASONS:
                    target.reasons.append(
                        {
                            "rule": "surname in the document: the one person there who carries it",
                            "a": target.rep().plain,
                            "b": best.plain,
                            "score": 0.9,
                            "doc_id": group.doc_id,
                        }
                    )
                target.starts.update(group.starts)
                target.titled |= group.titled
                target.mentions += group.mentions
                target.parties += group.parties
                target.names.update(group.names)
                target.labels.update(group.labels)
                target.addresses |= group.addresses
                target.anchors += group.anchors[: max(0, MAX_ANCHORS - len(target.anchors))]
                for key, parsed in group.parsed.items():
                    target.parsed.setdefault(key, parsed)
                target._best = None
                group.mentions, group.parties = [], []


def _split_by_antecedent(group: Group, owners: list[Group], text: str = "") -> None:
    """A surname that several people of the document carry ("Wade": Abdoulaye and Karim
    Wade). Each of its mentions written with a title ("Mr. Wade", "President Wade") goes to
    the person named in full last before it, within ANTECEDENT_WINDOW characters, as a reader
    takes it; the reason is kept. Bare ones ("the Biden family") and those before any full
    name stay as they are: either person, or both."""
    moved: dict[int, list[int]] = defaultdict(list)
    for mid in group.mentions:
        if mid not in group.starts:
            continue
        # the model leaves the title out of the name ("Mr." of "Mr. Wade"): read it in the text
        start = group.starts[mid]
        if mid not in group.titled and not (text and _TITLE_BEFORE.search(text[max(0, start - 30) : start])):
            continue
        at = group.starts[mid]
        last: tuple[int, int] | None = None  # (start of the full mention, owner index)
        for i, owner in enumerate(owners):
            before = [s for m, s in owner.starts.items() if s < at and m not in owner.titled]
            if before and (last is None or max(before) > last[0]):
                last = (max(before), i)
        if last is not None and at - last[0] <= ANTECEDENT_WINDOW:
            moved[last[1]].append(mid)
    best = group.rep()
    for i, mids in moved.items():
        target = owners[i]
        target.mentions += mids
        target.names[best.plain or best.display] += len(mids)
        target.labels["PERSON"] += len(mids)
        for key, parsed in group.parsed.items():
            target.parsed.setdefault(key, parsed)
        target._best = None
        for mid in mids:
            target.starts[mid] = group.starts[mid]
            target.titled.add(mid)
        if len(target.reasons) < MAX_REASONS:
            target.reasons.append(
                {
                    "rule": "titled surname in the document: the person named in full last before it",
                    "a": target.rep().plain,
                    "b": best.plain,
                    "score": 0.8,
                    "doc_id": group.doc_id,
                    "mentions": len(mids),
                }
            )
    taken = {mid for mids in moved.values() for mid in mids}
    group.mentions = [m for m in group.mentions if m not in taken]


def _distinct_people(groups: list[Group]) -> list[Group]:
    """Drop groups that are only another spelling of a fuller group in the list."""
    out: list[Group] = []
    for group in sorted(groups, key=lambda g: -len(g.rep().tokens)):
        if not any(compare_persons(group.rep(), kept.rep()).same for kept in out):
            out.append(group)
    return out


# -- 2. joining across documents --------------------------------------------------------------


class Clusters:
    """Union-find over groups that refuses unions joining people with different given names."""

    def __init__(self, groups: list[Group]):
        self.groups = groups
        self.by_gid = {g.gid: g for g in groups}
        self.uf = UnionFind()
        self.full: dict[int, dict[str, ParsedName]] = {}
        for g in groups:
            self.uf.find(g.gid)
            self.full[g.gid] = {k: p for k, p in g.parsed.items() if p.is_full and g.is_person}
        self.reasons: dict[int, list[dict[str, Any]]] = defaultdict(list)
        # lone names no person carries, joined by their word across documents (step d)
        self.leftover: set[int] = set()

    def root(self, gid: int) -> int:
        return self.uf.find(gid)

    def compatible(self, a: int, b: int) -> bool:
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return True
        for x in self.full[ra].values():
            for y in self.full[rb].values():
                if tokens_equal(x.surname, y.surname)[0] and not (
                    given_compatible(x.given, y.given)
                    and (not x.suffixes or not y.suffixes or x.suffixes == y.suffixes)
                ):
                    return False
        return True

    def union(
        self, a: int, b: int, rule: str, score: float, names: tuple[str, str], force: bool = False
    ) -> bool:
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return False
        if not force and not self.compatible(ra, rb):
            return False
        root = self.uf.union(ra, rb)
        other = rb if root == ra else ra
        self.full[root].update(self.full.pop(other))
        reasons = self.reasons[root] + self.reasons.pop(other, [])
        if names[0] != names[1] and len(reasons) < MAX_REASONS:
            reasons.append({"rule": rule, "a": names[0], "b": names[1], "score": round(score, 3)})
        self.reasons[root] = reasons
        return True


def name_key(g: Group) -> tuple[str, str] | None:
    """(family, key) under which a group joins the others of the same name; None for a group
    without a name and for a lone person's name (a surname or given name: step d)."""
    best = g.best()
    if best is None or (best.is_single and g.family == "PO"):
        return None
    family = "PO" if len(best.tokens) > 1 and g.family in ("PO", "G") else g.family
    return family, best.key


def is_lone_name(g: Group) -> bool:
    best = g.best()
    return best is not None and best.is_single and g.family == "PO"


def rep_tables(
    by_key: dict[tuple[str, str], list[Group]],
) -> tuple[dict[str, tuple[int, ParsedName]], dict[str, tuple[int, ParsedName]]]:
    """The names fuzzy matching compares: full persons' names written like names (which
    also anchor lone surnames), and organisations' and places' names; one group per key."""
    reps: dict[str, tuple[int, ParsedName]] = {}
    others: dict[str, tuple[int, ParsedName]] = {}
    for (family, key), members in by_key.items():
        best = members[0].rep()
        if family == "PO" and members[0].is_person and best.is_full and _written_like_a_name(members):
            reps.setdefault(key, (members[0].gid, best))
        elif family in ("PO", "G"):
            others.setdefault(key, (members[0].gid, best))
    return reps, others


def join_groups(groups: list[Group]) -> Clusters:
    clusters = Clusters(groups)
    singles: list[Group] = []
    by_key: dict[tuple[str, str], list[Group]] = defaultdict(list)
    for g in groups:
        if is_lone_name(g):
            singles.append(g)
        elif (found := name_key(g)) is not None:
            by_key[found].append(g)

    # a. the same name
    for members in by_key.values():
        for other in members[1:]:
            clusters.union(
                members[0].gid, other.gid, "same name", 1.0, (members[0].rep().plain, other.rep().plain)
            )

    # b. the same e-mail address (the documents put name and address together)
    by_address: dict[str, list[Group]] = defaultdict(list)
    for g in groups:
        for address in g.addresses:
            by_address[address].append(g)
    for address, members in by_address.items():
        for other in members[1:]:
            a, b = members[0], other
            clusters.union(
                a.gid, b.gid, f"same e-mail address {address}", 1.0, (_label(a), _label(b)), force=True
            )

    # c. compatible full names (spelling variants, initials, transliterations, OCR)
    reps, others = rep_tables(by_key)
    _join_fuzzy(clusters, reps, person_keys, compare_persons, given_initial=True)
    _join_fuzzy(clusters, others, other_keys, compare_others, given_initial=False)

    # d. lone surnames
    _join_singles(clusters, singles, reps)
    return clusters


_PARTICLES = {
    "de",
    "da",
    "di",
    "du",
    "del",
    "della",
    "van",
    "von",
    "der",
    "den",
    "bin",
    "ibn",
    "al",
    "el",
    "la",
    "le",
}


def _written_like_a_name(groups: list[Group]) -> bool:
    """Some writing of it capitalises every word (particles aside) and has no possessive:
    "Karim Massimov" yes; "qoq ann", "Hamilton's Rule" (NER slips on OCR) no. Only such
    names anchor variant spellings and lone surnames."""
    for g in groups:
        for surface in g.names:
            words = surface.replace("-", " ").split()
            if re.search(r"['’]s\b", surface):  # a possessive, not O'Brien
                continue
            if all(w[:1].isupper() or w.lower() in _PARTICLES for w in words):
                return True
    return False


def _label(g: Group) -> str:
    best = g.best()
    return best.plain if best is not None else sorted(g.addresses)[0]


def _join_fuzzy(
    clusters: Clusters,
    reps: dict[str, tuple[int, ParsedName]],
    keys_of: Any,
    compare: Any,
    given_initial: bool,
) -> None:
    items = list(reps.values())

    def keyed() -> Iterator[tuple[int, set[str]]]:
        for i, (_, parsed) in enumerate(items):
            keys = keys_of(parsed)
            if given_initial and parsed.given:
                keys = {f"{k}|{parsed.given[0][0]}" for k in keys}
            yield i, keys

    judged = []
    for i, j in candidate_pairs(keyed()):
        (ga, pa), (gb, pb) = items[i], items[j]
        if clusters.root(ga) == clusters.root(gb):
            continue
        verdict = compare(pa, pb)
        if verdict.same:
            judged.append((verdict.score, ga, gb, verdict.reason, pa.plain, pb.plain))
    for score, ga, gb, reason, na, nb in sorted(judged, key=lambda t: (-t[0], t[4], t[5])):
        clusters.union(ga, gb, reason, score, (na, nb))


def _join_singles(clusters: Clusters, singles: list[Group], reps: dict[str, tuple[int, ParsedName]]) -> None:
    """Lone surnames: first those only one person carries; then, with those settled, the
    ambiguous ones by the company their document keeps; the rest stay apart (not guessed)."""
    by_surname: dict[str, set[int]] = defaultdict(set)  # surname → people (group ids) carrying it
    surname_keys: dict[str, set[str]] = defaultdict(set)
    for gid, parsed in reps.values():
        by_surname[parsed.surname].add(gid)
        for key in person_keys(parsed):
            surname_keys[key].add(parsed.surname)

    as_given: Counter[str] = Counter(p.given[0] for _, p in reps.values() if p.given and len(p.given[0]) > 1)
    as_surname: Counter[str] = Counter(p.surname for _, p in reps.values())

    def candidates(g: Group) -> set[int]:
        token = g.rep().key
        # a lone word differs from a surname only where both are long (Masimov / Massimov);
        # short ones are too often other names (Lemon / LeMond, Barak / Baraka)
        # and a word in capitals (court captions "EPSTEIN", OCR'd tables "SOMMER") only as written
        shouted = all(n.isupper() for n in g.names)
        surnames = {
            s
            for k in person_keys(g.rep())
            for s in surname_keys.get(k, ())
            if s == token or (not shouted and min(len(s), len(token)) >= 7 and tokens_equal(s, token)[0])
        }
        return {clusters.root(gid) for s in surnames for gid in by_surname[s]}

    def eligible(g: Group) -> bool:
        token = g.rep().key
        if as_given[token] > as_surname[token]:  # "Bob", "Robert": a given name, not a surname
            return False
        return g.labels.get("PERSON", 0) + g.labels.get("ORG", 0) > 0

    ambiguous: list[tuple[Group, set[int]]] = []
    leftovers: dict[str, list[Group]] = defaultdict(list)
    for g in singles:
        found = candidates(g) if eligible(g) else set()
        if len(found) == 1:
            chosen = next(iter(found))
            clusters.union(
                chosen,
                g.gid,
                "surname of the only person carrying it",
                0.7,
                (_label(clusters.by_gid[chosen]), _label(g)),
            )
        elif found:
            ambiguous.append((g, found))
        else:
            leftovers[g.rep().key].append(g)

    doc_roots: dict[str, set[int]] = defaultdict(set)
    root_docs: dict[int, set[str]] = defaultdict(set)
    for g in clusters.groups:
        doc_roots[g.doc_id].add(clusters.root(g.gid))
        root_docs[clusters.root(g.gid)].add(g.doc_id)
    company_cache: dict[int, Counter[int]] = {}

    def company(root: int) -> Counter[int]:
        """Roots that share documents with this cluster (its usual company)."""
        if root not in company_cache:
            counter: Counter[int] = Counter()
            for doc in root_docs[root]:
                counter.update(doc_roots[doc] - {root})
            company_cache[root] = counter
        return company_cache[root]

    decisions = []
    for g, found in ambiguous:
        found = {clusters.root(r) for r in found}
        context = doc_roots[g.doc_id] - {clusters.root(g.gid)} - found
        scored = sorted(((sum(1 for r in context if company(c)[r]), c) for c in found), reverse=True)
        if len(scored) == 1 or (scored[0][0] >= 1 and scored[0][0] > scored[1][0]):
            decisions.append((g, scored[0][1]))
        else:
            leftovers[g.rep().key].append(g)
    for g, chosen in decisions:  # decided on the same snapshot, applied after
        clusters.union(
            chosen,
            g.gid,
            "surname; the document shares this person's company",
            0.6,
            (_label(clusters.by_gid[chosen]), _label(g)),
        )
    # A lone given name ("Robert", "Darren") is no identity across documents: each document's
    # stays its own (within a document it already joined the full name where there was one).
    for token, members in leftovers.items():
        if as_given[token] > as_surname[token]:
            continue
        clusters.leftover.update(g.gid for g in members)
        for other in members[1:]:
            clusters.union(members[0].gid, other.gid, "same name", 1.0, (_label(members[0]), _label(other)))


# -- 3. entities ------------------------------------------------------------------------------


_NO_ANCHOR = ("\uffff", 0, 0)  # groups without a span (e-mail parties only) come last


def make_entities(groups: list[Group], clusters: Clusters) -> list[dict[str, Any]]:
    members: dict[int, list[Group]] = defaultdict(list)
    for g in groups:
        members[clusters.root(g.gid)].append(g)
    entities = []
    used_ids: set[str] = set()
    # in an order that does not depend on the order documents were stored in (many writers
    # store them in the order they finish): by each cluster's first span, so that a name two
    # entities share gives its plain id to the same one whichever process built the case
    for gs in members.values():
        gs.sort(key=lambda g: (min(g.anchors, default=_NO_ANCHOR), g.gid))
    for root, gs in sorted(
        members.items(), key=lambda kv: (min(kv[1][0].anchors, default=_NO_ANCHOR), kv[0])
    ):
        labels: Counter[str] = Counter()
        names: Counter[str] = Counter()
        keys: Counter[str] = Counter()
        parsed_by_key: dict[str, ParsedName] = {}
        addresses: set[str] = set()
        mention_ids: list[int] = []
        party_ids: list[int] = []
        anchors: list[tuple[str, int, int]] = []
        reasons = list(clusters.reasons.get(root, []))
        for g in gs:
            reasons += g.reasons[: max(0, MAX_REASONS - len(reasons))]
            labels.update(g.labels)
            names.update(g.names)
            for key, parsed in g.parsed.items():
                keys[key] += max(1, len(g.mentions))
                parsed_by_key.setdefault(key, parsed)
            addresses |= g.addresses
            mention_ids += g.mentions
            party_ids += g.parties
            if len(anchors) < MAX_ANCHORS:
                anchors += g.anchors[: MAX_ANCHORS - len(anchors)]
        type_ = vote_type(labels)
        name, key = canonical_name(type_, keys, parsed_by_key, names, addresses)
        entity_id = stable_id(type_, key, anchors, used_ids)
        used_ids.add(entity_id)
        aliases = [n for n, _ in names.most_common() if n != name][:50] + sorted(addresses)
        entities.append(
            {
                "id": entity_id,
                "name": name,
                "type": type_,
                "aliases": aliases,
                "mention_ids": mention_ids,
                "party_ids": party_ids,
                "anchors": anchors,
                "meta": {
                    "reasons": reasons,
                    "labels": dict(labels.most_common()),
                    "emails": sorted(addresses),
                    "key": key,
                    # what incremental resolution adds new documents' names to (resolve/state.py)
                    "names": dict(names),
                    "key_counts": dict(keys),
                },
            }
        )
    return entities


def vote_type(labels: Counter[str]) -> str:
    votes = {k: v for k, v in labels.items() if k != "EMAIL"}
    if not votes:
        return "PERSON" if labels else "EMAIL"
    best: str = max(votes, key=lambda lab: (votes[lab], -TYPE_ORDER.index(lab) if lab in TYPE_ORDER else -99))
    return best


def canonical_name(
    type_: str, keys: Counter[str], parsed: dict[str, ParsedName], names: Counter[str], addresses: set[str]
) -> tuple[str, str]:
    if not keys:
        address = sorted(addresses)[0]
        return address, address
    if type_ == "PERSON":
        key = max(keys, key=lambda k: (parsed[k].is_full, keys[k], len(parsed[k].tokens), k))
    else:
        key = max(keys, key=lambda k: (keys[k], len(k), k))
    chosen = parsed[key]
    surfaces = [n for n, _ in names.most_common() if parse_name(n, type_).key == key]
    name = (
        next((n for n in surfaces if _well_cased(n)), None)
        or (surfaces or [chosen.plain or chosen.display])[0]
    )
    if name.isupper() and len(name) > 5:  # registers and OCR shout: "KAZAKHSTAN" reads as "Kazakhstan"
        name = _title(name)
    return name, key


_LOWER_WORDS = {"of", "the", "and", "for", "in", "on", "at", "de", "du", "la", "le", "van", "von"}


def _title(name: str) -> str:
    """ "PALM BEACH LP" → "Palm Beach LP", "MINISTRY OF JUSTICE" → "Ministry of Justice"."""
    forms = {f.strip(". ") for f, _ in extract_org_types(name.lower()) if len(f.strip(". ")) <= 4}
    words = []
    for i, word in enumerate(name.split(" ")):
        bare = word.lower().strip(".,")
        if bare in forms:
            words.append(word.upper())
        elif i and bare in _LOWER_WORDS:
            words.append(word.lower())
        else:
            words.append(word.capitalize())
    return " ".join(words)


def _well_cased(name: str) -> bool:
    """ "Kazakhstan", "Jeffrey Epstein", "US", "U.S." yes; "KAZAKHSTAN", "jeffrey E." no."""
    letters = [c for c in name if c.isalpha()]
    if not letters or not name[:1].isupper():
        return False
    return not name.isupper() or len(letters) <= 4


def stable_id(type_: str, key: str, anchors: list[tuple[str, int, int]], used: set[str]) -> str:
    """Same name and type family → same id across runs; a clash adds the first anchor."""
    family = FAMILY.get(type_, "O")
    entity_id = "ent-" + hashlib.sha1(f"{family}|{key}".encode()).hexdigest()[:12]
    if entity_id in used:
        anchor = min(anchors) if anchors else ("", 0, 0)
        entity_id = "ent-" + hashlib.sha1(f"{family}|{key}|{anchor}".encode()).hexdigest()[:12]
    return entity_id


def resolve_rows(
    mentions: list[dict[str, Any]],
    parties: list[dict[str, Any]],
    text_of: Callable[[str], str] | None = None,
) -> list[dict[str, Any]]:
    """The whole machine resolution over plain rows: returns entity dicts with mention_ids."""
    groups = build_groups(mentions, parties, text_of)
    clusters = join_groups(groups)
    return make_entities(groups, clusters)
