/* kb.js: hover previews, filterable/sortable tables and math for the knowledge-base site.
   Everything it needs comes from this site: the JSON index written at build time. */
(function () {
  "use strict";

  function siteBase() {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL((base || ".") + "/", window.location.href);
  }

  var indexPromise = null;
  /* The index (nodes, edges) is fetched once per page load and shared with graph.js. */
  function loadIndex() {
    if (!indexPromise) {
      var base = siteBase();
      indexPromise = fetch(new URL("assets/kb/kb-index.json", base))
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var byId = new Map(), byPath = new Map();
          data.nodes.forEach(function (node) {
            node.href = new URL(node.url, base).href;
            byId.set(node.id, node);
            byPath.set(new URL(node.url, base).pathname, node);
          });
          /* Edges arrive as positions in nodes and types; spell them out once. */
          data.edges = data.edges.map(function (e) {
            return [data.nodes[e[0]].id, data.nodes[e[1]].id, data.types[e[2]]];
          });
          data.byId = byId;
          data.byPath = byPath;
          return data;
        });
    }
    return indexPromise;
  }
  window.kbIndex = loadIndex;

  /* --- hover previews ------------------------------------------------------------------- */
  var popover = null, showTimer = null;

  function hidePreview() {
    clearTimeout(showTimer);
    if (popover) { popover.remove(); popover = null; }
  }

  function showPreview(link, node) {
    hidePreview();
    popover = document.createElement("div");
    popover.className = "kb-popover";
    popover.setAttribute("role", "tooltip");
    var title = document.createElement("strong");
    title.textContent = node.title;
    var meta = document.createElement("div");
    meta.className = "kb-popover-meta";
    meta.textContent = node.kind + (node.status ? " · " + node.status : "");
    var text = document.createElement("p");
    text.textContent = node.preview || "";
    popover.append(title, meta, text);
    document.body.appendChild(popover);
    var box = link.getBoundingClientRect();
    var top = window.scrollY + box.bottom + 6;
    var left = Math.min(window.scrollX + box.left, window.scrollX + window.innerWidth - popover.offsetWidth - 12);
    popover.style.top = top + "px";
    popover.style.left = Math.max(8, left) + "px";
  }

  function onOver(event) {
    var link = event.target.closest && event.target.closest(".md-content a[href]");
    if (!link || link.closest(".kb-popover")) return;
    var url = new URL(link.getAttribute("href"), window.location.href);
    if (url.origin !== window.location.origin) return;
    clearTimeout(showTimer);
    showTimer = setTimeout(function () {
      loadIndex().then(function (index) {
        var node = index.byPath.get(url.pathname) || index.byPath.get(url.pathname + "/");
        if (node && url.pathname !== window.location.pathname) showPreview(link, node);
      });
    }, 150);
  }

  function onOut(event) {
    var link = event.target.closest && event.target.closest(".md-content a[href]");
    if (link && !link.contains(event.relatedTarget)) hidePreview();
  }

  /* --- tables: filter by status / tag / text, sort by column ---------------------------- */
  function setUpFilters(root) {
    root.querySelectorAll(".kb-filters").forEach(function (bar) {
      var table = document.getElementById(bar.getAttribute("data-kb-filter-for"));
      if (!table || bar.dataset.ready) return;
      bar.dataset.ready = "1";
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      var count = bar.querySelector("[data-kb-count]");
      function apply() {
        var status = bar.querySelector('[data-kb-filter="status"]').value;
        var tag = bar.querySelector('[data-kb-filter="tags"]').value;
        var text = bar.querySelector('[data-kb-filter="text"]').value.toLowerCase();
        var shown = 0;
        rows.forEach(function (row) {
          var ok = (!status || row.dataset.status === status) &&
            (!tag || row.dataset.tags.split("|").indexOf(tag) >= 0) &&
            (!text || row.cells[0].textContent.toLowerCase().indexOf(text) >= 0);
          row.hidden = !ok;
          if (ok) shown += 1;
        });
        if (count) count.textContent = shown + " of " + rows.length + " papers";
      }
      bar.addEventListener("input", apply);
      bar.addEventListener("change", apply);
    });
  }

  function setUpSorting(root) {
    root.querySelectorAll("table.kb-sortable").forEach(function (table) {
      if (table.dataset.ready) return;
      table.dataset.ready = "1";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
        header.tabIndex = 0;
        header.addEventListener("click", function () {
          var ascending = header.getAttribute("aria-sort") !== "ascending";
          Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
          header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = a.cells[column].textContent.trim(), y = b.cells[column].textContent.trim();
            var nx = parseFloat(x), ny = parseFloat(y);
            var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
            return ascending ? order : -order;
          });
          rows.forEach(function (row) { body.appendChild(row); });
        });
      });
    });
  }

  function renderMath(root) {
    if (typeof window.renderMathInElement !== "function") return;
    window.renderMathInElement(root, {
      delimiters: [{ left: "\\(", right: "\\)", display: false }, { left: "\\[", right: "\\]", display: true }],
      throwOnError: false
    });
  }

  function ready(root) {
    setUpFilters(root);
    setUpSorting(root);
    renderMath(root);
  }

  document.addEventListener("mouseover", onOver);
  document.addEventListener("mouseout", onOut);
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(function () { ready(document.body); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { ready(document.body); });
  }
})();
