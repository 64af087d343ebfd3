"""A plain-text citation for an entry: what someone pastes into a report or an e-mail."""

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext


def long_date(day):
    return format_date(day, "j F Y")  # month name in the active language


def conference_dates(conference):
    start, end = conference.start_date, conference.end_date
    if start == end:
        return long_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{long_date(end)}"
    return f"{long_date(start)}–{long_date(end)}"


def citation_text(entry, url, accessed=None):
    """``Title. Lanzarote Knowledge Base, good practice. Source: <document>, section <label>.
    <Conference> (<place>, <dates>). <url> (accessed <date>).``"""
    accessed = accessed or timezone.localdate()
    kind = gettext("good practice") if entry._meta.model_name == "practice" else entry.get_kind_display().lower()
    document = entry.section.document
    parts = [
        f"{entry.local_title}.",
        gettext("Lanzarote Knowledge Base, %(kind)s.") % {"kind": kind},
        gettext("Source: %(document)s, section %(section)s.")
        % {"document": document.title, "section": entry.section.label},
    ]
    conference = entry.session.conference if entry.session_id else document.conference
    if conference is not None:
        parts.append(f"{conference.title} ({conference.place}, {conference_dates(conference)}).")
    parts.append(gettext("%(url)s (accessed %(date)s).") % {"url": url, "date": long_date(accessed)})
    return " ".join(parts)
