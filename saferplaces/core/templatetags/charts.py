"""{% chart spec "element-id" "caption" %}: a Vega-Lite chart rendered by vendored vega-embed."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from saferplaces.core.charts import spec_json

register = template.Library()


@register.simple_tag
def chart(spec: dict, element_id: str, caption: str = ""):
    """A figure holding the spec as JSON; static/saferplaces/charts.js draws it."""
    return format_html(
        '<figure class="chart"><div class="vega-chart" data-spec="{}-spec" role="img" '
        'aria-label="{}"></div><script type="application/json" id="{}-spec">{}</script>'
        '{}</figure>',
        element_id, caption or "Chart", element_id, mark_safe(spec_json(spec)),
        format_html("<figcaption>{}</figcaption>", caption) if caption else "",
    )
