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
      ? "<b>%{customdata[0]}</b><br>" + overlay.column_label + ": %{customdata[1]}" +
        "<br><i>" + labels.clickHint + "</i><extra></extra>"
      : "<b>%{customdata[0]}</b><br>" + labels.value + ": %{customdata[1]}" +
        (unit ? " " + unit : "") + "<br>" + labels.status + ": %{customdata[2]}" +
        "<br><i>" + labels.clickHint + "</i><extra></extra>";
    function custom(r) { return [r.name, r.formatted, r.status_label || r.status, r.url]; }
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
          marker: { line: { color: "#ffffff", width: 1 } }, showlegend: true
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
      marker: { line: { color: "#ffffff", width: 1 } },
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
        customdata: without.map(function (r) { return [r.name, labels.noData, r.status, r.url]; }),
        hovertemplate: hover,
        colorscale: [[0, "#d9d9d9"], [1, "#d9d9d9"]],
        showscale: false,
        marker: { line: { color: "#ffffff", width: 1 } },
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
    });
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
