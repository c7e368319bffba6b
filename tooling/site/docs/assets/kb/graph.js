/* graph.js: the global graph page and the local (depth 1) graph of each note, drawn with d3.
   Nodes are coloured by kind, sized by degree, faded when done; a click opens the note. */
(function () {
  "use strict";
  var DONE = { "read": 1, "skimmed": 1, "dropped": 1, "studied": 1 };

  function layout(nodes, links, width, height, local) {
    var simulation = d3.forceSimulation(nodes)
      .force("link", d3.forceLink(links).id(function (d) { return d.id; }).distance(local ? 70 : 45))
      .force("charge", d3.forceManyBody().strength(local ? -220 : -70))
      .force("x", d3.forceX(width / 2).strength(0.06))
      .force("y", d3.forceY(height / 2).strength(0.06))
      .force("collide", d3.forceCollide().radius(function (d) { return radius(d) + 2; }))
      .stop();
    /* A fixed number of ticks before drawing: the picture is still, so it can be clicked at once. */
    var ticks = nodes.length > 1500 ? 120 : 300;
    for (var i = 0; i < ticks; i += 1) simulation.tick();
  }

  function radius(d) { return 4 + Math.sqrt(d.degree || 0) * 1.6; }

  function draw(container, nodes, links, options) {
    var width = container.clientWidth || 800;
    var height = options.local ? 280 : Math.max(480, Math.round(window.innerHeight * 0.7));
    layout(nodes, links, width, height, options.local);
    var svg = d3.select(container).append("svg")
      .attr("class", "kb-graph")
      .attr("viewBox", [0, 0, width, height])
      .attr("width", "100%").attr("height", height);
    var canvas = svg.append("g");
    svg.call(d3.zoom().scaleExtent([0.2, 6]).on("zoom", function (event) {
      canvas.attr("transform", event.transform);
    }));
    var link = canvas.append("g").attr("class", "kb-edges").selectAll("line").data(links).join("line")
      .attr("class", function (d) { return "kb-edge kb-edge-" + d.type; })
      .attr("x1", function (d) { return d.source.x; }).attr("y1", function (d) { return d.source.y; })
      .attr("x2", function (d) { return d.target.x; }).attr("y2", function (d) { return d.target.y; });
    var node = canvas.append("g").attr("class", "kb-nodes").selectAll("g").data(nodes).join("g")
      .attr("class", function (d) {
        return "kb-node kb-node-" + d.kind + (DONE[d.status] ? " kb-node-done" : "") +
          (d.id === options.focus ? " kb-node-focus" : "");
      })
      .attr("data-id", function (d) { return d.id; })
      .attr("transform", function (d) { return "translate(" + d.x + "," + d.y + ")"; })
      .on("click", function (event, d) { window.location.href = d.href; });
    node.append("circle").attr("r", radius);
    node.append("title").text(function (d) { return d.title + " (" + d.kind + (d.status ? ", " + d.status : "") + ")"; });
    node.filter(function (d) { return options.local || d.degree >= 8; })
      .append("text").attr("dx", function (d) { return radius(d) + 3; }).attr("dy", "0.35em")
      .text(function (d) { return d.title.length > 40 ? d.title.slice(0, 39) + "…" : d.title; });
    return { node: node, link: link };
  }

  function subgraph(index, keep) {
    var nodes = index.nodes.filter(function (n) { return keep.has(n.id); })
      .map(function (n) { return Object.assign({}, n); });
    var links = index.edges.filter(function (e) { return keep.has(e[0]) && keep.has(e[1]); })
      .map(function (e) { return { source: e[0], target: e[1], type: e[2] }; });
    return { nodes: nodes, links: links };
  }

  function globalGraph(container) {
    var page = container.closest("article") || document;
    window.kbIndex().then(function (index) {
      var all = new Set(index.nodes.map(function (n) { return n.id; }));
      var data = subgraph(index, all);
      var drawn = draw(container, data.nodes, data.links, { local: false });
      container.setAttribute("data-kb-drawn", data.nodes.length);
      function applyFilters() {
        var kinds = {};
        page.querySelectorAll("[data-kb-kind]").forEach(function (box) { kinds[box.dataset.kbKind] = box.checked; });
        var status = (page.querySelector("[data-kb-graph-status]") || {}).value || "";
        function visible(d) {
          if (kinds[d.kind] === false) return false;
          if (status === "done") return !!DONE[d.status];
          if (status === "open") return !DONE[d.status];
          return true;
        }
        drawn.node.attr("display", function (d) { return visible(d) ? null : "none"; });
        drawn.link.attr("display", function (d) { return visible(d.source) && visible(d.target) ? null : "none"; });
      }
      page.querySelectorAll("[data-kb-kind], [data-kb-graph-status]").forEach(function (control) {
        control.addEventListener("change", applyFilters);
      });
    });
  }

  function localGraph(container) {
    var focus = container.getAttribute("data-kb-node");
    window.kbIndex().then(function (index) {
      var keep = new Set([focus]);
      index.edges.forEach(function (e) {
        if (e[0] === focus) keep.add(e[1]);
        if (e[1] === focus) keep.add(e[0]);
      });
      if (keep.size < 2) return;
      var data = subgraph(index, keep);
      draw(container, data.nodes, data.links, { local: true, focus: focus });
      container.setAttribute("data-kb-drawn", data.nodes.length);
    });
  }

  function ready() {
    if (typeof d3 === "undefined" || !window.kbIndex) return;
    document.querySelectorAll(".kb-global-graph:not([data-kb-ready])").forEach(function (el) {
      el.setAttribute("data-kb-ready", "1");
      globalGraph(el);
    });
    document.querySelectorAll(".kb-local-graph:not([data-kb-ready])").forEach(function (el) {
      el.setAttribute("data-kb-ready", "1");
      localGraph(el);
    });
  }

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(ready);
  } else {
    document.addEventListener("DOMContentLoaded", ready);
  }
})();
