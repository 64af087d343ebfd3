from django.template import Context, Template

from common.text import SNIPPET_END, SNIPPET_START, normalise_for_quote


def test_normalise_folds_white_space_and_emphasis():
    assert normalise_for_quote("**prevention**  through\n\nawareness") == "prevention through awareness"


def test_highlight_escapes_everything_but_the_marks():
    snippet = f"<script>alert(1)</script> {SNIPPET_START}children{SNIPPET_END}"
    html = Template("{% load kb_tags %}{{ s|highlight }}").render(Context({"s": snippet}))
    assert html == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>children</mark>"
