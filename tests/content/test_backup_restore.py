"""A real backup (issue 8, item 8): ``backup`` then ``restore`` into an empty database brings back
every table, with the same row count and content hash: entries with their workflow fields, change
history, users, groups, permissions, correction reports and suggestions.

The tests need committed rows (pg_dump reads through its own connection), so they are transactional
(pytest-django runs them after the others; the database is flushed after each)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from content.backups import backup_database, create_postgres_database, fingerprints, open_database, restore_database
from curation.models import CorrectionReport, Suggestion
from practices.models import Practice, Status
from tests.factories import PracticeFactory, UserFactory


def _current():
    name = str(connection.settings_dict["NAME"])
    assert "test" in name or "memory" in name  # never the real database
    raw = open_database(connection.vendor, connection.settings_dict, name)
    try:
        return fingerprints(raw, connection.vendor)
    finally:
        raw.close()


def _add_everything_a_backup_must_keep():
    group = Group.objects.create(name="Backup test group")
    group.permissions.add(Permission.objects.get(codename="change_practice"))
    reviewer = UserFactory(username="backup-reviewer", is_staff=True)
    reviewer.groups.add(group)
    successor = PracticeFactory(status=Status.PUBLISHED, published_by=reviewer)
    archived = PracticeFactory(
        status=Status.ARCHIVED,
        published_by=reviewer,
        submitted_at=timezone.now(),
        archived_at=timezone.now(),
        review_comment="Superseded; see the successor.",
        successor=successor,
    )
    archived.title = "Archived practice, edited once (a history record)"
    archived.save()
    CorrectionReport.objects.create(
        message="The date is wrong.",
        contact_email="reader.private@example.org",
        content_type=ContentType.objects.get_for_model(Practice),
        object_id=successor.pk,
    )
    Suggestion.objects.create(
        title="A suggested practice", description="What it does.", organisation="Example", countries="Senegal",
        contact_name="Private Person", contact_email="private@example.org", contact_role="ngo",
    )  # fmt: skip


def _restore_into_empty_database(backup, tmp_path):
    """Restore into a new, empty database and return its fingerprints."""
    if connection.vendor == "postgresql":
        name = f"{connection.settings_dict['NAME']}_restored"
        admin = open_database("postgresql", connection.settings_dict, "postgres")
        admin.autocommit = True
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}"')
        create_postgres_database(name)
        restore_database(backup, database=name)
    else:
        name = str(tmp_path / "restored.sqlite3")
        restore_database(backup, database=name)
    raw = open_database(connection.vendor, connection.settings_dict, name)
    try:
        return fingerprints(raw, connection.vendor)
    finally:
        raw.close()
        if connection.vendor == "postgresql":
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.close()


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database_keeps_every_table(kb_content, tmp_path):
    before = _current()
    _add_everything_a_backup_must_keep()
    source = _current()
    backup = backup_database(tmp_path / "full")
    restored = _restore_into_empty_database(backup, tmp_path)
    assert restored == source
    for table in ("auth_user", "auth_group", "auth_group_permissions", "auth_user_groups", "auth_permission",
                  "curation_correctionreport", "curation_suggestion", "curation_historicalpractice"):  # fmt: skip
        assert source[table][0] > before.get(table, (0, ""))[0] or table == "auth_permission", table
    print(f"\n{connection.vendor}: {len(source)} tables, {sum(c for c, _ in source.values())} rows")
    for table, (count, digest) in sorted(source.items()):
        print(f"  {table}: {count} rows, sha256 {digest[:16]}")


@pytest.mark.django_db(transaction=True)
def test_the_commands_back_up_and_restore_into_another_database(tmp_path, capsys):
    call_command("backup", "--dir", str(tmp_path))
    (backup,) = [path for path in tmp_path.iterdir() if path.name.startswith("kb-backup-")]
    if connection.vendor == "postgresql":
        target = f"{connection.settings_dict['NAME']}_cmd"
        admin = open_database("postgresql", connection.settings_dict, "postgres")
        admin.autocommit = True
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{target}"')
        try:
            call_command("restore", str(backup), database=target, create=True)
        finally:
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{target}"')
            admin.close()
    else:
        target = str(tmp_path / "restored.sqlite3")
        call_command("restore", str(backup), database=target)
    assert f"into {target}:" in capsys.readouterr().out
