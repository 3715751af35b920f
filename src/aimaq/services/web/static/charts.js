/* Charts of the profile and compare pages (bar, line, radar), drawn with the app's own plotly.js. Each chart
   is a <div data-chart="kind"> followed by <script type="application/json" data-chart-for="id"> holding its
   data; the page's table or list says the same in text. The modebar's camera button saves a PNG and the
   extra button an SVG (Plotly.downloadImage, in the browser: nothing is sent anywhere). */
(function () {
  "use strict";

  var lang = document.documentElement.lang;
  var separators = lang === "en" ? ".," : ", ";
  // The button's label comes from the message catalogues through the page (base.html).
  var svgMeta = document.querySelector('meta[name="aimaq-svg-label"]');
  var svgLabel = svgMeta ? svgMeta.getAttribute("content") : "SVG";
  // Okabe & Ito (2008) colours: distinguishable with the common colour-vision deficiencies.
  var COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000"];

  function config(filename) {
    var svgButton = {
      name: "svg",
      title: svgLabel,
      icon: { width: 1000, height: 1000, path: "M500 50 L850 400 H620 V800 H380 V400 H150 Z M150 870 H850 V950 H150 Z" },
      click: function (gd) { window.Plotly.downloadImage(gd, { format: "svg", filename: filename }); }
    };
    return {
      responsive: true, displaylogo: false,
      toImageButtonOptions: { format: "png", filename: filename, scale: 2 },
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
      modeBarButtonsToAdd: [svgButton]
    };
  }
  window.AimaqCharts = { config: config };

  function bar(div, spec) {
    var n = spec.labels.length;
    var order = spec.values.map(function (v, i) { return i; }).sort(function (a, b) { return spec.values[a] - spec.values[b]; });
    return window.Plotly.newPlot(div, [{
      type: "bar", orientation: "h",
      y: order.map(function (i) { return spec.labels[i]; }),
      x: order.map(function (i) { return spec.values[i]; }),
      marker: { color: order.map(function (i) { return spec.values[i] < 0 ? "#D55E00" : "#0072B2"; }) },
      hovertemplate: "%{y}: %{x:.3g}<extra></extra>"
    }], {
      margin: { l: 10, r: 10, t: 10, b: 40 }, height: Math.max(220, 26 * n + 60), separators: separators,
      xaxis: { title: { text: spec.value_label || "" }, zeroline: true },
      yaxis: { automargin: true }
    }, config(div.id));
  }

  function line(div, spec) {
    var traces = spec.series.map(function (s, i) {
      return { type: "scatter", mode: "lines+markers", name: s.name, x: s.years, y: s.values,
               line: { color: COLOURS[i % COLOURS.length] }, visible: i < 4 ? true : "legendonly" };
    });
    return window.Plotly.newPlot(div, traces, {
      margin: { l: 50, r: 10, t: 10, b: 40 }, height: 380, separators: separators,
      legend: { orientation: "h", y: -0.2 }, xaxis: { dtick: 1 }
    }, config(div.id));
  }

  function radar(div, spec) {
    var axes = spec.axes.concat([spec.axes[0]]);
    var traces = spec.series.map(function (s, i) {
      var r = s.values.concat([s.values[0]]);
      return { type: "scatterpolar", name: s.name, r: r, theta: axes, fill: "toself", opacity: 0.75,
               line: { color: COLOURS[i % COLOURS.length] } };
    });
    var radial = { visible: true };
    if (spec.range) { radial.range = spec.range; } else { radial.range = [0, 1]; }
    return window.Plotly.newPlot(div, traces, {
      margin: { l: 60, r: 60, t: 30, b: 30 }, height: 460, separators: separators,
      polar: { radialaxis: radial, angularaxis: { tickfont: { size: 11 } } },
      legend: { orientation: "h", y: -0.1 }
    }, config(div.id));
  }

  var kinds = { bar: bar, line: line, radar: radar };

  function drawAll() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (div) {
      var script = document.querySelector('script[data-chart-for="' + div.id + '"]');
      var draw = kinds[div.getAttribute("data-chart")];
      if (!script || !draw) { return; }
      draw(div, JSON.parse(script.textContent)).then(function () { div.setAttribute("data-state", "ready"); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
