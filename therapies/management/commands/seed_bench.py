"""`manage.py seed_bench`: fill a scratch database with a large, realistic and clearly
synthetic catalogue, for benchmarks.

    manage.py seed_bench --therapies 2000 --combinations 5000 --trials 50000

Items get the version histories real content has (published; also superseded; a version in
progress beside the live one; only a draft; unpublished), Markdown bodies with headings,
tables, lists and links, citations, cross-links, and trial fields drawn from realistic
distributions. Everything is marked as invented: titles end in " [synthetic]", summaries start
"Synthetic benchmark record", slugs start with "bench-", and NCT IDs and PubMed IDs lie in
90000000–99999999, far above any real identifier. The command refuses a database that already
holds content unless --force, so it cannot mix invented trials into a real catalogue.

Rows are written with bulk_create, which skips `ContentVersion.save()`, so the fields save()
derives are written here: body_html and body_text come from a pool of bodies rendered once
(see `BodyTemplate`), and on PostgreSQL search_vector is set by one UPDATE per batch with the
expression `ContentVersion.search_document` writes.
"""

import datetime
import math
import random
import re
import time
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from itertools import accumulate

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.utils import timezone

from therapies import catalog, pagecache
from therapies.markdown import html_to_text, render_markdown
from therapies.models import (
    CONTENT_KINDS,
    SEARCH_CONFIG,
    CancerType,
    Citation,
    CombinationEntry,
    CombinationEntryCitation,
    CombinationEntryVersion,
    EvidenceLevel,
    OverallStatus,
    TherapyArticle,
    TherapyArticleCitation,
    TherapyArticleVersion,
    TherapyClass,
    TrialNote,
    TrialNoteCitation,
    TrialPhase,
    VersionState,
)

S = VersionState
BATCH_SIZE = 1000  # items per transaction; their versions and links go in the same one
SLUG_PREFIX = "bench-"
# Invented identifiers live far above the real ones (real NCT IDs and PubMed IDs are still
# below 50000000), so a seeded row is never mistaken for, or linked to, a real source.
FIRST_NCT_NUMBER = 90_000_000
LAST_NCT_NUMBER = 99_999_999
FIRST_PMID = 90_000_000
CITATION_POOL_SIZE = 1000
HISTORY_YEARS = 8

# ---------------------------------------------------------------------------------------------
# Vocabularies. Lists are in order of how often they occur: `Weighted.zipf` gives the first
# entries most of the weight and the rest a long tail, as in a real trial registry.
# ---------------------------------------------------------------------------------------------

CANCER_TYPES = [  # (slug, name); the demo content's spelling where it has the type
    ("melanoma", "Melanoma"),
    ("non-small-cell-lung-cancer", "Non-small-cell lung cancer"),
    ("renal-cell-carcinoma", "Renal cell carcinoma"),
    ("urothelial-carcinoma", "Urothelial carcinoma"),
    ("large-b-cell-lymphoma", "Large B-cell lymphoma"),
    ("b-cell-acute-lymphoblastic-leukemia", "B-cell acute lymphoblastic leukemia"),
    ("multiple-myeloma", "Multiple myeloma"),
    ("hepatocellular-carcinoma", "Hepatocellular carcinoma"),
    ("head-and-neck-squamous-cell-carcinoma", "Head and neck squamous cell carcinoma"),
    ("triple-negative-breast-cancer", "Triple-negative breast cancer"),
    ("colorectal-cancer", "Colorectal cancer"),
    ("gastric-cancer", "Gastric cancer"),
    ("small-cell-lung-cancer", "Small-cell lung cancer"),
    ("hodgkin-lymphoma", "Hodgkin lymphoma"),
    ("oesophageal-cancer", "Oesophageal cancer"),
    ("cervical-cancer", "Cervical cancer"),
    ("endometrial-cancer", "Endometrial cancer"),
    ("merkel-cell-carcinoma", "Merkel cell carcinoma"),
    ("cutaneous-squamous-cell-carcinoma", "Cutaneous squamous cell carcinoma"),
    ("mesothelioma", "Mesothelioma"),
    ("prostate-cancer", "Prostate cancer"),
    ("ovarian-cancer", "Ovarian cancer"),
    ("follicular-lymphoma", "Follicular lymphoma"),
    ("mantle-cell-lymphoma", "Mantle cell lymphoma"),
    ("chronic-lymphocytic-leukemia", "Chronic lymphocytic leukemia"),
    ("acute-myeloid-leukemia", "Acute myeloid leukemia"),
    ("uveal-melanoma", "Uveal melanoma"),
    ("glioblastoma", "Glioblastoma"),
    ("pancreatic-cancer", "Pancreatic cancer"),
    ("biliary-tract-cancer", "Biliary tract cancer"),
    ("nasopharyngeal-carcinoma", "Nasopharyngeal carcinoma"),
    ("non-muscle-invasive-bladder-cancer", "Non-muscle-invasive bladder cancer"),
    ("soft-tissue-sarcoma", "Soft tissue sarcoma"),
    ("synovial-sarcoma", "Synovial sarcoma"),
    ("basal-cell-carcinoma", "Basal cell carcinoma"),
    ("anal-cancer", "Anal cancer"),
    ("neuroblastoma", "Neuroblastoma"),
    ("primary-mediastinal-b-cell-lymphoma", "Primary mediastinal B-cell lymphoma"),
    ("peripheral-t-cell-lymphoma", "Peripheral T-cell lymphoma"),
    ("thymic-carcinoma", "Thymic carcinoma"),
]

