"""Synthetic cohorts with a known complementary pairing, for tests, benchmarks and demos.

Every person gets a planted partner: A offers skill x and needs y, B offers y and needs x, each phrased
with different words (a vocabulary of skills, each offered and needed in several phrasings, wrapped in
templates), plus distractor offers and needs. Some people's managers are in the cohort and offer exactly
what their report needs: a tempting pair that the hard constraint must refuse. The ground truth (which
skill each item is) says whether a pair is *mutually complementary*: each offers something the other needs.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kickcoach.programme.inventory import COLUMNS, ITEM_SEPARATOR, Participant

DEFAULT_VOCABULARY = Path(__file__).with_name("data") / "synthetic_skills.yaml"
FIRST = ["Ada", "Ben", "Chloe", "Dev", "Esme", "Farid", "Grace", "Hugo", "Ines", "Jonah", "Kemi", "Luis", "Maya",
         "Nils", "Olu", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Vik", "Wen", "Yusuf", "Zoe"]
LAST = ["Adams", "Bauer", "Chen", "Diaz", "Evans", "Fischer", "Gupta", "Hale", "Ito", "Jones", "Khan", "Lopez",
        "Moreau", "Novak", "Okafor", "Park", "Rossi", "Silva", "Tanaka", "Weber"]


@dataclass(frozen=True)
class Vocabulary:
    offer_templates: tuple[str, ...]
    need_templates: tuple[str, ...]
    skills: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # skill → (offer phrasings, need phrasings)

    def phrase(self, rng: random.Random, skill: str, side: str) -> str:
        offers, needs = self.skills[skill]
        phrasing = rng.choice(offers if side == "offers" else needs)
        template = rng.choice(self.offer_templates if side == "offers" else self.need_templates)
        return template.format(x=phrasing)


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    data = yaml.safe_load((path or DEFAULT_VOCABULARY).read_text(encoding="utf-8"))
    skills = {name: (tuple(v["offers"]), tuple(v["needs"])) for name, v in data["skills"].items()}
    return Vocabulary(tuple(data["offer_templates"]), tuple(data["need_templates"]), skills)


@dataclass
class SyntheticCohort:
    people: list[Participant]
    offer_skills: dict[str, set[str]] = field(default_factory=dict)
    need_skills: dict[str, set[str]] = field(default_factory=dict)
    planted: list[tuple[str, str]] = field(default_factory=list)
    item_skill: dict[str, str] = field(default_factory=dict)  # phrase → skill (for concept-level test embeddings)

    def mutual(self, a: str, b: str) -> bool:
        return bool(self.offer_skills[a] & self.need_skills[b]) and bool(self.offer_skills[b] & self.need_skills[a])

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        for p in self.people:
            joined = f"{ITEM_SEPARATOR} "
            writer.writerow([p.name, p.email, p.team, p.manager, joined.join(p.offers), joined.join(p.needs)])
        return buffer.getvalue()


def generate(
    size: int,
    *,
    seed: int = 0,
    vocabulary: Vocabulary | None = None,
    extra_offers: tuple[int, int] = (1, 2),
    extra_needs: tuple[int, int] = (0, 1),
    teams: int = 8,
    manager_share: float = 0.15,
    domain: str = "example.org",
) -> SyntheticCohort:
    """``size`` people (even) in planted complementary pairs, on different teams, never each other's manager."""
    if size < 2 or size % 2:
        raise ValueError("size must be an even number of at least 2")
    vocab = vocabulary or load_vocabulary()
    rng = random.Random(seed)
    names = list(vocab.skills)
    cohort = SyntheticCohort(people=[])
    rows: list[dict] = []
    for _k in range(size // 2):
        x, y = rng.sample(names, 2)
        team = rng.randrange(teams)
        for offer, need, team_no in ((x, y, team), (y, x, (team + 1) % teams)):
            index = len(rows)
            email = f"{FIRST[index % len(FIRST)].lower()}.{LAST[(index // len(FIRST)) % len(LAST)].lower()}{index}@{domain}"
            rows.append({"email": email, "name": f"{FIRST[index % len(FIRST)]} {LAST[(index // len(FIRST)) % len(LAST)]}",
                         "team": f"Team {team_no + 1}", "manager": "", "offers": [(offer, vocab.phrase(rng, offer, "offers"))],
                         "needs": [(need, vocab.phrase(rng, need, "needs"))]})
        cohort.planted.append((rows[-2]["email"], rows[-1]["email"]))
    for row in rows:
        own_needs = {s for s, _ in row["needs"]}
        for _ in range(rng.randint(*extra_offers)):
            skill = rng.choice([s for s in names if s not in own_needs])
            row["offers"].append((skill, vocab.phrase(rng, skill, "offers")))
        own_offers = {s for s, _ in row["offers"]}
        for _ in range(rng.randint(*extra_needs)):
            skill = rng.choice([s for s in names if s not in own_offers])
            row["needs"].append((skill, vocab.phrase(rng, skill, "needs")))
    partner = {a: b for a, b in cohort.planted} | {b: a for a, b in cohort.planted}
    by_email = {r["email"]: r for r in rows}
    for row in rows:
        if rng.random() >= manager_share:
            continue
        candidates = [r for r in rows if r["email"] not in (row["email"], partner[row["email"]])
                      and r["manager"] != row["email"]]
        boss = rng.choice(candidates)
        row["manager"] = boss["email"]
        row["team"] = boss["team"]
        if by_email[partner[row["email"]]]["team"] == row["team"]:  # keep the planted pair on different teams
            row["team"] = f"{row['team']} (ops)"
        need_skill = row["needs"][0][0]  # the manager is tempting: they offer exactly what the report needs
        boss["offers"].append((need_skill, vocab.phrase(rng, need_skill, "offers")))
    for a, b in cohort.planted:  # a later manager move may have put a planted pair on one team
        if by_email[a]["team"] == by_email[b]["team"]:
            by_email[b]["team"] += " (field)"
    for row in rows:
        offers = _unique(row["offers"])
        needs = _unique(row["needs"])
        cohort.offer_skills[row["email"]] = {s for s, _ in offers}
        cohort.need_skills[row["email"]] = {s for s, _ in needs}
        cohort.item_skill.update({text: s for s, text in offers + needs})
        cohort.people.append(Participant(email=row["email"], name=row["name"], team=row["team"], manager=row["manager"],
                                         offers=tuple(t for _, t in offers), needs=tuple(t for _, t in needs),
                                         source="csv"))
    return cohort


def _unique(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: set[str] = set()
    kept = []
    for skill, text in items:
        if text.lower() not in seen:
            seen.add(text.lower())
            kept.append((skill, text))
    return kept
