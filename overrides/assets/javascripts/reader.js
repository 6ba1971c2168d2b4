// A display formula (or a table) wider than the page scrolls inside its own box. Such a box must be reachable by
// keyboard (Tab, then the arrow keys scroll it), as Material does for code blocks; formulas that fit
// stay out of the tab order. Runs on every page, also after Material's instant navigation.
(function () {
  "use strict";

  // notebook pages (mkdocs-jupyter) scroll their code cells the same way, and a wide table scrolls
  // in the box Material wraps it in
  var BOXES = ".math-display, .highlight-ipynb, .md-typeset__scrollwrap, .md-typeset table:not([class])";
  // Material makes a wide code block focusable itself (with a pointer that hovers, as here), but
  // only once the block comes into view (feature content.lazy, mkdocs.yml): until then, here
  var CODE = ".md-typeset pre:not(.mermaid) > code";
  var HOVER = window.matchMedia && window.matchMedia("(hover)").matches;
  // the blocks reader.css leaves to the browser to lay out when they come near the screen
  // (content-visibility); each gets .is-shown once it has been laid out. Not the first eleven nor
  // the last nine children of the text (see reader.css).
  var SKIPPABLE = ":nth-child(n+12):nth-last-child(n+10)";
  var BLOCKS = ["p" + SKIPPABLE, ".highlight" + SKIPPABLE + " > pre", ".math-display" + SKIPPABLE,
    ".admonition" + SKIPPABLE, "details" + SKIPPABLE].map(function (block) { return ".md-typeset > " + block; }).join(", ");
  var SHOWN = "is-shown";

  function waiting(box) {
    // a box inside (or being) a block not laid out yet: measuring it would lay its block out now
    var block = box.closest(BLOCKS);
    return !!block && !block.classList.contains(SHOWN);
  }

  function markScrollableFormulas(boxes) {
    boxes = Array.prototype.filter.call(boxes || document.querySelectorAll(BOXES + ", " + CODE), function (box) {
      return !waiting(box);
    });
    // all the measuring first, then all the changes: one layout, not one per box
    var wide = boxes.map(function (box) { return box.scrollWidth > box.clientWidth + 1; });
    boxes.forEach(function (box, i) {
      if (box.matches(CODE)) {
        if (wide[i] && HOVER) box.setAttribute("tabindex", "0");
        else box.removeAttribute("tabindex");
        return;
      }
      var table = box.tagName === "TABLE";  // Material lets a table scroll itself: it keeps its role
      if (wide[i]) {
        var kind = box.classList.contains("math-display") ? "Công thức" : box.classList.contains("highlight-ipynb") ? "Mã" : "Bảng";
        box.tabIndex = 0;
        if (!table) box.setAttribute("role", "region");
        box.setAttribute("aria-label", kind + " (cuộn ngang để xem hết)");
      } else {
        box.removeAttribute("tabindex");
        if (!table) box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  // A long page is laid out a block at a time (issue 18): reader.css lets the browser skip the
  // blocks below the first screen, so the page shows and answers sooner; here, while the browser is
  // idle, each block in turn is laid out for good (.is-shown), in slices of a few milliseconds, so
  // that within a second or so the page has its real height (the scrollbar, Material's table of
  // contents and links to a section need it) and no slice holds up a tap. When all are done the
  // root element gets data-laid-out (the browser tests wait for it).
  var queue = [], slicing = false, generation = 0;
  var idle = window.requestIdleCallback || function (run) {
    return setTimeout(function () { run({ timeRemaining: function () { return 8; } }); }, 20);
  };
  var SLICE_MS = 6;

  function showSlice(deadline) {
    slicing = false;
    var started = performance.now(), boxes = [];
    while (queue.length && performance.now() - started < SLICE_MS && deadline.timeRemaining() > 0) {
      var block = queue.shift();
      if (!block.isConnected) continue;
      block.classList.add(SHOWN);
      block.getBoundingClientRect();  // laid out now, within this slice, not all in the next frame
      if (block.matches(BOXES)) boxes.push(block);
      Array.prototype.push.apply(boxes, block.querySelectorAll(BOXES + ", " + CODE));
    }
    if (boxes.length) markScrollableFormulas(boxes);
    if (queue.length) {
      slice();
    } else {
      landOnTarget();
      document.documentElement.setAttribute("data-laid-out", String(generation));
    }
  }

  // A link to a section scrolled to it while the blocks above had guessed heights: now that they
  // have their own, the section is brought back to the top, unless the reader has moved since.
  var moved = false;
  ["wheel", "touchmove", "keydown", "mousedown"].forEach(function (type) {
    window.addEventListener(type, function () { moved = true; }, { capture: true, passive: true });
  });
  // Material keeps a :target heading clear of the sticky header with a scroll margin; a heading the
  // browser no longer counts as :target (seen after a same-page hash change under instant
  // navigation) has none and would land under the header, so it is moved down as Material places it.
  function landOnTarget() {
    var id = location.hash.slice(1);
    var target = id && !moved && document.getElementById(decodeURIComponent(id));
    if (!target) return;
    var header = document.querySelector(".md-header");
    var clear = (header ? header.getBoundingClientRect().bottom : 0) +
      parseFloat(getComputedStyle(document.documentElement).fontSize);
    var margin = Math.max(parseFloat(getComputedStyle(target).scrollMarginTop) || 0, clear);
    // one instant jump: a smooth scroll would still be under way when the position is read
    window.scrollTo({ top: window.scrollY + target.getBoundingClientRect().top - margin, behavior: "instant" });
  }

  function slice() {
    if (slicing) return;
    slicing = true;
    idle(showSlice, { timeout: 2000 });
  }

  function showAllBlocks() {
    generation += 1;
    moved = false;
    document.documentElement.removeAttribute("data-laid-out");
    queue = Array.prototype.filter.call(document.querySelectorAll(BLOCKS), function (block) {
      return !block.classList.contains(SHOWN);
    });
    slice();
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D");
  }

  // A search result opens its page with the query in ?h=, and Material marks the words as typed.
  // A query typed without diacritics ("truyen") finds "truyền" (see scripts/lunr_vi_fold.js) but
  // Material would mark nothing: mark the words with diacritics whose folded form matches.
  function highlightFoldedTerms() {
    var query = new URL(location.href).searchParams.get("h");
    var content = document.querySelector("article.md-content__inner");
    if (!query || !content) return;
    var terms = query.normalize("NFC").toLowerCase().split(/\s+/).filter(function (term) {
      return term && fold(term) === term;  // terms typed with diacritics are Material's to mark
    });
    if (!terms.length) return;
    var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest("mark, script, style, .katex, pre")
          ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
    nodes.forEach(function (node) {
      var text = node.textContent, parts = [], last = 0, word = /[\p{L}\p{M}\p{N}]+/gu, match;
      while ((match = word.exec(text))) {
        var folded = fold(match[0]).toLowerCase();
        if (folded === match[0].toLowerCase()) continue;
        if (!terms.some(function (term) { return folded.indexOf(term) === 0; })) continue;
        var mark = document.createElement("mark");
        mark.setAttribute("data-md-highlight", "");
        mark.textContent = match[0];
        parts.push(document.createTextNode(text.slice(last, match.index)), mark);
        last = match.index + match[0].length;
      }
      if (!parts.length) return;
      parts.push(document.createTextNode(text.slice(last)));
      node.replaceWith.apply(node, parts);
    });
  }

  // The backward-pass stepper's script (stepper.js, beside this file) is fetched only by a page that
  // has a stepper box, once: it then follows instant navigation by itself.
  var here = document.currentScript && document.currentScript.src;
  var stepperRequested = false;
  function loadStepper() {
    if (stepperRequested || !here || !document.querySelector("[data-stepper]")) return;
    stepperRequested = true;
    var script = document.createElement("script");
    script.src = here.replace(/reader\.js(?=[?#]|$)/, "stepper.js");
    document.body.appendChild(script);
  }

  function onPage() {
    showAllBlocks();
    markScrollableFormulas();
    highlightFoldedTerms();
    loadStepper();
  }

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { markScrollableFormulas(); }, 150);
  });
  if (document.fonts) document.fonts.ready.then(function () { markScrollableFormulas(); });  // KaTeX fonts change widths
  if (typeof document$ !== "undefined") {
    document$.subscribe(onPage);
  } else {
    document.addEventListener("DOMContentLoaded", onPage);
  }
})();
