/* Draw every Vega-Lite chart on the page (and after htmx swaps) with the vendored vega-embed. */
(function () {
  function draw(root) {
    root.querySelectorAll(".vega-chart:not([data-drawn])").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-spec"));
      if (!source) { return; }
      el.setAttribute("data-drawn", "1");
      // The Content-Security-Policy allows no eval and no inline styles: Vega's expression
      // interpreter instead of generated code, and our own CSS instead of the stylesheets vega-embed would inject.
      vegaEmbed(el, JSON.parse(source.textContent), {
        actions: false, renderer: "svg", ast: true, expr: vega.expressionInterpreter,
        defaultStyle: false, tooltip: { disableDefaultStyle: true }
      })
        .catch(function (err) { el.textContent = "The chart could not be drawn: " + err; });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
})();
