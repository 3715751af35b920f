/* The uncertainty view: while a preset's uncertainty run computes, poll its JSON (/api/uncertainty/NAME.json,
   202 = ask again) and fill in what the server could not yet show: the robustness statement of a profile
   (data-uncertainty-kind="statement"), the rank-interval bars of a ranking ("ranking"), or reload the
   uncertainty page ("page"). On the uncertainty page, draw its charts with the app's own plotly.js. Every
   chart has a table beside it that says the same in text. */
(function () {
  "use strict";

  var lang = document.documentElement.lang;
  var separators = lang === "en" ? ".," : ", ";
  // Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
  var BLUE = "#0072B2", ORANGE = "#E69F00", VERMILION = "#D55E00";

  function poll(url, done) {
    var tries = 0;
    function ask() {
      tries += 1;
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json().then(function (body) { return { code: r.status, body: body }; }); })
        .then(function (res) {
          if (res.code === 202 && tries < 600) {
            setTimeout(ask, tries < 30 ? 1000 : 3000);
            return;
          }
          done(res.body);
        })
        .catch(function () { if (tries < 600) { setTimeout(ask, 3000); } });
    }
    ask();
  }

  function fillStatement(el, body) {
    var text = el.querySelector(".robustness-text");
    var conf = el.querySelector(".confidence");
    el.setAttribute("data-state", body.status);
    if (body.status !== "ready") {
      text.textContent = body.reason_text || "";
      if (body.reason) { text.setAttribute("title", body.reason); }
      return;
    }
    var code = el.getAttribute("data-territory");
    var row = (body.territories || []).filter(function (t) { return t.code === code; })[0];
    text.textContent = row ? row.statement : "—";
    if (row && row.confidence && conf) {
      conf.className = "confidence confidence-" + row.confidence;
      conf.textContent = "(" + row.confidence_text + ")";
    }
  }

  function bar(row) {
    var frag = document.createDocumentFragment();
    if (!row || !row.bar) {
      var none = document.createElement("span");
      none.className = "ri-text muted";
      none.textContent = "—";
      frag.appendChild(none);
      return frag;
    }
    var outer = document.createElement("span");
    outer.className = "rank-interval";
    outer.setAttribute("aria-hidden", "true");
    var inner = document.createElement("span");
    inner.className = "ri-bar";
    inner.style.left = row.bar.left + "%";
    inner.style.width = row.bar.width + "%";
    outer.appendChild(inner);
    if (row.bar.nominal !== null) {
      var mark = document.createElement("span");
      mark.className = "ri-nominal";
      mark.style.left = row.bar.nominal + "%";
      outer.appendChild(mark);
    }
    var text = document.createElement("span");
    text.className = "ri-text";
    text.textContent = row.rank_text;
    frag.appendChild(outer);
    frag.appendChild(text);
    return frag;
  }

  function fillRanking(table, body) {
    var state = document.getElementById("interval-state");
    table.setAttribute("data-state", body.status);
    if (body.status !== "ready") {
      if (state) { state.textContent = body.reason_text || ""; }
      return;
    }
    if (state) { state.textContent = ""; }
    var rows = {};
    (body.territories || []).forEach(function (t) { rows[t.code] = t; });
    table.querySelectorAll("tbody tr[data-code]").forEach(function (tr) {
      var cell = tr.querySelector("td.interval");
      if (!cell) { return; }
      var row = rows[tr.getAttribute("data-code")];
      cell.textContent = "";
      cell.appendChild(bar(row));
      cell.setAttribute("data-value", row && row.median_rank !== null ? row.median_rank : "");
    });
  }

  document.querySelectorAll("[data-uncertainty-url]").forEach(function (el) {
    var kind = el.getAttribute("data-uncertainty-kind");
    poll(el.getAttribute("data-uncertainty-url"), function (body) {
      if (kind === "statement") { fillStatement(el, body); }
      else if (kind === "ranking") { fillRanking(el, body); }
      else if (kind === "page") { window.location.reload(); }
    });
  });

  // ---------------------------------------------------------------- charts of the uncertainty page
  function config(name) {
    return window.AimaqCharts ? window.AimaqCharts.config(name)
      : { responsive: true, displaylogo: false, toImageButtonOptions: { format: "png", filename: name } };
  }

  function ranks(div, spec, name) {
    var n = spec.names.length;
    return window.Plotly.newPlot(div, [
      { type: "scatter", mode: "markers", name: spec.labels.median, y: spec.names, x: spec.median,
        marker: { color: BLUE, size: 8 },
        error_x: { type: "data", symmetric: false, color: BLUE, thickness: 2, width: 4,
                   array: spec.hi.map(function (h, i) { return h - spec.median[i]; }),
                   arrayminus: spec.median.map(function (m, i) { return m - spec.lo[i]; }) },
        hovertemplate: "%{y}: %{x}<extra></extra>" },
      { type: "scatter", mode: "markers", name: spec.labels.nominal, y: spec.names, x: spec.nominal,
        marker: { color: VERMILION, symbol: "diamond-open", size: 10, line: { width: 2 } },
        hovertemplate: "%{y}: %{x}<extra></extra>" }
    ], {
      margin: { l: 10, r: 10, t: 10, b: 40 }, height: Math.max(260, 24 * n + 80), separators: separators,
      xaxis: { title: { text: spec.labels.axis }, dtick: n > 30 ? 5 : 1, rangemode: "tozero" },
      yaxis: { automargin: true, autorange: "reversed" }, legend: { orientation: "h", y: -0.12 }
    }, config(name + "_ranks"));
  }

  function classes(div, spec, name) {
    var traces = spec.classes.map(function (k) {
      return { type: "bar", orientation: "h", name: k.label, y: spec.names, x: k.values,
               marker: { color: k.colour, line: { color: "#ffffff", width: 1 } },
               hovertemplate: "%{y}: %{x:.0%}<extra>" + k.label + "</extra>" };
    });
    return window.Plotly.newPlot(div, traces, {
      barmode: "stack", margin: { l: 10, r: 10, t: 10, b: 40 }, separators: separators,
      height: Math.max(240, 22 * spec.names.length + 90),
      xaxis: { title: { text: spec.axis }, range: [0, 1], tickformat: ".0%" },
      yaxis: { automargin: true, autorange: "reversed" }, legend: { orientation: "h", y: -0.15 }
    }, config(name + "_classes"));
  }

  function sobol(div, spec, name) {
    return window.Plotly.newPlot(div, [
      { type: "bar", name: spec.names.S1, x: spec.labels, y: spec.S1, marker: { color: BLUE } },
      { type: "bar", name: spec.names.ST, x: spec.labels, y: spec.ST, marker: { color: ORANGE } }
    ], {
      barmode: "group", margin: { l: 50, r: 10, t: 10, b: 60 }, height: 320, separators: separators,
      yaxis: { range: [0, 1] }, xaxis: { automargin: true }, legend: { orientation: "h", y: -0.25 }
    }, config(name + "_sobol"));
  }

  function drawCharts() {
    var data = document.getElementById("unc-data");
    if (!data || !window.Plotly) { return; }
    var spec = JSON.parse(data.textContent);
    document.querySelectorAll("[data-unc-chart]").forEach(function (div) {
      var kind = div.getAttribute("data-unc-chart"), drawn;
      if (kind === "ranks") { drawn = ranks(div, spec.rank_chart, spec.filename); }
      else if (kind === "sobol") { drawn = sobol(div, spec.sobol_chart, spec.filename); }
      else if (kind === "classes") {
        drawn = classes(div, spec.class_charts[parseInt(div.getAttribute("data-index"), 10)], spec.filename);
      }
      if (drawn) { drawn.then(function () { div.setAttribute("data-state", "ready"); }); }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawCharts);
  } else {
    drawCharts();
  }
})();
