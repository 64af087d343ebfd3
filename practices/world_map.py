"""The world map (/map/): countries shaded by how many published entries are filed under them, each
shaded country a link to the browse list filtered by it, region borders drawn thicker, and beside
it a table of the same numbers. Server-rendered SVG from ``fixtures/geo/world-map.json`` (Natural
Earth): no script, no inline style, no request to anyone else. Region and country pages show a
smaller map of their part of the world (``region_map``, ``country_map``)."""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from practices.counts import published_counts
from practices.gap_map import ENTRY_OPTIONS, KnownChoicesMixin, shade
from practices.kinds import BY_PLURAL
from practices.world_geometry import overlaps, world
from taxonomy.models import Country, Pillar

SHADES = 4  # shade classes 1-4 (0 is "none"), as on the gap map
PADDING = 0.15  # around a region or country, as a share of its width and height
MIN_FRAME = (160, 100)  # the smallest part of the world a small map shows (grid units)


def country_counts(published):
    """``{ISO code: number of distinct entries}`` of a queryset of published entries, in one query
    (``kb_stats``; the map reads the same numbers off the facet index, and a test holds them equal)."""
    rows = published.order_by().values("countries__code").annotate(entries=Count("pk", distinct=True))
    return {row["countries__code"]: row["entries"] for row in rows if row["countries__code"]}


def legend(maximum):
    """The shade classes in use with the counts each stands for: ``[(shade, "1"), (2, "2-3"), ...]``."""
    ranges = {}
    for count in range(1, maximum + 1):
        ranges.setdefault(shade(count, maximum), []).append(count)
    return [
        (level, str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}")
        for level, counts in sorted(ranges.items())
    ]


def frame(codes, geometry):
    """The viewBox ``(x, y, width, height)`` around some countries, padded, at least ``MIN_FRAME``."""
    boxes = [geometry.countries[code]["bbox"] for code in codes if code in geometry.countries]
    if not boxes:
        return (0, 0, *geometry.size)
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    width = max(MIN_FRAME[0], round((x1 - x0) * (1 + 2 * PADDING)))
    height = max(MIN_FRAME[1], round((y1 - y0) * (1 + 2 * PADDING)))
    return ((x0 + x1 - width) // 2, (y0 + y1 - height) // 2, width, height)


def shapes(counts, names, link, view=None, focus=None, current=None):
    """What the SVG draws, one item per country: its path (or a dot when too small to draw), name,
    count, shade class and link. ``view`` keeps only the countries in that frame; ``focus`` mutes
    the countries outside it; ``link(code, count)`` gives a shaded country's address."""
    geometry = world()
    maximum = max((n for code, n in counts.items() if focus is None or code in focus), default=0)
    drawn = []
    for code, shape in geometry.countries.items():
        d = geometry.path(code, view)
        if view and not (d or (not shape["rings"] and overlaps([*shape["label"], *shape["label"]], view))):
            continue
        count = counts.get(code, 0) if focus is None or code in focus else 0
        drawn.append(
            {
                "code": code,
                "name": names.get(code, shape["name"]),
                "d": d,
                "label": shape["label"],
                "count": count,
                "shade": shade(count, maximum),
                "url": link(code, count) if count and code != current else "",
                "muted": focus is not None and code not in focus,
                "current": code == current,
            }
        )
    # Linked countries last (drawn on top, so a focus ring is not hidden) and in name order (tab order).
    drawn.sort(key=lambda item: (bool(item["url"]) or item["current"], item["name"] if item["url"] else ""))
    return drawn, maximum


def table_rows(counts, countries, link):
    """The table beside the map: each country with entries, its count and link, most first."""
    rows = [
        {"country": countries[code], "count": count, "url": link(code, count)}
        for code, count in counts.items()
        if code in countries
    ]
    return sorted(rows, key=lambda row: (-row["count"], row["country"].name))


class WorldMapView(KnownChoicesMixin, TemplateView):
    template_name = "practices/world_map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.ignored = {}
        pillars = list(Pillar.objects.all())
        entries_key = self.choice("entries", ENTRY_OPTIONS, "practices")
        pillar_slug = self.choice("pillar", {"", *(pillar.slug for pillar in pillars)}, "")
        for name in self.request.GET:
            if name not in {"entries", "pillar"}:
                self.ignored.setdefault(name, []).append(self.request.GET[name])
        kind = BY_PLURAL[entries_key]
        pillar = next((p for p in pillars if p.slug == pillar_slug), None)
        countries = {c.code: c for c in Country.objects.select_related("region")}
        # Off the facet index, as the browse list the map links to counts them.
        by_id = published_counts(kind.model, "countries", within=("pillars", pillar) if pillar else None)
        counts = {code: by_id[country.pk] for code, country in countries.items() if country.pk in by_id}
        names = {code: country.label for code, country in countries.items()}
        list_url = reverse(kind.list_url_name)

        def link(code, count):
            return f"{list_url}?{urlencode({'country': code} | ({'pillar': pillar.slug} if pillar else {}))}"

        drawn, maximum = shapes(counts, names, link)
        region_of = {code: country.region_id for code, country in countries.items() if country.region_id}
        geometry = world()
        table = table_rows(counts, countries, link)
        context |= {
            "entries_key": entries_key,
            "entries_label": kind.label,
            "entry_options": [(key, BY_PLURAL[key].label) for key in ENTRY_OPTIONS],
            "pillars": pillars,
            "pillar": pillar,
            "map": {
                "id": "world-map",
                "view_box": f"0 0 {geometry.size[0]} {geometry.size[1]}",
                "shapes": drawn,
                "outline": geometry.outline(region_of),
                "legend": legend(maximum),
                "noun": kind.label,
                "title": _("World map of published %(entries)s by country") % {"entries": kind.label},
            },
            "table": table,
            "not_drawn": [row for row in table if row["country"].code not in geometry.countries],
            "total_countries": len(table),
            "ignored": self.ignored,
        }
        return context


def region_map(region, counts):
    """The small map on a region page: its countries shaded by their published entries (``counts``:
    code -> number, for every country of the region), each shaded one a link to its country page,
    the rest of the world muted."""
    codes = set(counts)
    geometry = world()
    view = frame(codes, geometry)
    drawn, maximum = shapes(counts, {}, lambda code, count: reverse("taxonomy:country", args=[code]), view, codes)
    return {
        "id": "region-map",
        "view_box": " ".join(str(n) for n in view),
        "shapes": drawn,
        "outline": geometry.outline(dict.fromkeys(codes, True)),
        "legend": legend(maximum),
        "noun": _("entries"),
        "title": _("Map of %(region)s: published entries by country") % {"region": region.label},
        "small": True,
    }


def country_map(country):
    """The small map on a country page: the country marked, its neighbours muted."""
    geometry = world()
    if country.code not in geometry.countries:
        return None
    view = frame([country.code], geometry)
    names = {country.code: country.label}
    drawn, _maximum = shapes({}, names, lambda code, count: "", view, {country.code}, current=country.code)
    return {
        "id": "country-map",
        "view_box": " ".join(str(n) for n in view),
        "shapes": drawn,
        "outline": "",
        "legend": [],
        "noun": _("entries"),
        "title": _("Where %(country)s is") % {"country": country.label},
        "small": True,
    }