SOLID_TUMOURS = [
    "Melanoma", "Non-small Cell Lung Cancer", "Renal Cell Carcinoma", "Urothelial Carcinoma",
    "Hepatocellular Carcinoma", "Head and Neck Squamous Cell Carcinoma",
    "Triple Negative Breast Cancer", "Colorectal Cancer", "Gastric Cancer",
    "Small Cell Lung Cancer", "Esophageal Squamous Cell Carcinoma", "Cervical Cancer",
    "Endometrial Cancer", "Ovarian Cancer", "Prostate Cancer", "Pancreatic Cancer",
    "Glioblastoma", "Merkel Cell Carcinoma", "Cutaneous Squamous Cell Carcinoma",
    "Pleural Mesothelioma", "Uveal Melanoma", "Soft Tissue Sarcoma", "Biliary Tract Cancer",
    "Nasopharyngeal Carcinoma", "Gastroesophageal Junction Adenocarcinoma", "Bladder Cancer",
    "Basal Cell Carcinoma", "Anal Canal Squamous Cell Carcinoma", "Neuroblastoma",
    "Osteosarcoma", "Thyroid Cancer", "Synovial Sarcoma", "Thymic Carcinoma",
    "Cholangiocarcinoma", "Kaposi Sarcoma", "Penile Cancer", "Vulvar Cancer",
    "Adrenocortical Carcinoma", "Brain Metastases", "Solid Tumors",
]  # fmt: skip
BLOOD_CANCERS = [
    "Diffuse Large B-cell Lymphoma", "Multiple Myeloma", "B-cell Acute Lymphoblastic Leukemia",
    "Hodgkin Lymphoma", "Follicular Lymphoma", "Mantle Cell Lymphoma",
    "Chronic Lymphocytic Leukemia", "Acute Myeloid Leukemia",
    "Primary Mediastinal B-cell Lymphoma", "Peripheral T-cell Lymphoma",
    "Myelodysplastic Syndromes", "Marginal Zone Lymphoma",
]  # fmt: skip
SOLID_QUALIFIERS = ["", "Metastatic", "Advanced", "Recurrent", "Unresectable", "Stage IV",
                    "Locally Advanced", "Stage III", "Refractory", "Resectable",
                    "Previously Treated", "Stage II"]  # fmt: skip
BLOOD_QUALIFIERS = ["", "Relapsed or Refractory", "Refractory", "Relapsed", "Newly Diagnosed",
                    "High-risk", "Recurrent"]  # fmt: skip

AGENTS = {  # therapy class -> generic names, most studied first
    TherapyClass.CHECKPOINT_INHIBITOR: [
        "pembrolizumab", "nivolumab", "ipilimumab", "atezolizumab", "durvalumab",
        "cemiplimab", "avelumab", "tremelimumab", "dostarlimab", "relatlimab", "tislelizumab",
        "toripalimab", "retifanlimab",
    ],
    TherapyClass.CAR_T: [
        "tisagenlecleucel", "axicabtagene ciloleucel", "lisocabtagene maraleucel",
        "idecabtagene vicleucel", "ciltacabtagene autoleucel", "brexucabtagene autoleucel",
        "obecabtagene autoleucel",
    ],
    TherapyClass.ADOPTIVE_CELL_TRANSFER: ["lifileucel", "afamitresgene autoleucel"],
    TherapyClass.CANCER_VACCINE: ["sipuleucel-T", "BCG", "talimogene laherparepvec"],
    TherapyClass.CYTOKINE: ["aldesleukin", "interferon alfa-2b", "peginterferon alfa-2b",
                            "nogapendekin alfa inbakicept"],
    TherapyClass.ONCOLYTIC_VIRUS: ["talimogene laherparepvec"],
    TherapyClass.BISPECIFIC_ENGAGER: [
        "blinatumomab", "tebentafusp", "teclistamab", "mosunetuzumab", "glofitamab",
        "epcoritamab", "talquetamab", "elranatamab", "tarlatamab",
    ],
    TherapyClass.OTHER: ["nadofaragene firadenovec", "imiquimod", "lenalidomide"],
}  # fmt: skip
IMMUNOTHERAPIES = list(dict.fromkeys(agent for names in AGENTS.values() for agent in names))
CHEMOTHERAPIES = [
    "carboplatin", "paclitaxel", "pemetrexed", "cisplatin", "docetaxel", "gemcitabine",
    "nab-paclitaxel", "fluorouracil", "oxaliplatin", "cyclophosphamide", "fludarabine",
    "etoposide", "capecitabine", "dacarbazine", "temozolomide",
]  # fmt: skip

THERAPY_CLASS_WEIGHTS = {
    TherapyClass.CHECKPOINT_INHIBITOR: 36, TherapyClass.CAR_T: 15,
    TherapyClass.BISPECIFIC_ENGAGER: 12, TherapyClass.CANCER_VACCINE: 11,
    TherapyClass.ADOPTIVE_CELL_TRANSFER: 8, TherapyClass.OTHER: 7, TherapyClass.CYTOKINE: 6,
    TherapyClass.ONCOLYTIC_VIRUS: 5,
}  # fmt: skip
THERAPY_EVIDENCE_WEIGHTS = {
    EvidenceLevel.STANDARD_OF_CARE: 25, EvidenceLevel.PHASE3: 20, EvidenceLevel.PHASE2: 25,
    EvidenceLevel.EARLY_PHASE: 20, EvidenceLevel.PRECLINICAL: 5, "": 5,
}  # fmt: skip
COMBINATION_EVIDENCE_WEIGHTS = {
    EvidenceLevel.STANDARD_OF_CARE: 10, EvidenceLevel.PHASE3: 20, EvidenceLevel.PHASE2: 35,
    EvidenceLevel.EARLY_PHASE: 30, EvidenceLevel.PRECLINICAL: 5,
}  # fmt: skip
# Roughly the mix of interventional immunotherapy trials on ClinicalTrials.gov.
PHASE_WEIGHTS = {
    TrialPhase.PHASE2: 35, TrialPhase.PHASE1: 26, TrialPhase.PHASE3: 15,
    TrialPhase.PHASE1_PHASE2: 12, TrialPhase.EARLY_PHASE1: 4, TrialPhase.PHASE4: 3,
    TrialPhase.PHASE2_PHASE3: 3, TrialPhase.NA: 2,
}  # fmt: skip
STATUS_WEIGHTS = {
    OverallStatus.COMPLETED: 30, OverallStatus.RECRUITING: 18,
    OverallStatus.ACTIVE_NOT_RECRUITING: 12, OverallStatus.TERMINATED: 11,
    OverallStatus.UNKNOWN: 10, OverallStatus.NOT_YET_RECRUITING: 6,
    OverallStatus.WITHDRAWN: 5, OverallStatus.ENROLLING_BY_INVITATION: 2,
    OverallStatus.SUSPENDED: 2, "": 4,  # not yet verified by an editor
}  # fmt: skip
# Typical enrollment (the median of a log-normal draw) by phase.
MEDIAN_ENROLLMENT = {
    TrialPhase.EARLY_PHASE1: 15, TrialPhase.PHASE1: 30, TrialPhase.PHASE1_PHASE2: 60,
    TrialPhase.PHASE2: 70, TrialPhase.PHASE2_PHASE3: 300, TrialPhase.PHASE3: 600,
    TrialPhase.PHASE4: 200, TrialPhase.NA: 40,
}  # fmt: skip
# The years a trial with this status plausibly started in.
START_YEARS = {
    OverallStatus.NOT_YET_RECRUITING: (2025, 2026), OverallStatus.RECRUITING: (2018, 2026),
    OverallStatus.ENROLLING_BY_INVITATION: (2018, 2026),
    OverallStatus.ACTIVE_NOT_RECRUITING: (2012, 2024), OverallStatus.COMPLETED: (1995, 2022),
    OverallStatus.UNKNOWN: (1998, 2019),
}  # fmt: skip
SPONSOR_KINDS = ["Synthetic Oncology Group", "Example University Cancer Centre",
                 "Placeholder Therapeutics", "Invented Biologics",
                 "Fictional Cooperative Trials Network", "Sample Cell Therapies"]  # fmt: skip
