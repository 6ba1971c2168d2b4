// The live learning-rate explorer: sliders over η and μ redraw, in the browser, the paths of
// torch.optim.SGD plain, with momentum (heavy ball) and with Nesterov, on the function a page teaches.
// A widget is a <div data-lr-live="line|valley"> with the problem (from snippets/lr_live.py) in
// data-problem. overrides/main.html loads this file only where a page has one, and Material's instant
// navigation runs it again on each such page: it sets up the widgets it finds and keeps no state.
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var METHODS = ["sgd", "momentum", "nesterov"];

  // The gradient of each kind of page function, at w (an array of coordinates).
  var GRADIENTS = {
    // f(x) = a x² + b x + c
    line: function (problem) {
      var a = problem.coefficients[0], b = problem.coefficients[1];
      return function (w) { return [2 * a * w[0] + b]; };
    },
    // f(x, y) = (x² + κ y²) / 2
    valley: function (problem) {
      var kappa = problem.kappa;
      return function (w) { return [w[0], kappa * w[1]]; };
    }
  };

  // w_0 .. w_steps of one torch.optim.SGD run (dampening 0, no weight decay). torch keeps a buffer
  // d = μ·d + g (d = g at the first step) and steps w -= η·d, or with nesterov=True w -= η·(g + μ·d);
  // "sgd" is momentum=0: w -= η·g.
  function sgdPath(grad, start, steps, eta, mu, method) {
    var w = start.slice(), buffer = null, path = [w.slice()];
    for (var k = 0; k < steps; k++) {
      var g = grad(w), step = g;
      if (method !== "sgd") {
        buffer = buffer === null ? g.slice() : buffer.map(function (d, i) { return mu * d + g[i]; });
        step = method === "nesterov" ? g.map(function (gi, i) { return gi + mu * buffer[i]; }) : buffer;
      }
      w = w.map(function (wi, i) { return wi - eta * step[i]; });
      path.push(w.slice());
    }
    return path;
  }

  function paths(kind, problem, eta, mu) {
    var grad = GRADIENTS[kind](problem), out = {};
    METHODS.forEach(function (method) {
      out[method] = sgdPath(grad, problem.start, problem.steps, eta, mu, method);
    });
    return out;
  }

  function loss(kind, problem, w) {
    if (kind === "line") {
      var c = problem.coefficients;
      return c[0] * w[0] * w[0] + c[1] * w[0] + c[2];
    }
    return (w[0] * w[0] + problem.kappa * w[1] * w[1]) / 2;
  }

  // The regime of plain gradient descent on the line, from its factor 1 − 2aη, in the words of the
  // snippet's verdicts (snippets/lr_explorer.py).
  function regime(factor) {
    if (Math.abs(factor) >= 1) return "diverging";
    return factor < 0 ? "oscillating" : "monotone";
  }

  function signed(value) {  // as Python's format(value, "+.2f")
    return (value < 0 ? "-" : "+") + Math.abs(value).toFixed(2);
  }

  function shown(value) {
    if (!isFinite(value) || Math.abs(value) >= 1e6) return "văng ra (" + (isFinite(value) ? value.toExponential(1) : "∞") + ")";
    return Math.abs(value) < 1e-4 && value !== 0 ? value.toExponential(2) : value.toFixed(4);
  }

  // ---- drawing -------------------------------------------------------------------------------

  function node(parent, name, attributes) {
    var el = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) { el.setAttribute(key, attributes[key]); });
    if (parent) parent.appendChild(el);
    return el;
  }

  function text(parent, x, y, content, anchor) {
    node(parent, "text", {x: x, y: y, "text-anchor": anchor || "middle"}).textContent = content;
  }

  // A map from data to pixels on a box, clamped far outside it so that a diverging path stays a
  // drawable line (the clip path cuts it at the box).
  function scale(from, to) {
    return function (value) {
      var t = (value - from[0]) / (from[1] - from[0]);
      if (!isFinite(t)) t = value > 0 ? 10 : -10;
      return to[0] + Math.max(-10, Math.min(11, t)) * (to[1] - to[0]);
    };
  }

  function ticks(low, high, count) {
    var raw = (high - low) / count, power = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * power; }).filter(function (s) { return s >= raw; })[0];
    var out = [];
    for (var v = Math.ceil(low / step) * step; v <= high + 1e-9; v += step) out.push(Math.abs(v) < 1e-12 ? 0 : v);
    return out;
  }

  function label(value) {
    return String(Math.round(value * 1000) / 1000).replace("-", "−");
  }

  function frame(svg, box, xRange, yRange, xTicks, yTicks, id) {
    var g = node(svg, "g", {"class": "lr-live__frame"});
    node(g, "rect", {x: box.left, y: box.top, width: box.right - box.left, height: box.bottom - box.top});
    var sx = scale(xRange, [box.left, box.right]), sy = scale(yRange, [box.bottom, box.top]);
    xTicks.forEach(function (v) {
      node(g, "line", {"class": "lr-live__grid", x1: sx(v), x2: sx(v), y1: box.top, y2: box.bottom});
      text(g, sx(v), box.bottom + 16, label(v));
    });
    yTicks.forEach(function (v) {
      node(g, "line", {"class": "lr-live__grid", x1: box.left, x2: box.right, y1: sy(v), y2: sy(v)});
      text(g, box.left - 6, sy(v) + 4, label(v), "end");
    });
    var clip = node(node(svg, "defs"), "clipPath", {id: id});
    node(clip, "rect", {x: box.left, y: box.top, width: box.right - box.left, height: box.bottom - box.top});
    return {x: sx, y: sy, plot: node(svg, "g", {"clip-path": "url(#" + id + ")"})};
  }

  function polyline(parent, points, method) {
    node(parent, "polyline", {"class": "lr-live__path lr-live__path--" + method,
                              points: points.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" ")});
  }

  function size(svg) {
    var width = Math.max(280, Math.round(svg.parentNode.clientWidth || 600));
    return {width: width, height: Math.round(Math.max(220, Math.min(340, width * 0.55)))};
  }

  var DRAW = {
    // x_k against the step k, with the minimum as a dashed line
    line: function (svg, problem, found, id) {
      var s = size(svg), x0 = problem.start[0], a = problem.coefficients[0], b = problem.coefficients[1];
      var best = -b / (2 * a), reach = 1.6 * Math.abs(x0 - best), yRange = [best - reach, best + reach];
      var box = {left: 44, right: s.width - 10, top: 10, bottom: s.height - 34};
      svg.setAttribute("viewBox", "0 0 " + s.width + " " + s.height);
      var f = frame(svg, box, [0, problem.steps], yRange, ticks(0, problem.steps, s.width < 420 ? 4 : 8), ticks(yRange[0], yRange[1], 5), id);
      text(svg, (box.left + box.right) / 2, s.height - 2, "bước k");
      node(f.plot, "line", {"class": "lr-live__best", x1: box.left, x2: box.right, y1: f.y(best), y2: f.y(best)});
      text(f.plot, box.right - 4, f.y(best) - 5, "x* = " + label(best), "end");
      METHODS.forEach(function (method) {
        polyline(f.plot, found[method].map(function (w, k) { return [f.x(k), f.y(w[0])]; }), method);
      });
    },
    // the path in the (x, y) plane, over the contour lines of f
    valley: function (svg, problem, found, id) {
      var s = size(svg), xRange = problem.box[0], yRange = problem.box[1];
      var box = {left: 36, right: s.width - 10, top: 10, bottom: s.height - 34};
      svg.setAttribute("viewBox", "0 0 " + s.width + " " + s.height);
      var f = frame(svg, box, xRange, yRange, ticks(xRange[0], xRange[1], s.width < 420 ? 4 : 8), ticks(yRange[0], yRange[1], 4), id);
      text(svg, (box.left + box.right) / 2, s.height - 2, "x");
      text(svg, 10, (box.top + box.bottom) / 2, "y");
      // f = r²/2 is the ellipse with half-axes r along x and r/√κ along y
      [0.5, 1, 1.5, 2, 3, 4, 5, 6].forEach(function (r) {
        node(f.plot, "ellipse", {"class": "lr-live__contour", cx: f.x(0), cy: f.y(0),
                                 rx: Math.abs(f.x(r) - f.x(0)), ry: Math.abs(f.y(r / Math.sqrt(problem.kappa)) - f.y(0))});
      });
      node(f.plot, "circle", {"class": "lr-live__best-point", cx: f.x(0), cy: f.y(0), r: 4});
      METHODS.forEach(function (method) {
        polyline(f.plot, found[method].map(function (w) { return [f.x(w[0]), f.y(w[1])]; }), method);
      });
    }
  };

  // ---- one widget ----------------------------------------------------------------------------

  function setUp(widget, number) {
    var kind = widget.getAttribute("data-lr-live");
    var problem = JSON.parse(widget.getAttribute("data-problem"));
    var regimes = widget.hasAttribute("data-regimes") ? JSON.parse(widget.getAttribute("data-regimes")) : null;
    var eta = widget.querySelector("input[name=eta]"), mu = widget.querySelector("input[name=mu]");
    var svg = widget.querySelector("svg"), id = "lr-live-clip-" + number;

    function update() {
      var state = {eta: parseFloat(eta.value), mu: parseFloat(mu.value)};
      state.paths = paths(kind, problem, state.eta, state.mu);
      widget.lrLive = state;  // read by tests/browser/test_lr_live.py
      widget.querySelector("output[for=" + eta.id + "]").textContent = eta.value;
      widget.querySelector("output[for=" + mu.id + "]").textContent = mu.value;
      while (svg.firstChild) svg.removeChild(svg.firstChild);
      DRAW[kind](svg, problem, state.paths, id);
      METHODS.forEach(function (method) {
        var end = state.paths[method][problem.steps];
        var cells = widget.querySelectorAll("[data-method=" + method + "] td");
        cells[0].textContent = end.map(shown).join(", ");
        cells[1].textContent = shown(loss(kind, problem, end));
      });
      var verdict = widget.querySelector("[data-verdict]");
      if (verdict && regimes) {
        var factor = 1 - 2 * problem.coefficients[0] * state.eta;
        verdict.textContent = "Hạ gradient thường: hệ số co 1 − " + label(2 * problem.coefficients[0]) + "η = " +
          signed(factor) + ": " + regimes[regime(factor)] + ".";
      }
    }

    eta.addEventListener("input", update);
    mu.addEventListener("input", update);
    if (typeof ResizeObserver !== "undefined") {
      var width = 0;
      new ResizeObserver(function () {
        var now = svg.parentNode.clientWidth;
        if (Math.abs(now - width) > 1) { width = now; update(); }
      }).observe(svg.parentNode);
    }
    widget.hidden = false;
    var fallback = widget.getAttribute("data-fallback");
    if (fallback && document.getElementById(fallback)) document.getElementById(fallback).hidden = true;
    update();
  }

  // A widget is set up when it comes near the screen, not with the page (issue 18: drawing it is a
  // long task on a slow phone): what is watched is its fallback, the figure shown until then, or
  // where the widget is. Set up well before it is in view, the swap moves nothing the reader sees.
  // The watching starts once reader.js has set the page up (data-reader-ready on the root element):
  // by then a link to a section has brought the reader where they read. Blocks far from the screen
  // keep guessed heights until the reader nears them (reader.css); the observer follows the
  // distances as they become real.
  function whenReaderReady(run) {
    var root = document.documentElement;
    if (root.hasAttribute("data-reader-ready") || typeof MutationObserver === "undefined" || typeof document$ === "undefined") {
      return run();
    }
    var done = false;
    function once() {
      if (done) return;
      done = true;
      watcher.disconnect();
      run();
    }
    var watcher = new MutationObserver(function () { if (root.hasAttribute("data-reader-ready")) once(); });
    watcher.observe(root, { attributes: true, attributeFilter: ["data-reader-ready"] });
    setTimeout(once, 10000);  // should reader.js never say so
  }

  function setUpAll() {
    var widgets = document.querySelectorAll("[data-lr-live]");
    Array.prototype.forEach.call(widgets, function (widget, number) {
      if (widget.lrLive || widget.lrLiveWatched) return;
      var fallback = widget.getAttribute("data-fallback");
      var watched = (fallback && document.getElementById(fallback)) || widget.parentElement;
      if (typeof IntersectionObserver === "undefined" || !watched) return setUp(widget, number);
      widget.lrLiveWatched = true;
      var observer = new IntersectionObserver(function (entries) {
        if (!entries.some(function (entry) { return entry.isIntersecting; })) return;
        observer.disconnect();
        setUp(widget, number);
      }, { rootMargin: "100% 0px" });
      observer.observe(watched);
    });
  }

  window.lrLive = {paths: paths, regime: regime};
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { whenReaderReady(setUpAll); });
  else whenReaderReady(setUpAll);
})();
