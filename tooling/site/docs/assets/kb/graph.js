/* graph.js: the global graph page, drawn with d3 from positions the build computed (no simulation
   runs in the page). It uses d3's selection, zoom and transition only: the site ships just those
   (assets/vendor/d3/d3-graph.min.js, see tooling/site/vendor.json). Loaded by kb.js when the graph comes into view (local graphs: local-graph.js).
   Global: papers, concepts, notes and plans (authors behind a toggle), fitted to the viewport,
   labels shown by zoom level without overlaps, a node's neighbours highlighted on hover or focus, a
   search box, and the wheel left to the page (Ctrl + wheel or a pinch zooms, by small steps).
   Lines, rings and label halos keep their width on screen at any zoom (non-scaling strokes in
   kb.css; the halo's width is set here, divided by the zoom). Each node is a link: the graph is
   one stop for Tab, the arrow keys move between nodes, Enter opens one; on a phone each node
   takes taps over at least 24 px. */
(function () {
  "use strict";
  var NOTCH = Math.log2(1.2);  /* the most one wheel event zooms: 1.2x (a notch was 4x) */
  var STEP = 1.5;  /* the + and - keys and buttons */
  var FONT = 11, HALO = 3;  /* label size and halo width, in screen pixels */
  /* Side of the square that takes a node's taps and clicks, in screen pixels. */
  var HIT = window.matchMedia("(pointer: coarse), (max-width: 40em)").matches ? 24 : 12;

  /* How far one wheel event zooms (d3 applies 2^delta): a mouse notch (deltaY 100 to 120) is
     held to one small step, a trackpad pinch (many small deltas) keeps its pace. */
  function wheelDelta(event) {
    var delta = -event.deltaY * (event.deltaMode === 1 ? 0.05 : event.deltaMode ? 1 : 0.01);
    return Math.max(-NOTCH, Math.min(NOTCH, delta));
  }

  var density = 1;  /* < 1 when the nodes shown are too many for their size: see applyFilters */
  function radius(d) { return (3.5 + Math.sqrt(d.shown === undefined ? d.degree || 0 : d.shown) * 1.4) * density; }
  function short(title, n) { return title.length > n ? title.slice(0, n - 1) + "…" : title; }
  function nodeClass(d) {
    return "kb-node kb-node-" + d.kind + (d.done ? " kb-node-done" : "");
  }

  /* Small stand-ins for d3-array, which the graph would otherwise load for three functions. */
  function least(values) { return values.reduce(function (a, b) { return b < a ? b : a; }); }
  function most(values) { return values.reduce(function (a, b) { return b > a ? b : a; }); }
  function median(values) {
    var sorted = values.slice().sort(function (a, b) { return a - b; }), half = sorted.length >> 1;
    return sorted.length % 2 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
  }

  function neighbours(edges) {
    var around = new Map();
    edges.forEach(function (e) {
      if (!around.has(e[0])) around.set(e[0], new Set());
      if (!around.has(e[1])) around.set(e[1], new Set());
      around.get(e[0]).add(e[1]); around.get(e[1]).add(e[0]);
    });
    return around;
  }

  /* --- global graph ---------------------------------------------------------------------- */
  function globalGraph(container) {
    var page = container.closest("article") || document;
    window.kbIndex().then(function (index) {
      var width = container.clientWidth || 800;
      var height = Math.round(Math.min(Math.max(window.innerHeight * 0.72, 320), width * 1.15));
      var nodes = index.nodes.map(function (n) { return Object.assign({}, n); });
      var byId = new Map(nodes.map(function (n) { return [n.id, n]; }));
      var links = index.edges.map(function (e) { return { source: byId.get(e[0]), target: byId.get(e[1]), type: e[2] }; });
      var around = neighbours(index.edges);
      var svg = d3.select(container).append("svg").attr("class", "kb-graph")
        .attr("width", width).attr("height", height).attr("viewBox", [0, 0, width, height]);
      var canvas = svg.append("g");
      var link = canvas.append("g").attr("class", "kb-edges").selectAll("line").data(links).join("line")
        .attr("class", function (d) { return "kb-edge kb-edge-" + d.type; })
        .attr("x1", function (d) { return d.source.x; }).attr("y1", function (d) { return d.source.y; })
        .attr("x2", function (d) { return d.target.x; }).attr("y2", function (d) { return d.target.y; });
      var node = canvas.append("g").attr("class", "kb-nodes").selectAll("g").data(nodes).join("g")
        .attr("class", function (d) { return nodeClass(d); })
        .attr("data-id", function (d) { return d.id; })
        .attr("role", "link").attr("tabindex", -1)  /* named by its <title>; the label repeats it */
        .attr("transform", function (d) { return "translate(" + d.x + "," + d.y + ")"; })
        .on("click", function (event, d) { window.location.href = d.href; })
        .on("mouseenter", function (event, d) { highlight(d); })
        .on("mouseleave", function () { if (!focused || document.activeElement !== focused.el) highlight(null); })
        .on("focus", function (event, d) { settle(d); highlight(d); })
        .each(function (d) { d.el = this; });
      node.append("rect").attr("class", "kb-hit");
      node.append("circle").attr("r", radius);
      node.append("title").text(function (d) { return d.title + " (" + d.kind + (d.status ? ", " + d.status : "") + ")"; });
      var label = node.append("text").attr("dominant-baseline", "central").attr("aria-hidden", "true").text(function (d) { return short(d.title, 32); });
      /* Each label in two lengths, measured once: the title (up to 32 characters) and, where that
         does not fit, its first 16. */
      label.style("font-size", "11px").each(function (d) {
        d.texts = [short(d.title, 32), short(d.title, 16)];
        d.widths = d.texts.map(function (text) { this.textContent = text; return this.getComputedTextLength() + 2; }, this);
      });
      var byPriority = nodes.slice().sort(function (a, b) { return b.degree - a.degree || a.title.localeCompare(b.title); });
      var scale = 1, visible = function () { return true; };

      function highlight(d) {
        var keep = d ? around.get(d.id) || new Set() : null;
        node.classed("kb-dim", function (n) { return !!d && n !== d && !keep.has(n.id); })
          .classed("kb-near", function (n) { return !!d && (n === d || keep.has(n.id)); });
        link.classed("kb-dim", function (l) { return !!d && l.source !== d && l.target !== d; })
          .classed("kb-near", function (l) { return !!d && (l.source === d || l.target === d); });
        placeLabels(d ? new Set([d.id].concat(Array.from(keep))) : null);
      }

      /* Labels: the most linked nodes first, each beside its node (right, left, below, above,
         then at a corner: the first place that is free), never over another label, never past
         the edge of the drawing; the more you zoom in, the more fit. Sizes stay constant on
         screen. While a node is hovered, only it and its neighbours are labelled. */
      var LABEL_H = 14, CELL = 48;
      function placeLabels(forced) {
        var t = d3.zoomTransform(svg.node()), grow = Math.min(Math.sqrt(scale), 1.5);
        var grid = new Map(), where = new Map();
        function cells(box, visit) {
          for (var i = Math.floor(box[0] / CELL); i <= Math.floor(box[2] / CELL); i += 1) {
            for (var j = Math.floor(box[1] / CELL); j <= Math.floor(box[3] / CELL); j += 1) {
              if (visit(i + "," + j) === false) return false;
            }
          }
          return true;
        }
        function take(box) {
          cells(box, function (key) { if (!grid.has(key)) grid.set(key, []); grid.get(key).push(box); });
        }
        function free(box, owner, overNodes) {
          return cells(box, function (key) {
            return !(grid.get(key) || []).some(function (b) {
              return b[4] !== owner && !(overNodes && b[5]) && b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3];
            });
          });
        }
        function circle(d) {
          var x = t.applyX(d.x), y = t.applyY(d.y), r = radius(d) * grow;
          take([x - r, y - r, x + r, y + r, d, true]);
        }
        function labelOf(d, overNodes) {
          if (forced && !forced.has(d.id)) return;
          var x = t.applyX(d.x), y = t.applyY(d.y), r = radius(d) * grow + 3;
          if (x < 0 || y < 0 || x > width || y > height) return;
          var h = LABEL_H;
          for (var k = 0; k < d.texts.length; k += 1) {
            if (k && d.texts[k] === d.texts[0]) break;
            var w = d.widths[k];
            var places = [
              [x + r, y - h / 2, x + r + w, y + h / 2, "start", r, 0],
              [x - r - w, y - h / 2, x - r, y + h / 2, "end", -r, 0],
              [x - w / 2, y + r - 2, x + w / 2, y + r - 2 + h, "middle", 0, r - 2 + h / 2],
              [x - w / 2, y - r + 2 - h, x + w / 2, y - r + 2, "middle", 0, -(r - 2 + h / 2)],
              [x + r, y - r - h, x + r + w, y - r, "start", r, -r - h / 2],
              [x + r, y + r, x + r + w, y + r + h, "start", r, r + h / 2],
              [x - r - w, y - r - h, x - r, y - r, "end", -r, -r - h / 2],
              [x - r - w, y + r, x - r, y + r + h, "end", -r, r + h / 2]];
            for (var i = 0; i < places.length; i += 1) {
              var box = places[i];
              if (box[0] < 0 || box[1] < 0 || box[2] > width || box[3] > height || !free(box, d, overNodes)) continue;
              take([box[0], box[1], box[2], box[3], d]);
              where.set(d.id, box.concat([d.texts[k]]));
              return;
            }
          }
        }
        /* The most linked (the lead) are labelled first and may cover other nodes (in a dense
           middle their circles leave no room beside them); the rest are labelled only where
           they cover nothing. */
        var ranked = byPriority.filter(visible);
        var lead = ranked.slice(0, Math.max(5, Math.min(24, Math.round(ranked.length * 0.08))));
        lead.forEach(circle);
        lead.forEach(function (d) { labelOf(d, true); });
        ranked.slice(lead.length).forEach(circle);
        ranked.slice(lead.length).forEach(function (d) { labelOf(d, false); });
        label.attr("display", function (d) { return where.has(d.id) ? null : "none"; })
          .text(function (d) { return where.has(d.id) ? where.get(d.id)[7] : d.texts[0]; })
          .attr("text-anchor", function (d) { return where.has(d.id) ? where.get(d.id)[4] : "start"; })
          .attr("dx", function (d) { return where.has(d.id) ? where.get(d.id)[5] / scale : 0; })
          .attr("dy", function (d) { return where.has(d.id) ? where.get(d.id)[6] / scale : 0; });
        container.setAttribute("data-kb-labels", where.size);
      }

      function rescale(k) {
        scale = k;
        var grow = Math.min(Math.sqrt(k), 1.5);
        node.select("circle").attr("r", function (d) { return radius(d) * grow / k; });
        node.select("rect.kb-hit").each(function (d) {
          var half = Math.max(radius(d) * grow, HIT / 2) / k;
          this.setAttribute("x", -half); this.setAttribute("y", -half);
          this.setAttribute("width", 2 * half); this.setAttribute("height", 2 * half);
        });
        /* Styles, not attributes: kb.css would override an attribute. */
        label.style("font-size", (FONT / k) + "px").style("stroke-width", (HALO / k) + "px");
      }

      var zoom = d3.zoom().scaleExtent([0.05, 40]).wheelDelta(wheelDelta)
        .filter(function (event) {
          if (event.type === "wheel") return event.ctrlKey || event.metaKey;
          if (event.type === "touchstart") return event.touches.length > 1;
          return !event.button;
        })
        .on("zoom", function (event) {
          canvas.attr("transform", event.transform);
          if (event.transform.k !== scale) rescale(event.transform.k);
          placeLabels(null);
        });
      svg.call(zoom).style("touch-action", "pan-y");

      /* The keyboard: one node at a time holds the graph's Tab stop; arrows move it to the
         nearest node that way, Enter opens it, + and - zoom, 0 fits the graph. */
      var focused = null;
      function settle(d) {
        if (focused && focused !== d) focused.el.setAttribute("tabindex", -1);
        focused = d;
        d.el.setAttribute("tabindex", 0);
      }
      function focusNode(d) {
        settle(d);
        d.el.focus({ preventScroll: true });
        var t = d3.zoomTransform(svg.node()), x = t.applyX(d.x), y = t.applyY(d.y);
        if (x < 24 || y < 24 || x > width - 24 || y > height - 24) {
          svg.transition().duration(250).call(zoom.translateTo, d.x, d.y);
        }
      }
      function nearest(from, dx, dy) {
        var best = null, score = Infinity;
        nodes.forEach(function (d) {
          if (d === from || !visible(d)) return;
          var along = (d.x - from.x) * dx + (d.y - from.y) * dy;
          var across = Math.abs((d.x - from.x) * dy - (d.y - from.y) * dx);
          if (along <= 0 || across > 2 * along) return;  /* within 63 degrees of the arrow */
          if (along + 2 * across < score) { score = along + 2 * across; best = d; }
        });
        return best;
      }
      /* Zoom about the focused node (the keys) or the middle of the view (the buttons). */
      function zoomBy(factor, d) {
        var t = d3.zoomTransform(svg.node()), at = d ? [t.applyX(d.x), t.applyY(d.y)] : null;
        svg.transition().duration(200).call(zoom.scaleBy, factor, at);
      }
      var ARROWS = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };
      svg.on("keydown", function (event) {
        var d = event.target.__data__;
        if (!d || !d.el) return;
        if (ARROWS[event.key]) {
          var next = nearest(d, ARROWS[event.key][0], ARROWS[event.key][1]);
          if (next) focusNode(next);
        } else if (event.key === "Enter" || event.key === " ") {
          window.location.href = d.href;
        } else if (event.key === "+" || event.key === "=") {
          zoomBy(STEP, d);
        } else if (event.key === "-") {
          zoomBy(1 / STEP, d);
        } else if (event.key === "0") {
          fit(250);
        } else if (event.key === "Home") {
          focusNode(byPriority.find(visible));
        } else if (event.key === "Escape") {
          highlight(null);
          return;
        } else {
          return;
        }
        event.preventDefault();
      });
      /* On the container: Chrome makes an SVG element with focus listeners a Tab stop. */
      container.addEventListener("focusout", function (event) {
        if (!event.relatedTarget || !svg.node().contains(event.relatedTarget)) highlight(null);
      });
      page.querySelectorAll("[data-kb-zoom]").forEach(function (button) {
        button.addEventListener("click", function () {
          var how = button.dataset.kbZoom;
          if (how === "fit") fit(250); else zoomBy(how === "in" ? STEP : 1 / STEP);
        });
      });

      function fit(duration) {
        var shown = nodes.filter(visible);
        if (!shown.length) return;
        var xs = shown.map(function (d) { return d.x; }), ys = shown.map(function (d) { return d.y; });
        var x0 = least(xs), x1 = most(xs), y0 = least(ys), y1 = most(ys);
        var biggest = most(shown.map(radius)), k = 1;
        for (var i = 0; i < 3; i += 1) {  /* the margin holds the largest node at the scale found */
          var pad = 8 + biggest * Math.min(Math.sqrt(k), 1.5);
          k = Math.min((width - 2 * pad) / Math.max(x1 - x0, 1), (height - 2 * pad) / Math.max(y1 - y0, 1), 8);
        }
        var t = d3.zoomIdentity.translate(width / 2 - k * (x0 + x1) / 2, height / 2 - k * (y0 + y1) / 2).scale(k);
        (duration ? svg.transition().duration(duration) : svg).call(zoom.transform, t);
      }

      function applyFilters() {
        var kinds = {};
        page.querySelectorAll("[data-kb-kind]").forEach(function (box) { kinds[box.dataset.kbKind] = box.checked; });
        var status = (page.querySelector("[data-kb-graph-status]") || {}).value || "";
        visible = function (d) {
          if (kinds[d.kind] === false) return false;
          if (status === "done") return !!d.done;
          if (status === "open") return !d.done;
          return true;
        };
        node.attr("display", function (d) { return visible(d) ? null : "none"; });
        link.attr("display", function (d) { return visible(d.source) && visible(d.target) ? null : "none"; });
        /* Size and label priority by the links one sees: a paper's fifty authors, hidden, do
           not make it a hub. */
        nodes.forEach(function (d) { d.shown = 0; });
        links.forEach(function (l) {
          if (l.source !== l.target && visible(l.source) && visible(l.target)) { l.source.shown += 1; l.target.shown += 1; }
        });
        byPriority.sort(function (a, b) { return b.shown - a.shown || a.title.localeCompare(b.title); });
        /* Drawn in reverse order of priority, so a hub's label lies over the lesser circles. */
        var rank = new Map(byPriority.map(function (d, i) { return [d.id, i]; }));
        node.sort(function (a, b) { return rank.get(b.id) - rank.get(a.id); });
        /* Thousands of nodes: smaller circles, so a typical one takes at most a third of the room
           each node has on the screen (a hub stays the largest). */
        var shownNodes = nodes.filter(visible);
        density = 1;
        if (shownNodes.length) {
          var typical = median(shownNodes.map(radius));
          density = Math.min(1, 0.3 * Math.sqrt(width * height / shownNodes.length) / typical);
        }
        rescale(scale);
        fit(0);
        var first = focused && visible(focused) ? focused : byPriority.find(visible);
        if (first) settle(first);
      }
      page.querySelectorAll("[data-kb-kind], [data-kb-graph-status]").forEach(function (control) {
        control.addEventListener("change", applyFilters);
      });

      var search = page.querySelector("[data-kb-graph-search]");
      var list = page.querySelector("#kb-graph-titles");
      if (list) {
        byPriority.forEach(function (d) { var o = document.createElement("option"); o.value = d.title; list.appendChild(o); });
      }
      if (search) {
        var find = function () {
          var q = search.value.trim().toLowerCase();
          if (!q) { highlight(null); return; }
          var hit = byPriority.find(function (d) { return d.title.toLowerCase() === q; }) ||
            byPriority.find(function (d) { return d.title.toLowerCase().indexOf(q) >= 0; });
          if (!hit) return;
          if (!visible(hit)) {
            var box = page.querySelector('[data-kb-kind="' + hit.kind + '"]');
            if (box) { box.checked = true; applyFilters(); }
          }
          var k = Math.max(scale, 2.5);
          svg.transition().duration(400).call(zoom.transform,
            d3.zoomIdentity.translate(width / 2 - k * hit.x, height / 2 - k * hit.y).scale(k));
          highlight(hit);
        };
        search.addEventListener("change", find);
        search.addEventListener("keydown", function (e) { if (e.key === "Enter") find(); });
      }
      applyFilters();
      container.setAttribute("data-kb-drawn", nodes.length);
    });
  }

  window.kbGraphs = function () {
    document.querySelectorAll(".kb-global-graph:not([data-kb-ready])").forEach(function (el) {
      el.setAttribute("data-kb-ready", "1");
      globalGraph(el);
    });
  };
})();
