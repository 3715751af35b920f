/* Sortable tables without a reload: clicking a column header of a table.sortable sorts its rows in the
   browser (numbers by data-value, text by the locale). Without JavaScript the header links ask the server
   to sort (?sort=&order=), so the page works either way. */
(function () {
  "use strict";
  var lang = document.documentElement.lang;
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      var kind = th.getAttribute("data-sort");
      var link = th.querySelector("a");
      if (!kind || !link) { return; }
      link.addEventListener("click", function (ev) {
        ev.preventDefault();
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col], y = b.cells[col];
          if (kind === "num") {
            var u = x.getAttribute("data-value"), v = y.getAttribute("data-value");
            if (u === "" || u === null) { return 1; }
            if (v === "" || v === null) { return -1; }
            return (asc ? 1 : -1) * (parseFloat(u) - parseFloat(v));
          }
          return (asc ? 1 : -1) * x.textContent.trim().localeCompare(y.textContent.trim(), lang);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
