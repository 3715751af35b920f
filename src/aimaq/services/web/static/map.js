/* The choropleth of the map page: plotly.js (served by the app from the plotly package), no network but
   this origin. Data comes from the page itself (#map-data, the same dict as /map.json) and the region
   polygons from /api/geo/regions.geojson. The table under the map carries the same values for keyboard and
   screen-reader users. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("map-data").textContent);
  var labels = JSON.parse(document.getElementById("map-labels").textContent);
  var lang = document.documentElement.lang;
  var form = document.getElementById("map-form");
  var mapDiv = document.getElementById("map");

  // Choosing another indicator or year reloads the page with it (the form also works without JavaScript).
  var indicator = document.getElementById("indicator");
  var period = document.getElementById("period");
  if (indicator) {
    indicator.addEventListener("change", function () {
      if (period) { period.disabled = true; }  // the new indicator may not have this period: use its latest
      form.submit();
    });
  }
  if (period) {
    period.addEventListener("change", function () { form.submit(); });
  }

  function fail(err) {
    mapDiv.setAttribute("data-state", "failed");
    var p = document.createElement("p");
    p.className = "banner";
    p.textContent = labels.mapFailed;
    mapDiv.appendChild(p);
    if (window.console) { console.warn(err); }
  }

  var indexForm = document.getElementById("index-form");
  ["index", "column", "index-year"].forEach(function (id) {
    var el = document.getElementById(id);
    if (el && indexForm) {
      el.addEventListener("change", function () {
        if (id === "index") {  // another index: its own columns and years
          ["column", "index-year"].forEach(function (o) { var x = document.getElementById(o); if (x) { x.disabled = true; } });
        }
        indexForm.submit();
      });
    }
  });

  var overlay = data.overlay;
  if (!window.Plotly || (!data.indicator && !overlay)) {
    if (!window.Plotly) { fail("plotly.js did not load"); }
    return;
  }

  // Number separators of the page's language (CLDR): "89 028,7" in kk and ru, "89,028.7" in en.
  var separators = lang === "en" ? ".," : ", ";
  // Viridis: perceptually uniform and readable with the common colour-vision deficiencies. Reversed for
  // indicators where lower is better, so that the bright end always means "better".
  var reverse = overlay ? overlay.direction === -1 : data.indicator.direction === -1;
  var unit = overlay ? "" : (data.indicator.unit || "");

  function draw(geojson) {
    var withValue = data.regions.filter(function (r) { return r.value !== null; });
    var without = data.regions.filter(function (r) { return r.value === null; });
    // An index or layer names its column (score, rank, a class) instead of "Value" and has no status.
    var hover = overlay
      ? "<b>%{customdata[0]}</b><br>" + overlay.column_label + ": %{customdata[1]}%{customdata[4]}" +
        "<br><i>" + labels.clickHint + "</i><extra></extra>"
      : "<b>%{customdata[0]}</b><br>" + labels.value + ": %{customdata[1]}" +
        (unit ? " " + unit : "") + "<br>" + labels.status + ": %{customdata[2]}%{customdata[4]}" +
        "<br><i>" + labels.clickHint + "</i><extra></extra>";
    // customdata[4]: the line saying a value is of an earlier region drawn on the borders of its time.
    function custom(r) {
      return [r.name, r.formatted, r.status_label || r.status, r.url, r.historic ? "<br><i>" + r.historic.note + "</i>" : ""];
    }
    // A region of an earlier division gets a thick dark outline (a shape cue, not a colour, for the legend's
    // "Earlier borders"); the others the usual thin white line.
    function outline(rs) {
      return {
        color: rs.map(function (r) { return r.historic ? "#1a1a1a" : "#ffffff"; }),
        width: rs.map(function (r) { return r.historic ? 3 : 1; })
      };
    }
    var traces = [];
    var categorical = overlay && overlay.mode === "categorical";
    if (categorical) {
      // One trace per class, in the classes' order (lowest first), each one colour: the legend names them.
      overlay.categories.forEach(function (cat) {
        var rs = data.regions.filter(function (r) { return r.category === cat.id; });
        if (!rs.length) { return; }
        traces.push({
          type: "choropleth", name: cat.label, geojson: geojson, featureidkey: "id",
          locations: rs.map(function (r) { return r.code; }), z: rs.map(function () { return 1; }),
          customdata: rs.map(custom), hovertemplate: hover,
          colorscale: [[0, cat.colour], [1, cat.colour]], showscale: false,
          marker: { line: outline(rs) }, showlegend: true
        });
      });
      without = data.regions.filter(function (r) { return !r.category; });
      withValue = [];
    }
    if (withValue.length) traces.push({
      type: "choropleth",
      name: labels.regions,
      geojson: geojson,
      featureidkey: "id",
      locations: withValue.map(function (r) { return r.code; }),
      z: withValue.map(function (r) { return r.value; }),
      customdata: withValue.map(custom),
      hovertemplate: hover,
      colorscale: "Viridis",
      reversescale: reverse,
      marker: { line: outline(withValue) },
      colorbar: { title: { text: unit }, thickness: 14, len: 0.8 },
      showlegend: false
    });
    if (without.length) {
      traces.push({
        type: "choropleth",
        name: labels.noData,
        geojson: geojson,
        featureidkey: "id",
        locations: without.map(function (r) { return r.code; }),
        z: without.map(function () { return 0; }),
        customdata: without.map(function (r) { return [r.name, labels.noData, r.status, r.url, ""]; }),
        hovertemplate: hover,
        colorscale: [[0, "#d9d9d9"], [1, "#d9d9d9"]],
        showscale: false,
        marker: { line: outline(without) },
        showlegend: false
      });
    }
    var symbols = { district: "circle", city: "square", monotown: "diamond" };
    if (overlay) {
      // Districts, towns and monotowns of the index, coloured by its value or class.
      var pointHover = "<b>%{customdata[0]}</b> (%{customdata[2]})<br>" + overlay.column_label +
        ": %{customdata[1]}<br><i>" + labels.clickHint + "</i><extra></extra>";
      var pcustom = function (p) { return [p.name, p.formatted, p.level_label, p.url]; };
      if (categorical) {
        overlay.categories.forEach(function (cat) {
          var pts = data.points.filter(function (p) { return p.category === cat.id; });
          if (!pts.length) { return; }
          traces.push({
            type: "scattergeo", name: cat.label, mode: "markers",
            lon: pts.map(function (p) { return p.lon; }), lat: pts.map(function (p) { return p.lat; }),
            customdata: pts.map(pcustom), hovertemplate: pointHover,
            marker: { symbol: pts.map(function (p) { return symbols[p.level] || "circle"; }), size: 12,
                      color: cat.colour, line: { color: "#1a1a1a", width: 1 } }
          });
        });
      } else {
        var pts = data.points.filter(function (p) { return p.value !== null; });
        if (pts.length) {
          traces.push({
            type: "scattergeo", name: overlay.column_label, mode: "markers",
            lon: pts.map(function (p) { return p.lon; }), lat: pts.map(function (p) { return p.lat; }),
            customdata: pts.map(pcustom), hovertemplate: pointHover,
            marker: { symbol: pts.map(function (p) { return symbols[p.level] || "circle"; }), size: 12,
                      color: pts.map(function (p) { return p.value; }), colorscale: "Viridis",
                      reversescale: reverse, showscale: !withValue.length,
                      line: { color: "#1a1a1a", width: 1 } }
          });
        }
      }
    }
    (overlay ? [] : ["district", "city", "monotown"]).forEach(function (level) {
      var pts = data.points.filter(function (p) { return p.level === level; });
      if (!pts.length) { return; }
      traces.push({
        type: "scattergeo",
        name: labels[level],
        lon: pts.map(function (p) { return p.lon; }),
        lat: pts.map(function (p) { return p.lat; }),
        customdata: pts.map(function (p) { return [p.name, p.formatted || labels.noData, p.level_label, p.url]; }),
        hovertemplate: "<b>%{customdata[0]}</b> (%{customdata[2]})<br>" + labels.value +
          ": %{customdata[1]}<br><i>" + labels.clickHint + "</i><extra></extra>",
        mode: "markers",
        marker: { symbol: symbols[level], size: 8, color: "#1a1a1a", line: { color: "#ffffff", width: 1 } }
      });
    });
    var layout = {
      // Kazakhstan spans about 46.5-87.4 E and 40.6-55.5 N; explicit ranges fill the frame (fitbounds pads).
      geo: { visible: false, projection: { type: "mercator" }, lonaxis: { range: [46.3, 87.6] },
             lataxis: { range: [40.2, 56.0] }, domain: { x: [0, 0.92], y: [0, 1] } },
      margin: { l: 0, r: 0, t: 0, b: 0 },
      separators: separators,
      legend: { orientation: "h", x: 0, y: 0, bgcolor: "rgba(255,255,255,0.8)" },
      dragmode: false,
      paper_bgcolor: "#ffffff"
    };
    var config = window.AimaqCharts ? window.AimaqCharts.config("map") : { responsive: true, displaylogo: false };
    config.scrollZoom = false;
    return window.Plotly.newPlot(mapDiv, traces, layout, config).then(function (gd) {
      gd.on("plotly_click", function (ev) {
        var pt = ev.points && ev.points[0];
        if (pt && pt.customdata && pt.customdata[3]) { window.location.href = pt.customdata[3]; }
      });
      mapDiv.setAttribute("data-state", "ready");
      confidenceLayer(gd, geojson);
    });
  }

  // ------------------------------------------------------------------ confidence layer (issue #10)
  // The robustness of each territory's rank and class, read from /api/uncertainty/<preset>.json (202 while
  // the replications run: asked again each second; 409 with the reason when there is none). Shown without
  // colour, so that it stays readable over any palette and for colour-blind readers: a less robust territory
  // is faded (opacity) and marked by a shape (ring: medium confidence, cross: low), and the table under the
  // map gets the statement as text.
  var OPACITY = { high: 1, medium: 0.5, low: 0.2 };
  var MARK = { medium: "circle-open", low: "x-thin-open" };

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (m, k) { return values[k] === undefined ? m : values[k]; });
  }

  function centroid(feature) {
    // The mean of the largest polygon's outer ring: inside for the compact shapes of the regions.
    var best = null;
    feature.geometry.coordinates.forEach(function (poly) {
      if (!best || poly[0].length > best.length) { best = poly[0]; }
    });
    var x = 0, y = 0;
    best.forEach(function (p) { x += p[0]; y += p[1]; });
    return [x / best.length, y / best.length];
  }

  function confidenceLayer(gd, geojson) {
    var box = document.getElementById("confidence");
    var toggle = document.getElementById("confidence-toggle");
    var status = document.getElementById("confidence-status");
    var legend = document.getElementById("confidence-legend");
    if (!box || !toggle) { return; }
    var cl = labels.confidence;
    var shown = false;
    var marksIndex = null;
    var timer = null;
    var centres = {};
    geojson.features.forEach(function (f) { centres[f.id] = centroid(f); });

    function setState(state, text) {
      box.setAttribute("data-state", state);
      status.textContent = text || "";
    }

    // Opacity of every trace's locations or points by their territory's confidence (1 when hidden).
    function restyle(byCode) {
      var opacities = gd.data.map(function (t) {
        var codes = t.type === "choropleth" ? t.locations : (t.customdata || []).map(function (c) {
          return (c[3] || "").split("/").pop();
        });
        return codes.map(function (code) {
          var rec = byCode && byCode[code];
          return rec ? (OPACITY[rec.confidence] || 1) : 1;
        });
      });
      var idx = gd.data.map(function (t, i) { return i; }).filter(function (i) { return i !== marksIndex; });
      return window.Plotly.restyle(gd, { "marker.opacity": idx.map(function (i) { return opacities[i]; }) }, idx);
    }

    function clearRows() {
      Array.prototype.forEach.call(document.querySelectorAll("#map-table .confidence-statement"), function (el) {
        el.parentNode.removeChild(el);
      });
    }

    function hide() {
      shown = false;
      if (timer) { clearTimeout(timer); timer = null; }
      legend.hidden = true;
      clearRows();
      var done = marksIndex !== null ? window.Plotly.deleteTraces(gd, marksIndex) : Promise.resolve();
      marksIndex = null;
      return done.then(function () { return restyle(null); }).then(function () { setState("off", ""); });
    }

    function draw(payload) {
      var byCode = {};
      payload.territories.forEach(function (t) { byCode[t.code] = t; });
      var lon = [], lat = [], symbols = [], custom = [];
      data.regions.concat(data.points).forEach(function (r) {
        var rec = byCode[r.territory || r.code] || byCode[r.code];
        if (!rec || !MARK[rec.confidence]) { return; }
        var at = r.lon !== undefined && r.lon !== null ? [r.lon, r.lat] : centres[r.code];
        if (!at) { return; }
        lon.push(at[0]); lat.push(at[1]); symbols.push(MARK[rec.confidence]);
        custom.push([r.name, rec.statement, cl[rec.confidence], r.url]);
      });
      clearRows();
      payload.territories.forEach(function (t) {
        var th = document.querySelector('#map-table tr[data-code="' + t.code + '"] th');
        if (!th) { return; }
        var span = document.createElement("span");
        span.className = "confidence-statement muted";
        span.setAttribute("data-confidence", t.confidence);
        span.textContent = " — " + cl[t.confidence] + ": " + t.statement;
        th.appendChild(span);
      });
      legend.hidden = false;
      return restyle(byCode).then(function () {
        if (!lon.length) { return null; }
        return window.Plotly.addTraces(gd, {
          type: "scattergeo", mode: "markers", name: cl.statement, lon: lon, lat: lat,
          customdata: custom, showlegend: false,
          hovertemplate: "<b>%{customdata[0]}</b><br>%{customdata[2]}: %{customdata[1]}<extra></extra>",
          marker: { symbol: symbols, size: 16, color: "#1a1a1a", line: { color: "#1a1a1a", width: 2 } }
        }).then(function () { marksIndex = gd.data.length - 1; });
      }).then(function () {
        setState("ready", format(cl.ready, { n: payload.n, seed: payload.seed }));
      });
    }

    function load() {
      if (!shown) { return; }
      var url = "/api/uncertainty/" + encodeURIComponent(box.getAttribute("data-methodology")) + ".json?lang=" +
        encodeURIComponent(lang) + "&year=" + encodeURIComponent(box.getAttribute("data-year"));
      fetch(url, { credentials: "same-origin" }).then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (body) { return [r.status, body]; });
      }).then(function (res) {
        var code = res[0], body = res[1];
        if (!shown) { return; }
        if (code === 202 || body.status === "computing") {
          setState("computing", cl.computing);
          timer = setTimeout(load, 1000);
        } else if (code === 409 || body.status === "unavailable") {
          setState("unavailable", format(cl.unavailable, { reason: body.reason || body.detail || "" }));
        } else if (code === 200 && body.territories) {
          draw(body);
        } else {
          setState("failed", format(cl.failed, { status: code }));
        }
      }).catch(function (err) {
        setState("failed", format(cl.failed, { status: String(err) }));
      });
    }

    toggle.addEventListener("change", function () {
      if (toggle.checked) {
        shown = true;
        setState("loading", cl.computing);
        load();
      } else {
        hide();
      }
    });
    box.setAttribute("data-state", "off");
  }

  // The map draws no base layers (geo.visible = false): the regions are our own polygons. plotly.js still
  // looks up its world topojson whenever a trace has a locationmode, and would fetch it from cdn.plot.ly.
  // Registering an empty topology under those names (the PlotlyGeoAssets mechanism that plotly's own
  // dist/plotly-geo-assets.js uses) keeps the page offline; nothing of it is drawn.
  window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} };
  ["world_110m", "world_50m"].forEach(function (name) {
    if (!window.PlotlyGeoAssets.topojson[name]) {
      window.PlotlyGeoAssets.topojson[name] = { type: "Topology", objects: {}, arcs: [] };
    }
  });

  fetch(data.geojson_url, { credentials: "same-origin" })
    .then(function (r) {
      if (!r.ok) { throw new Error("geojson: HTTP " + r.status); }
      return r.json();
    })
    .then(draw)
    .catch(fail);
})();
