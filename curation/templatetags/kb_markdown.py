from django import template

from curation.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """``{{ practice.description|markdown }}``: Markdown rendered to sanitised HTML."""
    return render_markdown(text)
