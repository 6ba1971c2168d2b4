// A display formula (or a table) wider than the page scrolls inside its own box. Such a box must be reachable by
// keyboard (Tab, then the arrow keys scroll it), as Material does for code blocks; formulas that fit
// stay out of the tab order. Runs on every page, also after Material's instant navigation.
(function () {
  "use strict";

  // notebook pages (mkdocs-jupyter) scroll their code cells the same way, and a wide table scrolls
  // in the box Material wraps it in
  var BOXES = ".math-display, .highlight-ipynb, .md-typeset__scrollwrap, .md-typeset table:not([class])";
  // Material makes a wide code block focusable itself, but only with a pointer that hovers and only
  // once the block comes into view (feature content.lazy, mkdocs.yml). A touch screen has no hover,
  // yet its reader may have a keyboard or switch access: here, every wide code block, everywhere.
  var CODE = ".md-typeset pre:not(.mermaid) > code";
  // the blocks reader.css leaves to the browser to lay out only when they come near the screen
  // (content-visibility: auto): not the first eleven nor the last nine children of the text (see
  // reader.css). A box inside such a block is measured once the browser lays the block out.
  var SKIPPABLE = ":nth-child(n+12):nth-last-child(n+10)";
  var BLOCKS = ["p" + SKIPPABLE, ".highlight" + SKIPPABLE + " > pre", ".math-display" + SKIPPABLE,
    ".admonition" + SKIPPABLE, "details" + SKIPPABLE].map(function (block) { return ".md-typeset > " + block; }).join(", ");
  var SKIPPING = typeof ContentVisibilityAutoStateChangeEvent !== "undefined";

  function skipped(box) {
    // a box whose content the browser skips now: measuring it would lay its block out, at once
    if (!SKIPPING) return false;
    var probe = box.matches(BLOCKS) ? box.firstElementChild : box;
    return !!probe && !probe.checkVisibility({ contentVisibilityAuto: true });
  }

  function markScrollableFormulas(boxes) {
    boxes = Array.prototype.filter.call(boxes || document.querySelectorAll(BOXES + ", " + CODE), function (box) {
      return !skipped(box);
    });
    // all the measuring first, then all the changes: one layout, not one per box
    var wide = boxes.map(function (box) { return box.scrollWidth > box.clientWidth + 1; });
    boxes.forEach(function (box, i) {
      if (box.matches(CODE)) {
        if (wide[i]) box.setAttribute("tabindex", "0");
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

  // A code block does not wrap its lines, so its height follows from their number: reader.css makes
  // the guessed height of a skipped code block its own (--lines). The scrollbar is then right, and a
  // tool that lays out the code of a skipped block on its own (axe, in Lighthouse) does not find it
  // spilling over the block below, as it would from a shorter guess.
  function countCodeLines() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset > .highlight > pre"), function (pre) {
      var code = pre.querySelector("code");
      if (code) pre.style.setProperty("--lines", String(code.textContent.replace(/\n$/, "").split("\n").length));
    });
  }

  // When the browser lays out a skipped block (it has come near the screen), its boxes are measured.
  // The event does not bubble: it is caught on its way down.
  document.addEventListener("contentvisibilityautostatechange", function (event) {
    if (event.skipped) return;
    var block = event.target, boxes = block.matches(BOXES) ? [block] : [];
    Array.prototype.push.apply(boxes, block.querySelectorAll(BOXES + ", " + CODE));
    if (boxes.length) markScrollableFormulas(boxes);
  }, true);

  // On a touch screen Material takes the attribute away again as it sets up a code block (when the
  // block comes into view, and on each resize): a wide block gets it back.
  if (window.matchMedia && !window.matchMedia("(hover)").matches && window.MutationObserver) {
    new MutationObserver(function (records) {
      var lost = records.map(function (record) { return record.target; }).filter(function (el) {
        return el.matches(CODE) && !el.hasAttribute("tabindex");
      });
      if (lost.length) markScrollableFormulas(lost);
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["tabindex"] });
  }

  // A link to a section: the browser keeps the section in place while the blocks around it are laid
  // out (scroll anchoring); here it is only kept clear of the sticky header, unless the reader has
  // moved since.
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

  // The root element gets data-reader-ready once all this is done for the page (the browser tests
  // wait for it).
  var generation = 0;
  function onPage() {
    generation += 1;
    moved = false;
    countCodeLines();
    markScrollableFormulas();
    highlightFoldedTerms();
    loadStepper();
    landOnTarget();
    document.documentElement.setAttribute("data-reader-ready", String(generation));
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
