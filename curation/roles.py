"""The three curation roles and their permissions, as (app_label, codename) pairs.

The groups were created by a data migration with a copy of these lists; tests and docs read them here."""

from practices.kinds import BY_SINGULAR

ENTRY_MODELS = tuple(BY_SINGULAR)  # "finding", "practice"
KB_MODELS = ("conference", "sourcedocument", "section", "session", "organisation", "person", "project")
VOCABULARY_MODELS = (
    "pillar",
    "region",
    "country",
    "theme",
    "targetgroup",
    "inspirestrategy",
    "conventionarticle",
)
HISTORY_MODELS = (
    "historicalpractice",
    "historicalfinding",
    "historicalpracticequote",
    *(f"historical{name}" for name in VOCABULARY_MODELS + KB_MODELS),
)

EDITOR = "Editor"
REVIEWER = "Reviewer"
ADMIN = "Admin"

_editor = [
    *(("practices", f"{action}_{model}") for model in ENTRY_MODELS for action in ("add", "change", "view")),
    *(("practices", f"{action}_practicequote") for action in ("add", "change", "delete", "view")),
    # Reading what entries point at (autocomplete) and their history.
    *(("kb", f"view_{model}") for model in KB_MODELS),
    *(("taxonomy", f"view_{model}") for model in VOCABULARY_MODELS),
    *(("curation", f"view_{model}") for model in HISTORY_MODELS),
    ("curation", "view_correctionreport"),
]
_reviewer = [
    *_editor,
    *(("practices", f"{action}_{model}") for model in ENTRY_MODELS for action in ("publish", "archive")),
    ("curation", "change_correctionreport"),
    ("curation", "view_suggestion"),
    ("curation", "change_suggestion"),
]

ROLE_PERMISSIONS = {
    EDITOR: _editor,
    REVIEWER: _reviewer,
    ADMIN: None,  # every permission of the project's apps, users and groups
}
ADMIN_APPS = ("practices", "kb", "taxonomy", "curation", "auth", "axes")
