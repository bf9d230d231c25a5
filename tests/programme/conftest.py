"""Programme fixtures: concept-level test embeddings for synthetic cohorts, a service on a temporary home."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from kickcoach.programme.scoring import item_key
from kickcoach.programme.service import ProgrammeService

KICKOFF = dt.date(2027, 1, 4)


class ConceptEmbeddings(Embeddings):
    """Each known item text → the one-hot vector of its skill (what a perfect embedding model would say).

    Unknown texts get a vector of their own, similar to nothing. Lets unit tests check the pipeline's logic
    without the real model; the real model is checked in test_integration.py and the benchmark.
    """

    def __init__(self, item_skill: dict[str, str]) -> None:
        self.skill_of = {item_key(t): s for t, s in item_skill.items()}
        self.skills = sorted(set(self.skill_of.values()))
        self.unknown: dict[str, int] = {}

    def _vector(self, text: str) -> list[float]:
        size = len(self.skills) + 256
        v = np.zeros(size)
        skill = self.skill_of.get(item_key(text))
        if skill is None:
            v[len(self.skills) + self.unknown.setdefault(item_key(text), len(self.unknown)) % 256] = 1
        else:
            v[self.skills.index(skill)] = 1
        return v.tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


@pytest.fixture
def programme_service(services) -> ProgrammeService:
    return ProgrammeService(services)


@pytest.fixture
def spring(programme_service):
    return programme_service.create("Spring 2027", today=KICKOFF)


CSV_HEADER = "name,email,team,manager,offers,needs\n"
SMALL_CSV = (
    CSV_HEADER
    + "Ada Lovelace,ada@example.org,Data,,SQL queries; Python scripts,public speaking practice\n"
    + "Ben Okafor,ben@example.org,Sales,,public speaking practice; negotiation,SQL queries\n"
    + "Chloe Diaz,chloe@example.org,Design,,Figma design,negotiation help\n"
    + "Dev Patel,dev@example.org,Sales,ben@example.org,negotiation help; Excel models,Figma design\n"
)


@pytest.fixture
def small_csv() -> str:
    return SMALL_CSV


@pytest.fixture
def concept_embeddings():
    return ConceptEmbeddings
