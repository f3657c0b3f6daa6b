// The explorer's glue: builds the vis-network view from the page's JSON, and the search box,
// filters and details panel around it. Every string from the graph is set as text, never as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("sle-data").textContent);
  var kinds = {};
  data.kinds.forEach(function (k) { kinds[k.kind] = k; });
  var hasHighlight = data.nodes.some(function (n) { return n.hl; });
  var big = !data.shapes;
  var FADED = "#E4E4E4", FADED_TEXT = "#B0B0B0", EDGE = "#666666";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function link(text, url) {
    // Only web links: the URLs are built by sle_graph, this keeps any other scheme out.
    if (!/^https?:\/\//.test(url)) return el("span", {text: text});
    return el("a", {href: url, target: "_blank", rel: "noopener noreferrer", text: text});
  }

  // -- the network ---------------------------------------------------------------------------
  var visNodes = data.nodes.map(function (n, i) {
    var k = kinds[n.kind], faded = hasHighlight && !n.hl;
    var node = {id: i, label: n.label, x: n.x, y: n.y, title: n.label + " (" + k.legend + ")",
      color: {background: faded ? "#F7F7F7" : k.fill, border: faded ? FADED : k.border,
              highlight: {background: k.fill, border: "#000000"}},
      borderWidth: n.hl ? 3 : 1.5, font: {color: faded ? FADED_TEXT : "#222222", size: 14}};
    if (big) { node.shape = "dot"; node.size = 16; node.borderWidth = 1; }
    else {
      node.shape = k.shape;
      node.widthConstraint = {maximum: 120};
      node.shapeProperties = {borderRadius: k.rounded ? 8 : 1};
      if (node.shape !== "box" && node.shape !== "ellipse" && node.shape !== "circle" &&
          node.shape !== "database" && node.shape !== "text") node.size = 14;
    }
    return node;
  });
  var visEdges = data.edges.map(function (e, i) {
    var faded = hasHighlight && !e.hl;
    var edge = {id: i, from: e.s, to: e.o, arrows: {to: {enabled: true, scaleFactor: 0.5}},
      dashes: e.status === "contested", width: e.hl ? 3 : 1,
      color: {color: faded ? FADED : big ? "#BBBBBB" : EDGE, highlight: "#000000", hover: "#000000"},
      title: data.nodes[e.s].label + " " + e.p + " " + data.nodes[e.o].label + " (" + e.status + ")"};
    if (!big && data.edges.length <= 300) {
      edge.label = e.p.replace(/_/g, " ");
      edge.font = {size: 10, color: faded ? FADED_TEXT : "#555555", strokeWidth: 3, align: "middle"};
    }
    return edge;
  });
  var nodes = new vis.DataSet(visNodes), edges = new vis.DataSet(visEdges);
  var container = document.getElementById("sle-graph");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, {
    physics: false, layout: {randomSeed: 1, improvedLayout: false},
    interaction: {hover: !big, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                  multiselect: false, navigationButtons: false, keyboard: false},
    edges: {smooth: false, selectionWidth: 2, hoverWidth: 1},
    nodes: {margin: 6, scaling: {label: {drawThreshold: 3}}}
  });

  // -- filters -------------------------------------------------------------------------------
  var shownKinds = {}, shownStatus = {}, shownModality = {};
  data.kinds.forEach(function (k) { shownKinds[k.kind] = true; });
  data.statuses.forEach(function (s) { shownStatus[s] = true; });
  data.modalities.forEach(function (m) { shownModality[m] = true; });

  function edgeVisible(e) {
    if (!shownStatus[e.status]) return false;
    if (!shownKinds[data.nodes[e.s].kind] || !shownKinds[data.nodes[e.o].kind]) return false;
    if (data.modalities.length && e.modalities.length &&
        !e.modalities.some(function (m) { return shownModality[m]; })) return false;
    return true;
  }
  function applyFilters() {
    var nodeUpdates = [], edgeUpdates = [], nShown = 0, eShown = 0;
    data.nodes.forEach(function (n, i) {
      var show = !!shownKinds[n.kind];
      if (show) nShown++;
      nodeUpdates.push({id: i, hidden: !show});
    });
    data.edges.forEach(function (e, i) {
      var show = edgeVisible(e);
      if (show) eShown++;
      edgeUpdates.push({id: i, hidden: !show});
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    document.getElementById("sle-count").textContent =
      "showing " + nShown + " of " + data.nodes.length + " nodes, " + eShown + " of " + data.edges.length + " edges";
  }
  function checkbox(box, label, swatch, onChange, count) {
    var input = el("input", {type: "checkbox"});
    input.checked = true;
    input.addEventListener("change", function () { onChange(input.checked); applyFilters(); });
    var parts = [input];
    if (swatch) parts.push(swatch);
    parts.push(label + (count !== undefined ? " (" + count + ")" : ""));
    box.appendChild(el("label", {}, parts));
  }
  function counts(key, list) {
    var c = {};
    list.forEach(function (x) { c[x[key]] = (c[x[key]] || 0) + 1; });
    return c;
  }
  var byStatus = counts("status", data.edges), byKind = counts("kind", data.nodes);
  data.statuses.forEach(function (s) {
    var line = el("span", {className: "sle-line" + (s === "contested" ? " sle-dashed" : "")});
    checkbox(document.getElementById("sle-status"), s, line, function (on) { shownStatus[s] = on; }, byStatus[s] || 0);
  });
  document.getElementById("sle-status").querySelectorAll("input").forEach(function (input, i) {
    input.setAttribute("data-status", data.statuses[i]);
  });
  data.kinds.forEach(function (k) {
    var sw = el("span", {className: "sle-swatch"});
    sw.style.background = k.fill;
    sw.style.borderColor = k.border;
    checkbox(document.getElementById("sle-kinds"), k.legend, sw, function (on) { shownKinds[k.kind] = on; }, byKind[k.kind]);
  });
  if (data.modalities.length) {
    document.getElementById("sle-modality-box").hidden = false;
    data.modalities.forEach(function (m) {
      checkbox(document.getElementById("sle-modality"), m, null, function (on) { shownModality[m] = on; });
    });
  }

  // -- details panel -------------------------------------------------------------------------
  var panel = document.getElementById("sle-panel");
  function clear() { while (panel.firstChild) panel.removeChild(panel.firstChild); }
  function nodeButton(i) {
    var b = el("button", {type: "button", className: "sle-link", text: data.nodes[i].label});
    b.addEventListener("click", function () { focusNode(i); });
    return b;
  }
  function showNode(i) {
    var n = data.nodes[i], k = kinds[n.kind];
    clear();
    panel.appendChild(el("h2", {text: n.label}));
    panel.appendChild(el("p", {}, [el("span", {className: "sle-badge", text: k.legend}), el("code", {text: n.id})]));
    if (n.definition) panel.appendChild(el("p", {text: n.definition}));
    if (n.synonyms.length) panel.appendChild(el("p", {className: "sle-meta", text: "Synonyms: " + n.synonyms.join(", ")}));
    if (n.mappings.length) {
      panel.appendChild(el("h3", {text: "Mappings"}));
      panel.appendChild(el("ul", {}, n.mappings.map(function (m) {
        return el("li", {}, [link(m[0], m[1]), " (" + m[2] + ")"]);
      })));
    }
    var out = [], inn = [];
    data.edges.forEach(function (e, j) {
      if (e.s === i) out.push([e, j, e.o]);
      if (e.o === i) inn.push([e, j, e.s]);
    });
    [["Out", out], ["In", inn]].forEach(function (pair) {
      if (!pair[1].length) return;
      panel.appendChild(el("h3", {text: pair[0] === "Out" ? "Points to" : "Pointed to by"}));
      panel.appendChild(el("ul", {}, pair[1].map(function (t) {
        var edgeLink = el("button", {type: "button", className: "sle-link", text: t[0].p.replace(/_/g, " ")});
        edgeLink.addEventListener("click", function () { network.selectEdges([t[1]]); showEdge(t[1]); });
        return el("li", {}, [edgeLink, " ", nodeButton(t[2]),
                             t[0].status === "contested" ? " (contested)" : ""]);
      })));
    });
  }
  function evidenceBox(r) {
    var parts = [];
    if (r.kind === "quote") {
      parts.push(el("blockquote", {text: r.quote}));
      parts.push(el("div", {className: "sle-meta", text: r.source_label + ", characters " + r.start + "\u2013" + r.end}));
    } else {
      var head = el("div", {}, [el("span", {className: "sle-badge", text: r.stance}), el("b", {text: r.source_label})]);
      parts.push(head);
      if (r.kind === "study") {
        if (r.finding) parts.push(el("div", {text: r.finding}));
        if (r.measure) parts.push(el("div", {className: "sle-meta", text: "Measure: " + r.measure}));
      } else {
        parts.push(el("div", {text: r.reference}));
      }
    }
    if (r.design) parts.push(el("div", {className: "sle-meta", text: "Design: " + r.design}));
    if (r.modality) parts.push(el("div", {className: "sle-meta", text: "Modality: " + r.modality}));
    if (r.links && r.links.length) {
      var links = el("div", {className: "sle-meta"});
      r.links.forEach(function (l, j) {
        if (j) links.appendChild(document.createTextNode(" \u00b7 "));
        links.appendChild(link(l[0], l[1]));
      });
      parts.push(links);
    }
    return el("div", {className: "sle-evidence sle-stance-" + (r.kind === "quote" ? "supports" : r.stance)}, parts);
  }
  function showEdge(j) {
    var e = data.edges[j];
    clear();
    panel.appendChild(el("h2", {}, [nodeButton(e.s), " " + e.p.replace(/_/g, " ") + " ", nodeButton(e.o)]));
    var cls = e.status === "contested" ? "sle-contested" : e.status === "supported" ? "sle-supported" : "";
    panel.appendChild(el("p", {}, [el("span", {className: "sle-badge " + cls, text: e.status}),
                                   el("span", {className: "sle-meta", text: "grade: " + (e.grade || "none")})]));
    panel.appendChild(el("h3", {text: "Evidence (" + e.evidence.length + ")"}));
    var tally = {quote: 0, supports: 0, contradicts: 0, neutral: 0};
    e.evidence.forEach(function (r) { tally[r.kind === "quote" ? "quote" : r.stance] += 1; });
    panel.appendChild(el("p", {className: "sle-meta", text: tally.quote + " quoted from the articles; studies: " +
      tally.supports + " support, " + tally.contradicts + " contradict, " + tally.neutral + " neutral"}));
    e.evidence.forEach(function (r) { panel.appendChild(evidenceBox(r)); });
  }
  function focusNode(i) {
    if (!shownKinds[data.nodes[i].kind]) {
      shownKinds[data.nodes[i].kind] = true;
      document.getElementById("sle-kinds").querySelectorAll("input").forEach(function (input, j) {
        input.checked = !!shownKinds[data.kinds[j].kind];
      });
      applyFilters();
    }
    network.selectNodes([i]);
    network.focus(i, {scale: Math.max(network.getScale(), 1.0), animation: false});
    showNode(i);
  }
  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  // -- search --------------------------------------------------------------------------------
  var haystack = data.nodes.map(function (n) {
    return [n.label, n.id].concat(n.synonyms, n.mappings.map(function (m) { return m[0]; }))
      .join("\n").toLowerCase();
  });
  var search = document.getElementById("sle-search"), results = document.getElementById("sle-results");
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    while (results.firstChild) results.removeChild(results.firstChild);
    if (!q) { network.unselectAll(); return []; }
    var found = [];
    haystack.forEach(function (h, i) {
      if (h.indexOf(q) >= 0) found.push(i);
    });
    // Exact label first, then labels starting with the query, then the rest by label.
    function rank(i) {
      var label = data.nodes[i].label.toLowerCase();
      return label === q ? 0 : label.indexOf(q) === 0 ? 1 : 2;
    }
    found.sort(function (a, b) {
      return rank(a) - rank(b) || (data.nodes[a].label < data.nodes[b].label ? -1 : 1);
    });
    found.slice(0, 50).forEach(function (i) {
      var b = el("button", {type: "button"}, [data.nodes[i].label + " ",
        el("span", {className: "sle-kind", text: kinds[data.nodes[i].kind].legend})]);
      b.addEventListener("click", function () { focusNode(i); });
      results.appendChild(el("li", {}, [b]));
    });
    network.selectNodes(found.slice(0, 50).filter(function (i) { return shownKinds[data.nodes[i].kind]; }));  // show where they are
    if (!found.length) results.appendChild(el("li", {className: "sle-meta", text: "no match"}));
    else if (found.length > 50) results.appendChild(el("li", {className: "sle-meta", text: (found.length - 50) + " more: type more"}));
    return found;
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = runSearch();
      if (found.length) focusNode(found[0]);
    }
  });
  document.getElementById("sle-fit").addEventListener("click", function () { network.fit({animation: false}); });

  document.getElementById("sle-title").textContent = data.title;
  document.getElementById("sle-hl-note").hidden = !hasHighlight;
  applyFilters();
  network.once("afterDrawing", function () {
    window.sleExplorer.readyMs = performance.now();  // time to interactive, for benchmarks
    document.body.setAttribute("data-ready", "true");
  });
  // For scripts and tests: the data, the network and the functions that show details.
  window.sleExplorer = {data: data, network: network, nodes: nodes, edges: edges,
                        showNode: showNode, showEdge: showEdge, focusNode: focusNode};
})();
