/* graph.js: the global graph page and each note's local graph, drawn with d3 from positions the
   build computed (no simulation runs in the page). Loaded by kb.js when a graph comes into view.
   Global: papers, concepts, notes and plans (authors behind a toggle), fitted to the viewport,
   labels shown by zoom level without overlaps, a node's neighbours highlighted on hover, a
   search box, and the wheel left to the page (Ctrl + wheel or a pinch zooms).
   Local: the note in the middle, its neighbours on a ring (depth 2 on an outer ring). */
(function () {
  "use strict";
  var DONE = { "read": 1, "skimmed": 1, "dropped": 1, "studied": 1 };
  var KIND_ORDER = { "concept": 0, "paper": 1, "note": 2, "plan": 3, "author": 4 };

  function radius(d) { return 3.5 + Math.sqrt(d.degree || 0) * 1.4; }
  function short(title, n) { return title.length > n ? title.slice(0, n - 1) + "…" : title; }
  function nodeClass(d, focus) {
    return "kb-node kb-node-" + d.kind + (DONE[d.status] ? " kb-node-done" : "") + (d.id === focus ? " kb-node-focus" : "");
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
        .attr("transform", function (d) { return "translate(" + d.x + "," + d.y + ")"; })
        .on("click", function (event, d) { window.location.href = d.href; })
        .on("mouseenter", function (event, d) { highlight(d); })
        .on("mouseleave", function () { highlight(null); });
      node.append("circle").attr("r", radius);
      node.append("title").text(function (d) { return d.title + " (" + d.kind + (d.status ? ", " + d.status : "") + ")"; });
      var label = node.append("text").attr("dy", "0.35em").text(function (d) { return short(d.title, 32); });
      label.style("font-size", "11px").each(function (d) { d.labelWidth = this.getComputedTextLength() + 2; });
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

      /* Labels: by degree, each shown only where it overlaps no label already placed; the more
         you zoom in, the more fit. Sizes stay constant on screen. */
      function placeLabels(forced) {
        var taken = [], shown = new Set();
        var t = d3.zoomTransform(svg.node());
        byPriority.forEach(function (d) {
          if (!visible(d)) return;
          var x = t.applyX(d.x), y = t.applyY(d.y);
          if (x < -50 || y < -20 || x > width + 50 || y > height + 20) return;
          var w = d.labelWidth || Math.min(d.title.length, 32) * 6.5, r = radius(d) * Math.min(Math.sqrt(scale), 1.5) + 3;
          var box = [x + r, y - 8, x + r + w, y + 8];
          var must = forced && forced.has(d.id);
          if (!must && (forced || taken.some(function (b) { return b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3]; }))) return;
          taken.push(box); shown.add(d.id);
        });
        label.attr("display", function (d) { return shown.has(d.id) ? null : "none"; });
      }

      function rescale(k) {
        scale = k;
        var grow = Math.min(Math.sqrt(k), 1.5);
        node.select("circle").attr("r", function (d) { return radius(d) * grow / k; });
        label.style("font-size", (11 / k) + "px").attr("dx", function (d) { return (radius(d) * grow + 3) / k; });
        link.attr("stroke-width", 1 / k);
        node.select("circle").attr("stroke-width", 1.2 / k);
      }

      var zoom = d3.zoom().scaleExtent([0.05, 40])
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

      function fit(duration) {
        var shown = nodes.filter(visible);
        if (!shown.length) return;
        var x0 = d3.min(shown, function (d) { return d.x; }), x1 = d3.max(shown, function (d) { return d.x; });
        var y0 = d3.min(shown, function (d) { return d.y; }), y1 = d3.max(shown, function (d) { return d.y; });
        var biggest = d3.max(shown, radius), k = 1;
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
          if (status === "done") return !!DONE[d.status];
          if (status === "open") return !DONE[d.status];
          return true;
        };
        node.attr("display", function (d) { return visible(d) ? null : "none"; });
        link.attr("display", function (d) { return visible(d.source) && visible(d.target) ? null : "none"; });
        fit(0);
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

  /* --- local graph ----------------------------------------------------------------------- */
  function localGraph(container) {
    var focus = container.getAttribute("data-kb-node");
    window.kbIndex().then(function (index) {
      var around = neighbours(index.edges);
      if (!(around.get(focus) || new Set()).size) { container.remove(); return; }
      var heading = document.createElement("p");
      heading.className = "kb-local-graph-title";
      heading.textContent = "Local graph";
      var toggle = document.createElement("label");
      toggle.className = "kb-depth";
      toggle.innerHTML = '<input type="checkbox"> depth 2';
      heading.appendChild(toggle);
      container.appendChild(heading);
      var holder = document.createElement("div");
      container.appendChild(holder);
      var draw = function (depth) {
        holder.textContent = "";
        drawLocal(holder, index, around, focus, depth);
      };
      toggle.querySelector("input").addEventListener("change", function (e) { draw(e.target.checked ? 2 : 1); });
      draw(1);
    });
  }

  function drawLocal(holder, index, around, focus, depth) {
    var order = function (a, b) {
      var x = index.byId.get(a), y = index.byId.get(b);
      return (KIND_ORDER[x.kind] - KIND_ORDER[y.kind]) || x.title.localeCompare(y.title);
    };
    var first = Array.from(around.get(focus)).sort(order);
    /* Sizes in screen pixels: the box is as wide as its column, labels sit outside the ring. */
    var width = Math.max(200, holder.clientWidth || 240);
    var labelled = depth === 1 && first.length <= 8;
    var half = width / 2;
    var r1 = depth > 1 ? half * 0.45 : labelled ? half - 70 : half - 14;
    var place = new Map([[focus, { x: 0, y: 0, ring: 0 }]]);
    first.forEach(function (id, i) {
      var a = 2 * Math.PI * i / first.length - Math.PI / 2;
      place.set(id, { x: r1 * Math.cos(a), y: r1 * Math.sin(a), ring: 1, angle: a });
    });
    if (depth > 1) {
      var second = [];
      first.forEach(function (id) {
        Array.from(around.get(id) || []).sort(order).forEach(function (n) {
          if (!place.has(n) && second.indexOf(n) < 0) { second.push(n); place.set(n, { parent: id }); }
        });
      });
      second.sort(function (a, b) { return place.get(place.get(a).parent).angle - place.get(place.get(b).parent).angle; });
      second.forEach(function (id, i) {
        var a = 2 * Math.PI * i / second.length - Math.PI / 2;
        place.set(id, { x: (half - 10) * Math.cos(a), y: (half - 10) * Math.sin(a), ring: 2 });
      });
    }
    var nodes = Array.from(place.keys()).map(function (id) {
      return Object.assign({}, index.byId.get(id), place.get(id));
    });
    var ids = new Set(place.keys());
    var links = index.edges.filter(function (e) { return ids.has(e[0]) && ids.has(e[1]) && e[0] !== e[1]; })
      .map(function (e) { return { source: place.get(e[0]), target: place.get(e[1]), type: e[2] }; });
    var size = width;
    var svg = d3.select(holder).append("svg").attr("class", "kb-graph kb-graph-local")
      .attr("viewBox", [-size / 2, -size / 2, size, size]).attr("width", "100%")
      .attr("role", "group").attr("aria-label", "Notes linked to this one");
    svg.append("g").selectAll("line").data(links).join("line")
      .attr("class", function (d) { return "kb-edge kb-edge-" + d.type; })
      .attr("x1", function (d) { return d.source.x; }).attr("y1", function (d) { return d.source.y; })
      .attr("x2", function (d) { return d.target.x; }).attr("y2", function (d) { return d.target.y; });
    var node = svg.append("g").selectAll("a").data(nodes).join("a")
      .attr("href", function (d) { return d.href; })
      .attr("class", function (d) { return nodeClass(d, focus); })
      .attr("data-id", function (d) { return d.id; })
      .attr("transform", function (d) { return "translate(" + d.x + "," + d.y + ")"; });
    node.append("circle").attr("r", function (d) { return d.id === focus ? 9 : d.ring === 2 ? 4.5 : 6.5; });
    node.append("title").text(function (d) { return d.title + " (" + d.kind + (d.status ? ", " + d.status : "") + ")"; });
    node.filter(function (d) { return labelled || d.id === focus; }).append("text")
      .attr("font-size", 10)
      .attr("text-anchor", function (d) { return d.id === focus ? "middle" : d.x < -1 ? "end" : d.x > 1 ? "start" : "middle"; })
      .attr("dx", function (d) { return d.id === focus ? 0 : d.x < -1 ? -9 : d.x > 1 ? 9 : 0; })
      .attr("dy", function (d) { return d.id === focus ? -13 : d.y < 0 && Math.abs(d.x) < 2 ? -10 : "0.35em"; })
      .text(function (d) { return short(d.title, d.id === focus ? 30 : 12); });
    holder.parentNode.setAttribute("data-kb-drawn", nodes.length);
  }

  window.kbGraphs = function () {
    document.querySelectorAll(".kb-global-graph:not([data-kb-ready])").forEach(function (el) {
      el.setAttribute("data-kb-ready", "1");
      globalGraph(el);
    });
    document.querySelectorAll(".kb-local-graph:not([data-kb-ready])").forEach(function (el) {
      el.setAttribute("data-kb-ready", "1");
      localGraph(el);
    });
  };
})();
