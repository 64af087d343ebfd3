"""Fuzzing every public URL with hypothesis: no input may make the site answer with a server error.

Nothing here is a hand-written list of the site's pages. The routes come from the URLconf (every
pattern outside the admin); example values for their path parameters from ``/sitemap.xml`` and the
links of the pages themselves; query parameter names and values from the links and form fields of
those pages, the OpenAPI schema's parameters and whatever names the caller adds (the filter sets').
Each request then mixes real values with generated text, NUL and other control characters, huge
numbers and markup. Used by ``tests/test_fuzzing.py`` (a few hundred requests) and
``manage.py fuzz_urls`` (the benchmark run)."""

import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

EXCLUDED_PREFIXES = ("admin/",)
NASTY_VALUES = [
    "\x00",
    "a\x00b",
    "\x01",
    "\x7f",
    "\r\n",
    "\x1b[31m",
    "\u0085",
    "",
    " ",
    "-1",
    "0",
    "99999999999999999999999",
    "1e9",
    "NaN",
    "' OR 1=1 --",
    '"',
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%",
    "%00",
    "_",
    "\\",
    "a & b | !c",
    "foo:* <-> bar",
    "😀",
    "ünïcödé 儿童",
    "\ud7ff\ue000",
    "x" * 3000,
    "[]",
    "{}",
]
_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


@dataclass
class Route:
    """A URL pattern as a template (``practices/{slug}/``) with the names of its parameters."""

    template: str
    params: tuple[str, ...]

    def build(self, values: dict) -> str:
        path = self.template
        for name in self.params:
            path = path.replace("{" + name + "}", quote(values[name], safe=""))
        return "/" + path


def _template(pattern: object) -> str | None:
    """``practices/<slug:slug>/`` or ``^practices/(?P<slug>[^/.]+)/$`` as ``practices/{slug}/``;
    None for a regular expression it cannot read."""
    text = str(pattern)
    if text.startswith("^") or text.endswith("$"):
        text = _GROUP.sub(r"{\1}", text).lstrip("^").rstrip("$").replace("/?", "/").replace(r"\.", ".")
        if re.search(r"[()\[\]*+?|\\]", text):
            return None
        return text
    return _CONVERTER.sub(r"{\1}", text)


