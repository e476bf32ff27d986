"""The office's policy (the `office:` section of docgen.yaml): languages, contract rule, signatories, import, formats."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field

from docgen.errors import Problem
from docgen.model.loader import SourceMap, load_yaml
from docgen.model.models import Country, Institution, LangCode, LocalText, Model, Name, Text
from docgen.model.validation import validate

CONFIG_NAME = "docgen.yaml"
FORMATS: tuple[str, ...] = ("docx", "pdf")
DEFAULT_WORKING_LANGUAGE = "en"  # the Erasmus+ programme's common language, not any office's


class ContractPolicy(Model):
    """Languages of the grant contract: the office's version, beside the participant's when that differs."""

    language: LangCode | None = None  # empty: the office language
    # Participant's nationality → language of their version. Empty: each nationality's official language when
    # the office ships documents in it, else `other`.
    by_nationality: dict[Country, LangCode] | None = None
    other: LangCode | None = None  # every nationality not covered; empty: the working language


class LetterPolicy(Model):
    """The letter to a partner's rector: the office language at home and to partners whose bilateral
    agreement is printed in it, `foreign` to everyone else."""

    language: LangCode | None = None  # empty: the office language
    foreign: LangCode | None = None  # empty: the working language


class ImportPolicy(Model):
    """How `docgen import` reads a recruitment sheet."""

    # Dates written as text: ISO (YYYY-MM-DD) is always read; this is the office's other way, or none.
    date_format: Literal["DD.MM.YYYY", "MM/DD/YYYY", "DD/MM/YYYY", "YYYY-MM-DD"] = "YYYY-MM-DD"
    mapping: Text | None = None  # a mapping file relative to docgen.yaml; empty: docgen's own


class Signatory(Model):
    """Someone who signs for the home institution in one role (rector, prorector, bursar, ...)."""

    name: Name
    title: Name | None = None
    function: LocalText


class OfficePolicy(Model):
    """What differs from office to office; every default is neutral or derived from the home institution's data."""

    language: LangCode | None = None  # the office's own language; empty: the home country's official language
    working_language: LangCode = DEFAULT_WORKING_LANGUAGE
    # Languages the office prints documents in; empty: every language with a catalog.
    document_languages: list[LangCode] | None = None
    contract: ContractPolicy = ContractPolicy()
    letter: LetterPolicy = LetterPolicy()
    # The confirmation of stay of an incoming participant; empty: [office language, working language].
    confirmation_languages: list[LangCode] | None = Field(default=None, min_length=1, max_length=2)
    importer: ImportPolicy = ImportPolicy()
    formats: list[Literal["docx", "pdf"]] = Field(default=list(FORMATS), min_length=1)
    # role → who signs in it; a document kind → the role that signs it for the home institution (empty: the
    # legal representative of institution.yaml).
    signatories: dict[Text, Signatory] = {}
    signs: dict[Text, Text] = {}

    # ------------------------------------------------------------ resolved (neutral defaults filled in)

    def office_language(self, home: Institution | None) -> str:
        if self.language:
            return self.language
        if home is not None:
            from babel.languages import get_official_languages

            found = get_official_languages(home.country, de_facto=True)
            if found:
                return found[0].split("_")[0]
        return self.working_language

    def contract_language(self, home: Institution | None) -> str:
        return self.contract.language or self.office_language(home)

    def participant_language(self, nationality: str, shipped: frozenset[str] | set[str]) -> str:
        other = self.contract.other or self.working_language
        if self.contract.by_nationality is not None:
            return self.contract.by_nationality.get(nationality, other)
        from babel.languages import get_official_languages

        for lang in get_official_languages(nationality, de_facto=True):
            lang = lang.split("_")[0]
            if lang in shipped:
                return lang
        return other

    def letter_languages(self, home: Institution | None) -> tuple[str, str]:
        """(to partners at home or sharing the office language, to everyone else)."""
        return (self.letter.language or self.office_language(home),
                self.letter.foreign or self.working_language)

    def confirmation(self, home: Institution | None) -> tuple[str, ...]:
        if self.confirmation_languages:
            return tuple(self.confirmation_languages)
        office = self.office_language(home)
        return (office,) if office == self.working_language else (office, self.working_language)


def find_config(data_dir: Path) -> Path | None:
    """docgen.yaml beside the data folder or one level above it (until the Site finds it by walking up)."""
    for folder in (data_dir, data_dir.resolve().parent):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class PolicyFile:
    """The policy read, where from (its `office:` section, for located problems), and what was wrong in it."""

    policy: OfficePolicy
    path: Path | None = None
    source: SourceMap | None = None
    problems: tuple[Problem, ...] = ()


def load_policy(data_dir: Path) -> PolicyFile:
    """The `office:` section of the docgen.yaml found for `data_dir`, validated with located problems."""
    path = find_config(data_dir)
    if path is None:
        return PolicyFile(OfficePolicy())
    loaded = load_yaml(path)
    data = loaded.data
    if not isinstance(data, dict) or data.get("office") is None:
        return PolicyFile(OfficePolicy(), path, loaded.source, tuple(loaded.problems))
    policy, found = validate(OfficePolicy, loaded, ("office",))
    return PolicyFile(policy or OfficePolicy(), path, loaded.source, tuple(loaded.problems) + tuple(found))
