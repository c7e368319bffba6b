/* kb.js: what every page of the knowledge-base site runs. Small on purpose: KaTeX is loaded only
   on pages (or previews) with math, mermaid only on those with a diagram; a local graph's script
   when it scrolls into view (it draws from data in the page); d3, graph.js and the graph index
   only on the graph page; the demo runner only on pages with a demo.
   Everything comes from this site: no other host is ever contacted. */
(function () {
  "use strict";

  /* The site's root: the theme's `base` is "." or "../.." on a page, "/" on 404.html (which is
     served at any depth), so it is joined without doubling its slash. */
  function siteBase() {
    var config = document.getElementById("__config");
    var base = (config ? JSON.parse(config.textContent).base : ".") || ".";
    return new URL(base.replace(/\/+$/, "") + "/", window.location.href);
  }
  var BASE = siteBase();

  /* --- loading on demand ---------------------------------------------------------------- */
  var loaded = {};
  function load(path) {
    if (!loaded[path]) {
      loaded[path] = new Promise(function (resolve, reject) {
        var url = new URL(path, BASE).href, el;
        if (/\.css$/.test(path)) {
          el = document.createElement("link"); el.rel = "stylesheet"; el.href = url;
        } else {
          el = document.createElement("script"); el.src = url; el.async = false;
        }
        el.onload = resolve; el.onerror = reject;
        document.head.appendChild(el);
      });
    }
    return loaded[path];
  }
  window.kbLoad = load;

  var indexPromise = null;
  /* The graph index (nodes with layout, typed edges), fetched once and shared with graph.js. */
  window.kbIndex = function () {
    if (!indexPromise) {
      indexPromise = fetch(new URL("assets/kb/kb-index.json", BASE))
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var byId = new Map();
          data.nodes.forEach(function (node) {
            node.href = new URL(node.url, BASE).href;
            byId.set(node.id, node);
          });
          data.edges = data.edges.map(function (e) {
            return [data.nodes[e[0]].id, data.nodes[e[1]].id, data.types[e[2]]];
          });
          data.byId = byId;
          return data;
        });
    }
    return indexPromise;
  };

  /* --- math: KaTeX only where there is math --------------------------------------------- */
  function renderMath(root) {
    if (!root.querySelector(".arithmatex")) return Promise.resolve();
    return Promise.all([load("assets/vendor/katex/katex.min.css"), load("assets/vendor/katex/katex.min.js")])
      .then(function () { return load("assets/vendor/katex/contrib/auto-render.min.js"); })
      .then(function () {
        root.querySelectorAll(".arithmatex").forEach(function (el) {
          window.renderMathInElement(el, {
            delimiters: [{ left: "\\(", right: "\\)", display: false }, { left: "\\[", right: "\\]", display: true }],
            throwOnError: false
          });
        });
      });
  }

  /* --- diagrams: mermaid only where there is a diagram ----------------------------------- */
  var diagrams = 0;
  function renderDiagrams(root) {
    var blocks = root.querySelectorAll("pre.kb-mermaid:not([data-kb-drawn])");
    if (!blocks.length) return Promise.resolve();
    return load("assets/vendor/mermaid/mermaid.min.js").then(function () {
      var dark = document.body.getAttribute("data-md-color-scheme") === "slate";
      window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark ? "dark" : "default" });
      return Promise.all(Array.prototype.map.call(blocks, function (block) {
        block.setAttribute("data-kb-drawn", "");
        diagrams += 1;
        var id = "kb-mermaid-" + diagrams;
        return window.mermaid.render(id, block.textContent).then(function (result) {
          var figure = document.createElement("div");
          figure.className = "kb-mermaid-diagram";
          figure.innerHTML = result.svg;
          block.replaceWith(figure);
        }, function (error) {
          var stray = document.getElementById("d" + id);  /* mermaid's own error drawing */
          if (stray) stray.remove();
          block.title = "This diagram could not be drawn: " + (error && error.message || error);
        });
      }));
    });
  }

  /* --- previews: the linked page's own card facts and first paragraphs ------------------ */
  var pages = new Map(), popover = null, showTimer = null, current = null;

  function fetchPage(url) {
    if (!pages.has(url)) {
      pages.set(url, fetch(url).then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { return new DOMParser().parseFromString(html, "text/html"); }));
    }
    return pages.get(url);
  }

  function clean(node) {
    node.querySelectorAll("script, iframe, object, embed, .headerlink").forEach(function (el) { el.remove(); });
    node.querySelectorAll("*").forEach(function (el) {
      Array.prototype.slice.call(el.attributes).forEach(function (a) {
        if (/^on/i.test(a.name) || a.name === "id") el.removeAttribute(a.name);
      });
    });
    return node;
  }

  function previewOf(doc, anchor) {
    var article = doc.querySelector("article.md-content__inner");
    if (!article) return null;
    var box = document.createElement("div");
    var card = article.querySelector(".kb-card");
    var title = doc.querySelector(".kb-title") || article.querySelector("h1");
    var heading = document.createElement("p");
    heading.className = "kb-popover-title";
    heading.textContent = title ? clean(title.cloneNode(true)).textContent.trim() : doc.title;
    box.appendChild(heading);
    if (card) {
      [".kb-badges", ".kb-byline"].forEach(function (selector) {
        var part = card.querySelector(selector);
        if (part) box.appendChild(clean(document.importNode(part, true)));
      });
    }
    var start = anchor ? doc.getElementById(anchor) : null;
    /* A heading's preview is what follows it; a block's (`#^id`) is the block itself. */
    var blocks = [], el = start ? (/^H[1-6]$/.test(start.tagName) ? start.nextElementSibling : start)
      : (card ? card.nextElementSibling : article.firstElementChild);
    while (el && blocks.length < 3) {
      if (el.matches(".kb-backlinks, .kb-local-graph, .kb-footer, h1, h2") && blocks.length) break;
      if (!el.matches(".kb-backlinks, .kb-local-graph, h1, .md-source-file")) blocks.push(el);
      el = el.nextElementSibling;
    }
    if (!blocks.length && card && card.querySelector(".kb-abstract")) blocks.push(card.querySelector(".kb-abstract"));
    var body = document.createElement("div");
    body.className = "kb-popover-body";
    blocks.forEach(function (b) { body.appendChild(clean(document.importNode(b, true))); });
    box.appendChild(body);
    return box;
  }

  function hidePreview() {
    clearTimeout(showTimer);
    current = null;
    if (popover) { popover.remove(); popover = null; }
  }

  function place(link) {
    var box = link.getBoundingClientRect();
    var left = Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - popover.offsetWidth - 8);
    popover.style.left = Math.max(8, left) + "px";
    var below = box.bottom + 6 + popover.offsetHeight < window.innerHeight;
    popover.style.top = (window.scrollY + (below ? box.bottom + 6 : Math.max(8, box.top - popover.offsetHeight - 6))) + "px";
  }

  function onOver(event) {
    var link = event.target.closest && event.target.closest(".md-content a[href], .md-sidebar a.kb-link");
    if (!link || link.closest(".kb-popover") || link === current) return;
    var url = new URL(link.getAttribute("href"), window.location.href);
    if (url.origin !== window.location.origin || url.pathname === window.location.pathname) return;
    if (/\.(png|jpe?g|gif|svg|pdf|json|webp)$/i.test(url.pathname)) return;
    clearTimeout(showTimer);
    current = link;
    showTimer = setTimeout(function () {
      var page = url.href.split("#")[0];
      fetchPage(page).then(function (doc) {
        if (current !== link) return;
        var content = previewOf(doc, decodeURIComponent(url.hash.slice(1)));
        if (!content) return;
        if (popover) popover.remove();
        popover = document.createElement("div");
        popover.className = "kb-popover md-typeset";
        popover.setAttribute("role", "tooltip");
        popover.appendChild(content);
        document.body.appendChild(popover);
        place(link);
        renderMath(popover).then(function () { if (popover) place(link); });
        renderDiagrams(popover).then(function () { if (popover) place(link); });
      });
    }, 200);
  }

  function onOut(event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (link && link === current && !link.contains(event.relatedTarget)) hidePreview();
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
    root.querySelectorAll("table[data-kb-sortable]").forEach(function (table) {
      if (table.dataset.ready) return;
      table.dataset.ready = "1";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "kb-sort";
        while (header.firstChild) button.appendChild(header.firstChild);
        header.appendChild(button);
        button.addEventListener("click", function () {
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

  /* --- wide content: what scrolls sideways is a keyboard stop, named, with a visible cue ---- */
  var SCROLLERS = [["div.arithmatex", "Equation"], ["table.kb-table", "Table"], ["table.kb-extra", "Table"]];
  function markScrollers(root) {
    SCROLLERS.forEach(function (pair) {
      root.querySelectorAll(".md-typeset " + pair[0]).forEach(function (el) {
        var wide = el.scrollWidth > el.clientWidth + 1, marked = el.hasAttribute("data-kb-scrolls");
        if (wide && !marked) {
          el.setAttribute("data-kb-scrolls", "");
          el.classList.add("kb-scrolls");
          el.setAttribute("tabindex", "0");
          el.setAttribute("role", "region");
          el.setAttribute("aria-label", pair[1] + " (scrolls sideways)");
        } else if (!wide && marked) {
          el.removeAttribute("data-kb-scrolls");
          el.classList.remove("kb-scrolls");
          ["tabindex", "role", "aria-label"].forEach(function (name) { el.removeAttribute(name); });
        }
      });
    });
  }

  /* --- copy BibTeX ---------------------------------------------------------------------- */
  function setUpCopy(root) {
    root.querySelectorAll("[data-kb-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var code = button.previousElementSibling && button.previousElementSibling.querySelector("code");
        if (!code) return;
        var done = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy BibTeX"; }, 1500); };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(code.textContent).then(done, function () { select(code); });
        } else { select(code); done(); }
      });
    });
  }
  function select(code) {
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges(); selection.addRange(range);
    try { document.execCommand("copy"); } catch (e) { /* the text stays selected */ }
  }

  /* --- graphs: each loaded when it comes into view; d3 only for the global one ------------ */
  function whenVisible(element, start) {
    if (!("IntersectionObserver" in window)) { start(); return; }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { observer.disconnect(); start(); }
    }, { rootMargin: "300px" });
    observer.observe(element);
  }

  function setUpGraphs(root) {
    var local = root.querySelector(".kb-local-graph");
    var sidebar = document.querySelector(".md-sidebar--secondary .md-sidebar__inner");
    if (local && sidebar && window.matchMedia("(min-width: 76.25em)").matches) {
      var box = document.createElement("div");
      box.className = "kb-local-graph-box";
      sidebar.insertBefore(box, sidebar.firstChild);
      box.appendChild(local);
    }
    if (local) {
      whenVisible(local, function () {
        load("assets/kb/local-graph.js").then(function () { window.kbLocalGraphs(); });
      });
    }
    var global = root.querySelector(".kb-global-graph");
    if (global) {
      whenVisible(global, function () {
        load("assets/vendor/d3/d3-graph.min.js").then(function () { return load("assets/kb/graph.js"); })
          .then(function () { window.kbGraphs(); });
      });
    }
  }

  function ready() {
    var root = document.body;
    var search = document.querySelector('.md-search[role="dialog"]');
    if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
    setUpFilters(root);
    setUpSorting(root);
    setUpCopy(root);
    setUpGraphs(root);
    if (root.querySelector(".kb-demo")) load("assets/kb/demo.js");  /* Run, Edit, Reset, Stop */
    markScrollers(root);
    renderMath(root).then(function () { markScrollers(root); });
    renderDiagrams(root).then(function () { markScrollers(root); });
    var resized = null;
    window.addEventListener("resize", function () {
      clearTimeout(resized);
      resized = setTimeout(function () { markScrollers(root); }, 150);
    });
  }

  document.addEventListener("mouseover", onOver);
  document.addEventListener("mouseout", onOut);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hidePreview(); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