def public_routes(resolver=None, prefix="") -> list[Route]:
    """Every route of the URLconf outside the admin."""
    routes = []
    for entry in (resolver or get_resolver()).url_patterns:
        template = _template(entry.pattern)
        if template is None:
            continue
        path = prefix + template
        if path.startswith(EXCLUDED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            routes.extend(public_routes(entry, path))
        elif isinstance(entry, URLPattern):
            routes.append(Route(path, tuple(re.findall(r"{(\w+)}", path))))
    unique = {route.template: route for route in routes}
    return list(unique.values())


class _LinkParser(HTMLParser):
    """The links and form field names of a page."""

    def __init__(self):
        super().__init__()
        self.links, self.fields = [], defaultdict(set)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            self.fields[attrs["name"]].add(attrs.get("value") or "")
        if tag == "option" and attrs.get("value"):
            self.fields["__option__"].add(attrs["value"])


@dataclass
class Vocabulary:
    """What the fuzzer knows of the site: example path values and query parameters with values."""

    path_values: dict = field(default_factory=lambda: defaultdict(set))  # (route template, parameter) -> values
    query_values: dict = field(default_factory=lambda: defaultdict(set))  # parameter -> values

    def learn_link(self, href: str):
        parts = urlsplit(href)
        if parts.netloc and parts.netloc not in ("testserver", "localhost"):
            return
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            self.query_values[name].add(value)
        if parts.path.startswith("/"):
            try:
                match = resolve(parts.path)
            except Resolver404:
                return
            template = _template(match.route)
            for name, value in match.kwargs.items():
                self.path_values[(template, name)].add(str(value))

    def learn_page(self, html: str):
        parser = _LinkParser()
        parser.feed(html)
        for href in parser.links:
            self.learn_link(href)
        options = parser.fields.pop("__option__", set())
        for name, values in parser.fields.items():
            if not name.startswith(("csrf", "_")):
                self.query_values[name] |= values | options

    def learn_schema(self, schema: dict):
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for parameter in operation.get("parameters", []):
                    if parameter.get("in") == "query":
                        values = parameter.get("schema", {}).get("items", parameter.get("schema", {})).get("enum", [])
                        self.query_values[parameter["name"]] |= {str(v) for v in values}


def explore(client: Client, routes: list[Route], extra_params=()) -> Vocabulary:
    """Learn the site's values: the sitemap, then one page per route (its first known example), the
    API schema. About one request per route."""
    vocabulary = Vocabulary()
    for name in extra_params:
        vocabulary.query_values[name]  # noqa: B018 (creates the entry)
    sitemap = client.get("/sitemap.xml")
    for location in re.findall(r"<loc>([^<]+)</loc>", sitemap.content.decode()):
        vocabulary.learn_link(location)
    for route in routes:
        if all(vocabulary.path_values.get((route.template, name)) for name in route.params):
            url = route.build(
                {name: sorted(vocabulary.path_values[(route.template, name)])[0] for name in route.params}
            )
            response = client.get(url)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                vocabulary.learn_page(response.content.decode())
    schema = client.get("/api/schema/", {"format": "json"})
    if schema.status_code == 200:
        vocabulary.learn_schema(schema.json())
    return vocabulary


def value_strategy(known):
    """A parameter value: a known one, any known value, generated text, or something nasty."""
    options = [st.sampled_from(NASTY_VALUES), st.text(max_size=20), st.integers(-(10**20), 10**20).map(str)]
    if known:
        options = [st.sampled_from(sorted(known)), st.sampled_from(sorted(known)), *options]
    return st.one_of(options)


def request_strategy(routes: list[Route], vocabulary: Vocabulary):
    """A URL: a route with path values, and a query of known and made-up parameters."""
    all_values = set().union(*vocabulary.query_values.values(), *vocabulary.path_values.values())
    names = sorted(vocabulary.query_values)

    @st.composite
    def url(draw):
        route = draw(st.sampled_from(routes))
        values = {
            name: draw(value_strategy(vocabulary.path_values.get((route.template, name)) or all_values))
            for name in route.params
        }
        query = draw(
            st.dictionaries(
                st.one_of(st.sampled_from(names), st.sampled_from(NASTY_VALUES), st.text(max_size=8)),
                st.lists(value_strategy(all_values), min_size=1, max_size=3),
                max_size=5,
            )
        )
        for name in list(query):
            if vocabulary.query_values.get(name):
                query[name] = [draw(value_strategy(vocabulary.query_values[name])) for _ in query[name]]
        text = urlencode(query, doseq=True)
        return route.build(values) + (f"?{text}" if text else "")

    return url()


@dataclass
class FuzzReport:
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    server_errors: list = field(default_factory=list)  # (url, status)
    slowest: list = field(default_factory=list)  # (seconds, url), the 10 slowest


def fuzz(client: Client, examples: int, extra_params=(), on_response=None) -> FuzzReport:
    """Make ``examples`` generated requests; count them and their status codes. ``on_response(url,
    response)`` may assert (the test) or not (the benchmark). Each request comes from its own address,
    so rate limits keyed on the client's address do not turn the run into a run of 429s."""
    routes = public_routes()
    vocabulary = explore(client, routes, extra_params)
    report = FuzzReport()

    @given(url=request_strategy(routes, vocabulary))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    def run(url):
        report.requests += 1
        n = report.requests
        started = time.perf_counter()
        response = client.get(url, REMOTE_ADDR=f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}")
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        report.slowest = sorted([*report.slowest, (time.perf_counter() - started, url)], reverse=True)[:10]
        report.statuses[response.status_code] += 1
        if response.status_code >= 500:
            report.server_errors.append((url, response.status_code))
        if on_response is not None:
            on_response(url, response)

    run()
    return report
