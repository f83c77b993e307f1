"""Editors' work: curated relations from CSV/YAML files and the command line.

``read_curated_file`` (files) -> ``validate_file`` (validate: every bad row reported, the
whole file refused) -> ``apply_plans`` (apply: one transaction, one audit entry per
change). ``import_files`` runs the three for a list of files.
"""

from .apply import (
    ADDED,
    CORRECTED,
    CREATED,
    CURATED,
    PRESENT,
    RETRACTED,
    Change,
    CuratedFilesError,
    ImportResult,
    add_curated,
    apply_plans,
    import_files,
    utc_now,
)
from .files import COLUMNS, REQUIRED_COLUMNS, CuratedFile, CuratedRow, read_curated_file
from .refs import describe, looks_like_id, resolve_reference
from .validate import (
    CuratedEdge,
    CuratedPlan,
    PendingEntities,
    parse_properties,
    validate_file,
    validate_rows,
)

__all__ = [
    "ADDED",
    "COLUMNS",
    "CORRECTED",
    "CREATED",
    "CURATED",
    "PRESENT",
    "REQUIRED_COLUMNS",
    "RETRACTED",
    "Change",
    "CuratedEdge",
    "CuratedFile",
    "CuratedFilesError",
    "CuratedPlan",
    "CuratedRow",
    "ImportResult",
    "PendingEntities",
    "add_curated",
    "apply_plans",
    "describe",
    "import_files",
    "looks_like_id",
    "parse_properties",
    "read_curated_file",
    "resolve_reference",
    "utc_now",
    "validate_file",
    "validate_rows",
]
