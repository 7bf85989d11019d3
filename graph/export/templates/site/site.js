// The search box of the cmkg static site: names and aliases from site-index.js (window.CMKG_INDEX, rows of
// [folded name, name, page, kind]), matched without accents or case; results are shown with textContent.
(function () {
  "use strict";
  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var form = document.getElementById("search-form");
  var index = window.CMKG_INDEX || [];
  var LIMIT = 25;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function find(query) {
    var q = fold(query.trim());
    if (!q) { return []; }
    var first = [], then = [], seen = {};
    for (var i = 0; i < index.length; i++) {
      var row = index[i], at = row[0].indexOf(q);
      if (at < 0 || seen[row[2]]) { continue; }
      seen[row[2]] = true;
      (at === 0 ? first : then).push(row);
    }
    return first.concat(then).slice(0, LIMIT);
  }

  function show(rows, query) {
    list.replaceChildren();
    rows.forEach(function (row) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = row[2];
      link.textContent = row[1];
      var kind = document.createElement("span");
      kind.className = "note";
      kind.textContent = " " + row[3];
      item.appendChild(link);
      item.appendChild(kind);
      list.appendChild(item);
    });
    status.textContent = query.trim() ? (rows.length ? rows.length + " " + status.dataset.some : status.dataset.none) : "";
  }

  window.cmkgSearch = function (query) {
    var rows = find(query);
    show(rows, query);
    return rows.map(function (row) { return row[2]; });
  };
  if (input && list) {
    input.addEventListener("input", function () { window.cmkgSearch(input.value); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = list.querySelector("a");
      if (first) { window.location.href = first.href; }
    });
  }
  window.cmkgReady = true;
})();
