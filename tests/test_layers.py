"""Layers one way: admin, views and commands → workflow → trust rules → models, and the
public reads (catalog, search) → models, never back. Checked on the imports themselves,
wherever they are written (a function-level import counts too)."""

import ast
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import TherapyArticleVersionFactory

THERAPIES = Path(__file__).resolve().parent.parent / "therapies"

# module: the portal modules it must never import
FORBIDDEN = {
    "models": {"workflow", "trust", "catalog", "search", "pagecache", "admin", "views",
               "notifications", "citations"},
    "trust": {"workflow", "admin", "views", "catalog", "search"},
    "catalog": {"workflow", "trust", "admin", "views"},
    "search": {"workflow", "trust", "catalog", "admin", "views"},
    "citations": {"workflow", "trust", "admin", "views"},
    "permissions": {"workflow", "trust", "catalog", "search", "admin", "views", "models"},
    "workflow": {"admin", "views"},
    # The open data read side: published content only, never the workflow or the desk.
    "opendata": {"workflow", "admin", "views", "api", "releases", "notifications"},
    "releases": {"workflow", "admin", "views", "notifications"},
    "fhir": {"workflow", "admin", "views", "models", "catalog"},
    "api": {"workflow", "admin", "views", "notifications"},
}  # fmt: skip


def imported(module: str) -> set[str]:
    tree = ast.parse((THERAPIES / f"{module}.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "therapies":
                names |= {alias.name for alias in node.names}
            elif node.module.startswith("therapies."):
                names.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            names |= {a.name.split(".")[1] for a in node.names if a.name.startswith("therapies.")}
    return names


@pytest.mark.parametrize("module", sorted(FORBIDDEN))
def test_imports_point_one_way(module):
    assert not imported(module) & FORBIDDEN[module]


@pytest.mark.django_db
def test_saving_a_version_writes_its_search_vector_in_the_same_statement():
    version = TherapyArticleVersionFactory(state="draft", title="Tebentafusp in uveal melanoma")
    version.title = "Tebentafusp in metastatic uveal melanoma"
    updates = []

    def record(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("UPDATE"):
            updates.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        version.save()
    assert len(updates) == 1
    if connection.vendor == "postgresql":
        assert "search_vector" in updates[0]
        version.refresh_from_db()
        assert "'metastat':" in version.search_vector and "'tebentafusp':" in version.search_vector
