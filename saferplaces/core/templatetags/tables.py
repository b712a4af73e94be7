"""`{% scrolling %}<table>...</table>{% endscrolling %}`: a table that scrolls inside its own
container when it is wider than the screen (phones), the container being a named region that
the keyboard can reach and scroll (axe's scrollable-region-focusable). The region is named by
the table's caption, which every such table has (visually hidden where the heading says it).
"""

from __future__ import annotations

import html
import re

from django import template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

register = template.Library()

_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.DOTALL)


class ScrollingNode(template.Node):
    def __init__(self, nodelist: template.NodeList):
        self.nodelist = nodelist

    def render(self, context) -> str:
        table = self.nodelist.render(context)
        caption = _CAPTION.search(table)
        if caption is None:
            raise template.TemplateSyntaxError("a scrolling table needs a caption to name it")
        label = " ".join(html.unescape(strip_tags(caption.group(1))).split())
        return format_html('<div class="table-scroll" role="region" aria-label="{}" '
                           'tabindex="0">{}</div>', label, mark_safe(table))


@register.tag
def scrolling(parser, token) -> ScrollingNode:
    nodelist = parser.parse(("endscrolling",))
    parser.delete_first_token()
    return ScrollingNode(nodelist)