FILLER_WORDS = [
    "assessment", "benchmark", "cohort", "dose", "schedule", "interval", "visit", "sample",
    "measure", "protocol", "arm", "placeholder", "record", "synthetic", "follow-up", "infusion",
    "review", "baseline", "screening", "enrolment", "outcome", "data", "entry", "template",
    "field", "value", "example", "neutral", "text", "filler", "generated", "registry", "note",
    "section", "table", "list", "summary", "agent", "condition", "sponsor", "site",
    "investigator", "timeline", "window", "criterion", "procedure", "workflow", "editor",
    "moderator", "version", "history",
]  # fmt: skip

# Shares of items by version history (largest remainder, so small runs still get each kind
# where the count allows). A version in progress is added to this share of all items,
# chosen among the published ones.
HISTORY_SHARES = {"published": 85, "with_history": 10, "only_draft": 3, "unpublished": 2}
IN_PROGRESS_SHARE = 8
IN_PROGRESS_CHOICES = [S.DRAFT, S.IN_REVIEW, S.CHANGES_REQUESTED]
LIVE_OR_TAKEN_DOWN = (S.PUBLISHED, S.UNPUBLISHED)


@dataclass(frozen=True)
class Weighted:
    """Values with weights; `pick` draws one, `sample` draws k different ones."""

    values: tuple
    cumulative: tuple

    @classmethod
    def of(cls, weights: dict) -> "Weighted":
        return cls(tuple(weights), tuple(accumulate(weights.values())))

    @classmethod
    def zipf(cls, values, exponent: float = 1.0) -> "Weighted":
        """`values` in order of popularity, the n-th with weight 1 / n**exponent."""
        return cls.of({value: 1 / (rank + 1) ** exponent for rank, value in enumerate(values)})

    def pick(self, rng: random.Random):
        return self.values[bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    def sample(self, rng: random.Random, k: int) -> list:
        chosen = []
        for _ in range(20 * k):  # duplicates are redrawn; the cap only guards tiny lists
            value = self.pick(rng)
            if value not in chosen:
                chosen.append(value)
                if len(chosen) == k:
                    break
        return chosen


def condition_vocabulary() -> Weighted:
    """A few hundred ClinicalTrials.gov-style conditions ("Metastatic Melanoma"), with a
    long-tailed distribution: common cancers and unqualified names dominate."""
    weights = {}
    groups = [(SOLID_TUMOURS, SOLID_QUALIFIERS, 1.0), (BLOOD_CANCERS, BLOOD_QUALIFIERS, 0.4)]
    for bases, qualifiers, share in groups:
        for base_rank, base in enumerate(bases):
            for qualifier_rank, qualifier in enumerate(qualifiers):
                name = f"{qualifier} {base}".strip()
                weights[name] = share / ((base_rank + 1) * (qualifier_rank + 1) ** 1.3)
    return Weighted.of(dict(sorted(weights.items(), key=lambda pair: -pair[1])))


CONDITIONS = condition_vocabulary()
CANCER_TYPE_CHOICE = Weighted.zipf(range(len(CANCER_TYPES)))
IMMUNOTHERAPY_CHOICE = Weighted.zipf(IMMUNOTHERAPIES, 0.9)
CHEMOTHERAPY_CHOICE = Weighted.zipf(CHEMOTHERAPIES)
SPONSOR_CHOICE = Weighted.zipf(
    [f"{SPONSOR_KINDS[n % len(SPONSOR_KINDS)]} {n // len(SPONSOR_KINDS) + 1}" for n in range(180)]
)
THERAPY_CLASS_CHOICE = Weighted.of(THERAPY_CLASS_WEIGHTS)
AGENT_CHOICE = {therapy_class: Weighted.zipf(names) for therapy_class, names in AGENTS.items()}
THERAPY_EVIDENCE_CHOICE = Weighted.of(THERAPY_EVIDENCE_WEIGHTS)
COMBINATION_EVIDENCE_CHOICE = Weighted.of(COMBINATION_EVIDENCE_WEIGHTS)
PHASE_CHOICE = Weighted.of(PHASE_WEIGHTS)
STATUS_CHOICE = Weighted.of(STATUS_WEIGHTS)


# ---------------------------------------------------------------------------------------------
# Bodies: a pool of Markdown templates rendered once, filled per version
# ---------------------------------------------------------------------------------------------

# A slot is a marker word that Markdown and the sanitizer pass through unchanged; a filled
# value must be plain words, so that it cannot change how the text around it renders.
SLOT = re.compile(r"\bSEEDSLOT([A-Z]+)\b")
PLAIN_WORDS = re.compile(r"[A-Za-z0-9]+(?:(?:, | |-|/)[A-Za-z0-9]+)*")
HEADINGS = ["Overview", "Background", "How it works", "Design", "Who may take part",
            "What is measured", "Status", "Notes", "Safety monitoring", "Schedule", "Sources",
            "Open questions", "Editorial notes", "Context"]  # fmt: skip
DISCLAIMER = (
    "This is a **synthetic benchmark record** about SEEDSLOTSUBJECT. It was generated for load "
    "testing, describes no real study or treatment, reports no results, and must not be used "
    "for any medical decision."
)


@dataclass(frozen=True)
class BodyTemplate:
    """One Markdown body with slots, rendered once. `fill` returns (body, body_html,
    body_text) equal to what `ContentVersion.save()` would derive from the filled body —
    `render_markdown(body)` and `html_to_text(body_html)` — without rendering it again."""

    markdown: tuple[str, ...]  # literal text around the slots, for each of the three forms
    html: tuple[str, ...]
    text: tuple[str, ...]
    slots: tuple[str, ...]

    @classmethod
    def render(cls, markdown: str) -> "BodyTemplate":
        html = render_markdown(markdown)
        parts = [SLOT.split(form) for form in (markdown, html, html_to_text(html))]
        slots = [tuple(form[1::2]) for form in parts]
        if not slots[0] == slots[1] == slots[2]:
            raise ValueError(f"Rendering moved or dropped a slot in template:\n{markdown}")
        return cls(*(tuple(form[0::2]) for form in parts), slots=slots[0])

    def fill(self, values: dict[str, str]) -> tuple[str, str, str]:
        for name in self.slots:
            if not PLAIN_WORDS.fullmatch(values[name]):
                raise ValueError(f"Slot {name} needs plain words, not {values[name]!r}")
        # Escaped as the sanitizer escapes text, so the HTML is byte for byte what
        # render_markdown would return for the filled body.
        escaped = {name: escape(value, quote=False) for name, value in values.items()}
        return (
            _interleave(self.markdown, self.slots, values),
            _interleave(self.html, self.slots, escaped),
            _interleave(self.text, self.slots, values),
        )


def _interleave(literals: tuple[str, ...], slots: tuple[str, ...], values: dict) -> str:
    pieces = [literals[0]]
    for name, literal in zip(slots, literals[1:], strict=True):
        pieces += [values[name], literal]
    return "".join(pieces)


def _filler(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(FILLER_WORDS) for _ in range(words))


def _paragraph(rng: random.Random, number: int) -> str:
    return f"{_filler(rng, rng.randint(15, 70)).capitalize()}. SEEDSLOTNOTEB."


def _arms_table(rng: random.Random, number: int) -> str:
    comparator = rng.choice(["standard care", "placebo", "observation"])
    return (
        "| Arm | Intervention | Schedule |\n| --- | --- | --- |\n"
        f"| A | SEEDSLOTAGENT | every {rng.choice([2, 3, 4, 6])} weeks |\n"
        f"| B | {comparator} | as per protocol |"
    )


def _facts_table(rng: random.Random, number: int) -> str:
    return (
        "| Field | Value |\n| --- | --- |\n| Condition | SEEDSLOTCONDITION |\n"
        "| Bench code | SEEDSLOTCODE |\n| Data | synthetic, not real |"
    )


def _bullets(rng: random.Random, number: int) -> str:
    items = [_filler(rng, rng.randint(3, 12)) for _ in range(rng.randint(2, 6))]
    return "\n".join(f"- {item}" for item in [*items, "SEEDSLOTNOTEC"])


def _numbered(rng: random.Random, number: int) -> str:
    steps = [_filler(rng, rng.randint(4, 10)) for _ in range(rng.randint(2, 5))]
    return "\n".join(f"{n}. {step}" for n, step in enumerate(steps, start=1))


def _links(rng: random.Random, number: int) -> str:
    return (
        f"See [the benchmark notes for SEEDSLOTCODE](https://example.org/benchmark/{number}) "
        f"and [how records are generated](https://example.com/seed-bench/{number}). "
        "SEEDSLOTNOTEA."
    )


def _quote(rng: random.Random, number: int) -> str:
    return "> Synthetic data: SEEDSLOTNOTEC."


SECTIONS = [_paragraph, _paragraph, _arms_table, _facts_table, _bullets, _numbered, _links,
            _quote]  # fmt: skip


def template_markdown(rng: random.Random, number: int) -> str:
    """Body template `number`: the disclaimer, then 1 to 8 headed sections (paragraphs,
    tables, lists, links, quotes) — lengths from a few hundred characters to several
    kilobytes, most around 1.5 KB like the demo content."""
    parts = [DISCLAIMER]
    for position in range(rng.choices(range(1, 9), weights=[10, 25, 25, 15, 10, 7, 5, 3])[0]):
        level = "##" if position == 0 or rng.random() < 0.7 else "###"
        parts.append(f"{level} {rng.choice(HEADINGS)}")
        parts.append(rng.choice(SECTIONS)(rng, number))
        if rng.random() < 0.4:
            parts.append(_paragraph(rng, number))
    parts.append("Bench code SEEDSLOTCODE concerns SEEDSLOTAGENT in SEEDSLOTCONDITION.")
    return "\n\n".join(parts) + "\n"


def template_pool(rng: random.Random, size: int = 300) -> list[BodyTemplate]:
    return [BodyTemplate.render(template_markdown(rng, number)) for number in range(size)]


# ---------------------------------------------------------------------------------------------
# What to write: one plan per item
# ---------------------------------------------------------------------------------------------


def allocate(total: int, shares: dict[str, int]) -> dict[str, int]:
    """Split `total` by `shares` into whole counts that add up to it (largest remainder)."""
    scale = sum(shares.values())
    exact = {name: total * share / scale for name, share in shares.items()}
    counts = {name: math.floor(value) for name, value in exact.items()}
    by_remainder = sorted(exact, key=lambda name: counts[name] - exact[name])
    for name in by_remainder[: total - sum(counts.values())]:
        counts[name] += 1
    return counts


def plan_histories(rng: random.Random, total: int) -> list[tuple[str, ...]]:
    """`total` version histories (the states of versions 1, 2, … of an item) in the shares of
    HISTORY_SHARES, shuffled; IN_PROGRESS_SHARE of all items also get a version in progress
    after their published one. At most one published and one in-progress version each."""
    counts = allocate(total, HISTORY_SHARES)
    histories = (
        [(S.PUBLISHED,)] * counts["published"]
        + [(S.SUPERSEDED,) * rng.choice([1, 1, 1, 2]) + (S.PUBLISHED,)
           for _ in range(counts["with_history"])]
        + [(rng.choice(IN_PROGRESS_CHOICES),) for _ in range(counts["only_draft"])]
        + [(S.UNPUBLISHED,)] * counts["unpublished"]
    )  # fmt: skip
    rng.shuffle(histories)
    published = [n for n, states in enumerate(histories) if S.PUBLISHED in states]
    for n in rng.sample(published, min(len(published), round(total * IN_PROGRESS_SHARE / 100))):
        histories[n] = (*histories[n], rng.choice(IN_PROGRESS_CHOICES))
    return histories


@dataclass
class Plan:
    """One item to write: its key, its history, and what all its versions share."""

    key: str
    code: str  # the item's bench code, in its title and body: a unique word to search for
    name: str  # the title, without the synthetic marker
    summary: str
    fields: dict  # model fields of every version
    links: dict  # m2m field name -> ids of linked rows, on every version
    slots: dict  # body slot values of every version
    history: tuple[str, ...] = ()

    def title(self, revised: bool = False) -> str:
        return f"{self.name}{', revised' if revised else ''} [synthetic]"


@dataclass
class Pools:
    """What new rows may refer to. Links go to published *bench* items only: a real therapy's
    page lists the trials that link it, and must never list invented ones."""

    cancer_types: list[int] = field(default_factory=list)  # in CANCER_TYPES order
    citations: list[int] = field(default_factory=list)
    therapy_agents: dict[int, list[str]] = field(default_factory=dict)  # item id -> key agents
    therapies_by_agent: dict[str, list[int]] = field(default_factory=dict)
    combinations: list[int] = field(default_factory=list)
    trial_numbers: range = range(0)  # NCT numbers the trials of this run will get

    def add_therapy(self, item_id: int, agents: list[str]) -> None:
        self.therapy_agents[item_id] = agents
        for agent in agents:
            self.therapies_by_agent.setdefault(agent, []).append(item_id)

    def therapies(self) -> list[int]:
        return list(self.therapy_agents)


def _capitalized(text: str) -> str:
    return text[0].upper() + text[1:]


def _summary(text: str) -> str:
    return f"Synthetic benchmark record (invented for load testing, not real data): {text}"


def plan_therapy(rng: random.Random, number: int, pools: Pools) -> Plan:
    therapy_class = THERAPY_CLASS_CHOICE.pick(rng)
    agents = AGENT_CHOICE[therapy_class].sample(rng, rng.choice([1, 1, 1, 2, 2, 3]))
    cancer_positions = CANCER_TYPE_CHOICE.sample(rng, rng.randint(1, 4))
    cancer = CANCER_TYPES[cancer_positions[0]][1]
    code = f"BT{number:06d}"
    subject = f"{' and '.join(agents)} in {cancer.lower()}"
    return Plan(
        key=f"{SLUG_PREFIX}therapy-{number:06d}",
        code=code,
        name=f"{_capitalized(subject)} ({code})",
        summary=_summary(
            f"an invented article on {TherapyClass(therapy_class).label.lower()} ({subject})."
        ),
        fields={
            "therapy_class": therapy_class,
            "evidence_level": THERAPY_EVIDENCE_CHOICE.pick(rng),
            "key_agents": agents,
        },
        links={"cancer_types": [pools.cancer_types[n] for n in cancer_positions]},
        slots={"SUBJECT": subject, "AGENT": " plus ".join(agents), "CONDITION": cancer},
    )


def plan_combination(rng: random.Random, number: int, pools: Pools) -> Plan:
    therapy_ids = rng.sample(pools.therapies(), rng.choice([2, 2, 3]))
    agents = []  # one agent per therapy combined, each named once
    for item_id in therapy_ids:
        candidates = [a for a in pools.therapy_agents[item_id] if a not in agents]
        agents += candidates[:1]
    condition = CONDITIONS.pick(rng)
    code = f"BC{number:06d}"
    subject = f"{' plus '.join(agents)} in {condition}"
    trials = pools.trial_numbers
    key_trials = {f"NCT{rng.choice(trials)}" for _ in range(rng.randint(1, 3))} if trials else ()
    return Plan(
        key=f"{SLUG_PREFIX}combination-{number:06d}",
        code=code,
        name=f"{_capitalized(subject)} ({code})",
        summary=_summary(f"an invented combination entry on {subject}."),
        fields={
            "evidence_level": COMBINATION_EVIDENCE_CHOICE.pick(rng),
            "key_trials": sorted(key_trials),
        },
        links={"therapies": therapy_ids},
        slots={"SUBJECT": subject, "AGENT": " plus ".join(agents), "CONDITION": condition},
    )


def _partial_date(rng: random.Random, year: int) -> str:
    """A ClinicalTrials.gov-style date in `year`: mostly YYYY-MM, some full, a few bare."""
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    forms = [f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}", f"{year}"]
    return rng.choices(forms, weights=[60, 33, 7])[0]


def plan_trial(rng: random.Random, number: int, pools: Pools) -> Plan:
    phase, status = PHASE_CHOICE.pick(rng), STATUS_CHOICE.pick(rng)
    conditions = CONDITIONS.sample(rng, rng.choices([1, 2, 3, 4], weights=[60, 25, 10, 5])[0])
    interventions = IMMUNOTHERAPY_CHOICE.sample(rng, rng.choices([1, 2], weights=[70, 30])[0])
    if rng.random() < 0.25:
        interventions.append(CHEMOTHERAPY_CHOICE.pick(rng))
    if phase in (TrialPhase.PHASE3, TrialPhase.PHASE2_PHASE3) and rng.random() < 0.3:
        interventions.append("Placebo")
    first_year, last_year = START_YEARS.get(status, (1995, 2024))
    start_year = rng.randint(first_year, last_year)
    start_date = "" if rng.random() < 0.05 else _partial_date(rng, start_year)
    completion = "" if rng.random() < 0.12 else _partial_date(rng, start_year + rng.randint(1, 6))
    enrollment = round(MEDIAN_ENROLLMENT[phase] * rng.lognormvariate(0, 0.7))
    if status == OverallStatus.WITHDRAWN:
        enrollment = 0  # as ClinicalTrials.gov registers it: nobody was enrolled
    elif rng.random() < 0.04:
        enrollment = None
    # Linked therapies name one of the trial's interventions where a bench therapy does.
    therapies = []
    if pools.therapy_agents and (wanted := rng.choices([0, 1, 2, 3], [30, 45, 18, 7])[0]):
        related = sorted({item_id for agent in interventions
                          for item_id in pools.therapies_by_agent.get(agent, [])})  # fmt: skip
        related = related or pools.therapies()
        therapies = rng.sample(related, min(wanted, len(related)))
    combinations = []
    if pools.combinations and (wanted := rng.choices([0, 1, 2], [75, 20, 5])[0]):
        combinations = rng.sample(pools.combinations, min(wanted, len(pools.combinations)))
    code = f"SYN{number:06d}"
    phase_label = "A" if phase == TrialPhase.NA else TrialPhase(phase).label
    design = rng.choice(["", "randomised ", "open-label ", "single-arm ", "multicentre "])
    subject = f"{' plus '.join(interventions)} in {conditions[0]}"
    return Plan(
        key=f"NCT{FIRST_NCT_NUMBER + number}",
        code=code,
        name=f"{phase_label} {design}study of {subject} ({code})",
        summary=_summary(f"an invented trial note on {subject}; no real study has this ID."),
        fields={
            "phase": phase,
            "overall_status": status,
            "conditions": conditions,
            "interventions": interventions,
            "sponsor": SPONSOR_CHOICE.pick(rng),
            "enrollment": enrollment,
            "start_date": start_date,
            "primary_completion_date": completion,
        },
        links={"therapies": therapies, "combinations": combinations},
        slots={
            "SUBJECT": subject,
            "AGENT": " plus ".join(interventions),
            "CONDITION": conditions[0],
        },
    )


def timeline(states: tuple[str, ...], rng: random.Random, now) -> list[dict]:
    """Workflow fields of each version of one item, oldest first, as the workflow would have
    left them: a version that was published has created < submitted < approved = published;
    older versions were published before newer ones; an in-progress version was started
    after the live one; nothing lies in the future."""
    day = datetime.timedelta(days=1)
    live = next((n for n, state in enumerate(states) if state in LIVE_OR_TAKEN_DOWN), None)
    moments = [None] * len(states)  # when each version was (or was last) published
    if live is not None:
        moments[live] = now - rng.uniform(1, 365 * HISTORY_YEARS) * day
        for n in range(live - 1, -1, -1):
            moments[n] = moments[n + 1] - rng.uniform(20, 400) * day
    rows = []
    for n, (state, published_at) in enumerate(zip(states, moments, strict=True)):
        if published_at is not None:
            created = published_at - rng.uniform(2, 60) * day
            submitted = created + (published_at - created) * rng.uniform(0.5, 0.95)
            # Live until the next one was published, or (taken down) a while after.
            until = {
                S.SUPERSEDED: moments[n + 1] if n + 1 < len(moments) else None,
                S.UNPUBLISHED: published_at + (now - published_at) / 2,
            }.get(state)
            rows.append({"created_at": created, "updated_at": submitted,
                         "submitted_at": submitted, "approved_at": published_at,
                         "published_at": published_at, "live_until": until})  # fmt: skip
            continue
        since = moments[live] if live is not None else now - 200 * day
        created = since + (now - since) * rng.uniform(0.1, 0.9)
        updated = created + (now - created) * rng.uniform(0, 0.5)
        row = {"created_at": created, "updated_at": updated}
        if state != S.DRAFT:
            row["submitted_at"] = updated + (now - updated) * rng.uniform(0, 0.5)
        if state == S.CHANGES_REQUESTED:
            row["review_comment"] = "Synthetic review comment (benchmark data): expand the notes."
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    label: str  # plural, for messages
    item_model: type
    citation_model: type
    plan: Callable[[random.Random, int, "Pools"], "Plan"]  # plan_therapy, …

    @property
    def version_model(self):
        return self.item_model.version_model()


KINDS = {
    "therapy": Kind("therapy articles", TherapyArticle, TherapyArticleCitation, plan_therapy),
    "combination": Kind(
        "combination entries", CombinationEntry, CombinationEntryCitation, plan_combination
    ),
    "trial": Kind("trial notes", TrialNote, TrialNoteCitation, plan_trial),
}
KEY_NUMBER = re.compile(rf"^{SLUG_PREFIX}(?:therapy|combination)-([0-9]+)$")

# The expression of ContentVersion.search_document, for a batch of rows at once:
# title A, summary and search keywords B, body text C.
SEARCH_VECTOR_SQL = """
UPDATE {table} AS version SET search_vector =
    setweight(to_tsvector(%(config)s::regconfig, COALESCE(version.title, '')), 'A')
    || setweight(to_tsvector(%(config)s::regconfig, COALESCE(batch.summary_text, '')), 'B')
    || setweight(to_tsvector(%(config)s::regconfig, COALESCE(version.body_text, '')), 'C')
FROM unnest(%(ids)s::bigint[], %(texts)s::text[]) AS batch(id, summary_text)
WHERE version.id = batch.id
"""


class Progress:
    """A one-line progress bar on stderr, redrawn in place with "\\r".

    Hand-written rather than tqdm: these few lines cost less than a dependency to pin for
    one command. Silent at verbosity 0.
    """

    WIDTH = 30

    def __init__(self, stream, total: int, enabled: bool):
        self.stream, self.total, self.enabled = stream, total, enabled
        self.done = 0
        self.started = time.monotonic()

    def advance(self, count: int, label: str) -> None:
        self.done += count
        if not self.enabled:
            return
        filled = self.WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        elapsed = time.monotonic() - self.started
        line = f"\r[{bar}] {self.done}/{self.total} items ({label}) {elapsed:.0f} s  "
        # Plain text: Django would colour anything written to stderr as an error.
        self.stream.write(line, style_func=str, ending="")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("", style_func=str)


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic therapy articles, combination entries and trial "
        "notes for benchmarks. Refuses a database that holds content, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--therapies", type=int, default=200, help="Therapy articles.")
        parser.add_argument("--combinations", type=int, default=500, help="Combination entries.")
        parser.add_argument("--trials", type=int, default=5000, help="Clinical-trial notes.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same content.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add to a database that already holds content (a scratch copy only: the "
            "invented items are then listed beside the real ones).",
        )

    def handle(self, *args, therapies, combinations, trials, seed, force, verbosity, **options):
        started = time.monotonic()
        counts = {"therapy": therapies, "combination": combinations, "trial": trials}
        if min(counts.values()) < 0:
            raise CommandError("Counts cannot be negative.")
        self.refuse_real_content(force)
        pools = self.existing_pools()
        first = self.first_numbers()
        rng = random.Random(seed)
        histories = {kind: plan_histories(rng, count) for kind, count in counts.items()}
        published_therapies = len(pools.therapy_agents) + sum(
            S.PUBLISHED in states for states in histories["therapy"]
        )
        if combinations and published_therapies < 3:
            raise CommandError(
                "Combination entries combine two or three published therapies: seed more "
                "therapies (--therapies 5 or more)."
            )
        if FIRST_NCT_NUMBER + first["trial"] + trials - 1 > LAST_NCT_NUMBER:
            raise CommandError("No synthetic NCT IDs left in NCT90000000–NCT99999999.")
        pools.trial_numbers = range(
            FIRST_NCT_NUMBER + first["trial"], FIRST_NCT_NUMBER + first["trial"] + trials
        )

        templates = template_pool(rng)
        with transaction.atomic():
            self.users = self.bench_users()
            self.reference_rows(pools)
        progress = Progress(self.stderr, sum(counts.values()), enabled=verbosity > 0)
        written = {}
        for kind, count in counts.items():
            written[kind] = self.write_kind(
                KINDS[kind], range(first[kind], first[kind] + count), histories[kind], pools,
                templates, rng, progress,
            )  # fmt: skip
        progress.finish()
        if connection.vendor == "postgresql":
            self.analyze()

        catalog.rebuild_derived()  # changelog and summary rows derived from the versions
        pagecache.invalidate_all()  # the public page cache no longer matches the data

        elapsed = time.monotonic() - started
        summary = ", ".join(
            f"{counts[kind]} {KINDS[kind].label} ({written[kind]} versions)" for kind in KINDS
        )
        self.stdout.write(self.style.SUCCESS(f"Seeded {summary} in {elapsed:.1f} s."))

    # -- before writing ---------------------------------------------------------------------

    def refuse_real_content(self, force: bool) -> None:
        """Raise CommandError, before anything is written, if the database holds content
        and --force was not given."""
        present = {
            item_model._meta.verbose_name_plural: item_model.objects.count()
            for item_model in CONTENT_KINDS.values()
        }
        if any(present.values()) and not force:
            found = ", ".join(f"{count} {name}" for name, count in present.items() if count)
            raise CommandError(
                f"The database already holds content ({found}). seed_bench writes invented "
                "trials and therapies and will not mix them into a catalogue; use a scratch "
                "database, or --force to add to this one anyway."
            )

    def existing_pools(self) -> Pools:
        """Published bench items already in the database (from an earlier run): new items
        may link to them."""
        pools = Pools()
        therapies = (
            TherapyArticleVersion.objects.published()
            .filter(item__slug__startswith=SLUG_PREFIX)
            .order_by("item_id")
            .values_list("item_id", "key_agents")
        )
        for item_id, agents in therapies:
            if agents:
                pools.add_therapy(item_id, agents)
        pools.combinations = list(
            CombinationEntryVersion.objects.published()
            .filter(item__slug__startswith=SLUG_PREFIX)
            .order_by("item_id")
            .values_list("item_id", flat=True)
        )
        return pools

    def first_numbers(self) -> dict[str, int]:
        """The first free serial number of each kind, after the bench rows already there:
        slugs bench-therapy-000001…, and NCT IDs NCT90000001… for trials."""
        first = {}
        for kind in ("therapy", "combination"):
            item_model = KINDS[kind].item_model
            slugs = item_model.objects.filter(slug__startswith=f"{SLUG_PREFIX}{kind}-")
            slugs = slugs.values_list("slug", flat=True)
            numbers = [int(match[1]) for slug in slugs if (match := KEY_NUMBER.match(slug))]
            first[kind] = max(numbers, default=0) + 1
        last_nct = (
            TrialNote.objects.filter(nct_id__gte=f"NCT{FIRST_NCT_NUMBER}")
            .order_by("-nct_id")
            .values_list("nct_id", flat=True)
            .first()
        )
        first["trial"] = (int(last_nct[3:]) - FIRST_NCT_NUMBER if last_nct else 0) + 1
        return first

    # -- reference rows ---------------------------------------------------------------------

    def bench_users(self) -> dict:
        """The bench editor (author) and moderator (approver): staff, no usable password."""
        users = {}
        for role, username in [("editor", "bench-editor"), ("moderator", "bench-moderator")]:
            user, created = get_user_model().objects.get_or_create(
                username=username,
                defaults={"is_staff": True, "first_name": "Bench", "last_name": role.title(),
                          "email": f"{username}@example.org"},
            )  # fmt: skip
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            users[role] = user
        return users

    def reference_rows(self, pools: Pools) -> None:
        """Cancer types (sharing rows with the same name or slug) and the citation pool,
        created where missing; their ids go into `pools`."""
        existing = CancerType.objects.values_list("pk", "slug", "name")
        by_key = {key: pk for pk, slug, name in existing for key in (slug, name.lower())}
        CancerType.objects.bulk_create(
            [CancerType(slug=slug, name=name) for slug, name in CANCER_TYPES
             if slug not in by_key and name.lower() not in by_key],
        )  # fmt: skip
        by_key = {
            key: pk
            for pk, slug, name in CancerType.objects.values_list("pk", "slug", "name")
            for key in (slug, name.lower())
        }
        pools.cancer_types = [
            by_key.get(slug) or by_key[name.lower()] for slug, name in CANCER_TYPES
        ]

        values = [str(FIRST_PMID + n) for n in range(1, CITATION_POOL_SIZE + 1)]
        Citation.objects.bulk_create(
            [
                Citation(kind=Citation.Kind.PMID, value=value,
                         label=f"Synthetic reference {n} (benchmark data)")
                for n, value in enumerate(values, start=1)
            ],
            ignore_conflicts=True,
        )  # fmt: skip
        ids = dict(
            Citation.objects.filter(kind=Citation.Kind.PMID, value__in=values).values_list(
                "value", "pk"
            )
        )
        pools.citations = [ids[value] for value in values]

    # -- content ----------------------------------------------------------------------------

    def write_kind(self, kind: Kind, numbers: range, histories, pools, templates, rng, progress):
        """Write the items numbered `numbers`, one transaction per batch (items, versions,
        links, citations and search vectors together); return the number of versions."""
        written = 0
        for offset in range(0, len(numbers), BATCH_SIZE):
            plans = []
            for number, history in zip(
                numbers[offset : offset + BATCH_SIZE],
                histories[offset : offset + BATCH_SIZE],
                strict=True,
            ):
                plan = kind.plan(rng, number, pools)
                plan.history = history
                plans.append(plan)
            with transaction.atomic():
                items = kind.item_model.objects.bulk_create(
                    [kind.item_model(**{kind.item_model.KEY_FIELD: plan.key}) for plan in plans]
                )
                versions = self.write_versions(kind, items, plans, pools, templates, rng)
            written += len(versions)
            for item, plan in zip(items, plans, strict=True):
                if S.PUBLISHED not in plan.history:
                    continue
                if kind.item_model is TherapyArticle:
                    pools.add_therapy(item.pk, plan.fields["key_agents"])
                elif kind.item_model is CombinationEntry:
                    pools.combinations.append(item.pk)
            # With DEBUG on, Django keeps every query, parameters and all, in memory.
            reset_queries()
            progress.advance(len(plans), kind.label)
        return written

    def write_versions(self, kind, items, plans, pools, templates, rng) -> list:
        """Insert every version of `items` with its derived fields, links and citations, in
        the caller's transaction; return the versions."""
        now = timezone.now()
        versions, link_rows = [], []
        for item, plan in zip(items, plans, strict=True):
            was_published = False
            for number, (state, workflow_fields) in enumerate(
                zip(plan.history, timeline(plan.history, rng, now), strict=True), start=1
            ):
                version = self.version(kind, item, plan, number, state, workflow_fields,
                                       templates, rng, revised=was_published)  # fmt: skip
                was_published = was_published or state == S.PUBLISHED
                versions.append(version)
                link_rows.append((version, plan))
        kind.version_model.objects.bulk_create(versions, batch_size=BATCH_SIZE)
        self.write_links(kind, link_rows, pools, rng)
        if connection.vendor == "postgresql":
            self.write_search_vectors(kind, versions)
        return versions

    def version(self, kind, item, plan, number, state, workflow_fields, templates, rng, revised):
        """One unsaved version with the fields `ContentVersion.save()` would derive."""
        notes = {name: _filler(rng, rng.randint(3, 20)) for name in ("NOTEA", "NOTEB", "NOTEC")}
        body, body_html, body_text = rng.choice(templates).fill(
            {**plan.slots, **notes, "CODE": plan.code}
        )
        change = "First version" if number == 1 else f"Revision {number}: {_filler(rng, 5)}"
        return kind.version_model(
            item=item,
            number=number,
            state=state,
            title=plan.title(revised=revised),
            summary=plan.summary,
            body=body,
            body_html=body_html,
            body_text=body_text,
            change_summary=f"{change} (synthetic benchmark data).",
            author=self.users["editor"],
            last_edited_by=self.users["editor"],
            reviewed_by=self.users["moderator"] if workflow_fields.get("approved_at") else None,
            **workflow_fields,
            **plan.fields,
        )

    def write_links(self, kind, rows, pools, rng) -> None:
        """The versions' m2m links (the same for every version of an item, as a new version
        copies them) and 1–4 citations each, in order."""
        links = {}
        citations = []
        for version, plan in rows:
            for name, ids in plan.links.items():
                links.setdefault(name, []).extend((version.pk, target) for target in ids)
            for position, citation in enumerate(rng.sample(pools.citations, rng.randint(1, 4))):
                citations.append(
                    kind.citation_model(version_id=version.pk, citation_id=citation,
                                        position=position)
                )  # fmt: skip
        for name, pairs in links.items():
            m2m = kind.version_model._meta.get_field(name)
            source, target = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
            through = m2m.remote_field.through
            through.objects.bulk_create(
                [through(**{source: a, target: b}) for a, b in pairs], batch_size=BATCH_SIZE
            )
        kind.citation_model.objects.bulk_create(citations, batch_size=BATCH_SIZE)

    def write_search_vectors(self, kind, versions) -> None:
        """Set search_vector exactly as search_document would, in one statement."""
        table = connection.ops.quote_name(kind.version_model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                SEARCH_VECTOR_SQL.format(table=table),
                {
                    "config": SEARCH_CONFIG,
                    "ids": [version.pk for version in versions],
                    # As search_document: summary, a space, then the search keywords.
                    "texts": [f"{v.summary} {v.search_keywords()}" for v in versions],
                },
            )

    def analyze(self) -> None:
        # Fresh planner statistics: until autovacuum gets to the new rows, PostgreSQL plans
        # queries as if the tables were empty, and the first benchmarks would measure that.
        tables = {Citation._meta.db_table, CancerType._meta.db_table}
        for kind in KINDS.values():
            tables |= {kind.item_model._meta.db_table, kind.version_model._meta.db_table,
                       kind.citation_model._meta.db_table}  # fmt: skip
            for m2m in kind.version_model._meta.many_to_many:
                tables.add(m2m.remote_field.through._meta.db_table)
        with connection.cursor() as cursor:
            for table in sorted(tables):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
