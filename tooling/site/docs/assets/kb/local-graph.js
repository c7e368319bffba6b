/* local-graph.js: a note's local graph, drawn as plain SVG (no d3) from the neighbourhood the build
   inlined in the page; depth 2 reads the site's graph index, fetched only when asked for.
   Layout: the note in the middle, its neighbours on the two sides of an ellipse, one per line,
   each labelled horizontally away from the middle. Labels cannot overlap (one per line and side)
   and no edge crosses a label (edges stay inside the ellipse, labels outside). Past LABELLED
   nodes, the least linked sit unlabelled inside (their titles show on hover). Each node is a link
   (Tab reaches it, Enter opens it) that takes clicks over its circle and label; on a phone each
   row is at least 24 px high. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var KIND_ORDER = { "concept": 0, "paper": 1, "note": 2, "plan": 3, "author": 4 };
  var LINE = 13, FONT = 10, LABELLED = 60, TWO_LINES = 12;  /* two-line labels up to 12 a side */
  /* The least height of a node's row (and side of its tap square), in pixels. */
  var HIT = window.matchMedia("(pointer: coarse), (max-width: 40em)").matches ? 24 : 12;

  function el(name, attributes, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function nodeClass(d, focus) {
    return "kb-node kb-node-" + d.kind + (d.done ? " kb-node-done" : "") + (d.id === focus ? " kb-node-focus" : "");
  }

  /* The text that fits in `room` pixels, with an ellipsis when cut. */
  function fitted(text, label, room) {
    label.textContent = text;
    if (label.getComputedTextLength() <= room) return "";
    var low = 0, high = text.length;
    while (low < high) {
      var mid = Math.ceil((low + high) / 2);
      label.textContent = text.slice(0, mid) + "…";
      if (label.getComputedTextLength() <= room) low = mid; else high = mid - 1;
    }
    label.textContent = low ? text.slice(0, low) + "…" : "";
    return text.slice(low);
  }

  /* A label on one line, or on two (cut at a space) when `lines` is 2 and one is not enough. */
  function write(label, text, room, lines) {
    if (!fitted(text, label, room) || lines < 2) return;
    var words = text.split(" "), head = words[0], i = 1;
    label.textContent = head;
    while (i < words.length) {
      label.textContent = head + " " + words[i];
      if (label.getComputedTextLength() > room) break;
      head = label.textContent; i += 1;
    }
    label.textContent = "";
    var first = el("tspan", { x: label.getAttribute("dx") || 0, dy: "-0.15em" }, label);
    var rest = el("tspan", { x: label.getAttribute("dx") || 0, dy: "1.1em" }, label);
    label.removeAttribute("dy");
    fitted(head, first, room);
    fitted(i < words.length ? words.slice(i).join(" ") : "", rest, room);
  }

  /* Places: {id: {x, y, side, ring}}; the ring-1 nodes first in reading order. */
  function place(focus, first, second, parentOf, degree, width) {
    var rank = new Map(first.map(function (id, i) { return [id, i]; }));
    var far = new Set(second);
    var order = first.concat(second.sort(function (a, b) { return rank.get(parentOf[a]) - rank.get(parentOf[b]); }));
    var ranked = order.slice().sort(function (a, b) { return far.has(a) - far.has(b) || degree(b) - degree(a); });
    var labelled = new Set(ranked.slice(0, LABELLED));
    var outer = order.filter(function (id) { return labelled.has(id); });
    var inner = order.filter(function (id) { return !labelled.has(id); });
    var rightCount = Math.ceil(outer.length / 2);
    var lines = rightCount <= TWO_LINES ? 2 : 1;
    var row = Math.max(LINE * lines, HIT);
    var b = Math.max(rightCount * row / 2, 30), a = Math.max(Math.min(width * 0.06, 20), 10);
    var places = {};
    places[focus] = { x: 0, y: 0, ring: 0, lines: lines };
    outer.forEach(function (id, i) {
      var right = i < rightCount;
      var slot = right ? i : outer.length - 1 - i;   /* clockwise: down the right, up the left */
      var count = right ? rightCount : outer.length - rightCount;
      var y = count === 1 ? 0 : -b + (slot + 0.5) * (2 * b / count);
      var x = a * Math.sqrt(Math.max(0, 1 - (y / b) * (y / b))) + 6;
      places[id] = { x: right ? x : -x, y: y, side: right ? 1 : -1, ring: far.has(id) ? 2 : 1, row: 2 * b / count };
    });
    inner.forEach(function (id, i) {
      var angle = 2 * Math.PI * i / inner.length;
      places[id] = { x: 0.55 * a * Math.cos(angle), y: 0.7 * b * Math.sin(angle), ring: 3 };
    });
    return { places: places, top: -b - 2 * LINE, height: 2 * b + 3 * LINE + 6, lines: lines };
  }

  /* The square (or, beside a label, the row) that takes a node's clicks and taps. */
  function hitArea(link, p, room) {
    var half = HIT / 2, box = [-half, -half, HIT, HIT];
    if (p.side) {
      var height = Math.max(HIT, Math.min(p.row, 2 * LINE));  /* its row, at most two lines */
      box = [p.side > 0 ? -half : -room - 8, -height / 2, room + 8 + half, height];
    }
    el("rect", { "class": "kb-hit", x: box[0], y: box[1], width: box[2], height: box[3] }, link);
  }

  function draw(holder, data, depth) {
    holder.textContent = "";
    var focus = data.focus, byId = data.byId, around = data.around;
    var order = function (x, y) {
      var p = byId.get(x), q = byId.get(y);
      return (KIND_ORDER[p.kind] - KIND_ORDER[q.kind]) || p.title.localeCompare(q.title);
    };
    var first = Array.from(around.get(focus) || []).sort(order);
    var second = [], parentOf = {}, near = new Set(first);
    if (depth > 1) {
      first.forEach(function (id) {
        Array.from(around.get(id) || []).sort(order).forEach(function (n) {
          if (n !== focus && !near.has(n) && !(n in parentOf)) { parentOf[n] = id; second.push(n); }
        });
      });
    }
    var width = Math.max(200, holder.clientWidth || 240);
    var degree = function (id) { return byId.get(id).degree || 0; };
    var laid = place(focus, first, second, parentOf, degree, width);
    var places = laid.places, height = laid.height;
    var svg = el("svg", { "class": "kb-graph kb-graph-local", viewBox: [-width / 2, laid.top, width, height].join(" "),
      width: "100%", role: "group", "aria-label": "Notes linked to this one" }, holder);
    var lines = el("g", {}, svg);
    data.edges.forEach(function (e) {
      var p = places[e[0]], q = places[e[1]];
      if (!p || !q || e[0] === e[1]) return;
      el("line", { "class": "kb-edge kb-edge-" + e[2], x1: p.x, y1: p.y, x2: q.x, y2: q.y }, lines);
    });
    var nodes = el("g", {}, svg);
    Object.keys(places).forEach(function (id) {
      var d = byId.get(id), p = places[id];
      var link = el("a", { href: d.href, "class": nodeClass(d, focus), "data-id": id,
        transform: "translate(" + p.x + "," + p.y + ")" }, nodes);
      var room = width / 2 - Math.abs(p.x) - 14;
      hitArea(link, p, room);
      el("circle", { r: p.ring === 0 ? 8 : p.ring === 1 ? 5.5 : 4 }, link);
      el("title", {}, link).textContent = d.title + " (" + d.kind + (d.status ? ", " + d.status : "") + ")";
      if (p.ring === 3) return;
      var label = el("text", { "font-size": FONT, dy: "0.35em", "aria-hidden": "true" }, link);  /* named by <title> */
      if (p.ring === 0) {  /* the note itself: its title above the ellipse, over every edge */
        label.setAttribute("text-anchor", "middle");
        label.setAttribute("y", laid.top + LINE - p.y);
        fitted(d.title, label, width - 16);
        return;
      }
      label.setAttribute("text-anchor", p.side > 0 ? "start" : "end");
      label.setAttribute("dx", p.side > 0 ? 8 : -8);
      write(label, d.title, room, laid.lines);
    });
    holder.parentNode.setAttribute("data-kb-drawn", Object.keys(places).length);
  }

  function inlined(container) {
    var script = container.querySelector('script[type="application/json"]');
    var data = JSON.parse(script.textContent);
    var base = new URL(data.base || "./", window.location.href);
    var byId = new Map(), around = new Map();
    data.nodes.forEach(function (n) { n.href = new URL(n.url, base).href; byId.set(n.id, n); around.set(n.id, new Set()); });
    data.edges = data.edges.map(function (e) {
      var u = data.nodes[e[0]].id, v = data.nodes[e[1]].id;
      around.get(u).add(v); around.get(v).add(u);
      return [u, v, data.types[e[2]]];
    });
    /* Depth 1 knows only the edges among the note's neighbours: a neighbour's own degree
       comes from the build. */
    return { focus: data.focus, byId: byId, around: around, edges: data.edges };
  }

  function fromIndex(focus, index) {
    var around = new Map();
    index.edges.forEach(function (e) {
      if (!around.has(e[0])) around.set(e[0], new Set());
      if (!around.has(e[1])) around.set(e[1], new Set());
      around.get(e[0]).add(e[1]); around.get(e[1]).add(e[0]);
    });
    return { focus: focus, byId: index.byId, around: around, edges: index.edges };
  }

  function localGraph(container) {
    var near = inlined(container);
    if (!(near.around.get(near.focus) || new Set()).size) { container.remove(); return; }
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
    toggle.querySelector("input").addEventListener("change", function (e) {
      if (!e.target.checked) { draw(holder, near, 1); return; }
      window.kbIndex().then(function (index) { if (e.target.checked) draw(holder, fromIndex(near.focus, index), 2); });
    });
    draw(holder, near, 1);
  }

  window.kbLocalGraphs = function () {
    document.querySelectorAll(".kb-local-graph:not([data-kb-ready])").forEach(function (container) {
      container.setAttribute("data-kb-ready", "1");
      localGraph(container);
    });
  };
})();
