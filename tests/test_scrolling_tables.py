"""`{% scrolling %}` (core/templatetags/tables.py): a wide table scrolls inside a region named
by its caption that the keyboard can reach; a table without a caption is an error."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(text: str, **context) -> str:
    return Template("{% load tables %}" + text).render(Context(context))


def test_the_region_is_named_by_the_caption_and_focusable():
    html = render('{% scrolling %}<table><caption class="visually-hidden">Wards &amp; '
                  '<abbr>LSOAs</abbr>, {{ when }}</caption><tr><td>1</td></tr></table>'
                  '{% endscrolling %}', when="Jan <2021>")
    assert html == (
        '<div class="table-scroll" role="region" aria-label="Wards &amp; LSOAs, Jan &lt;2021&gt;"'
        ' tabindex="0"><table><caption class="visually-hidden">Wards &amp; <abbr>LSOAs</abbr>, '
        'Jan &lt;2021&gt;</caption><tr><td>1</td></tr></table></div>')


def test_a_table_without_a_caption_is_refused():
    with pytest.raises(TemplateSyntaxError, match="caption"):
        render("{% scrolling %}<table><tr><td>1</td></tr></table>{% endscrolling %}")
