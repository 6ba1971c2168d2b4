// A display formula (or a table) wider than the page scrolls inside its own box. Such a box must be reachable by
// keyboard (Tab, then the arrow keys scroll it), as Material does for code blocks; formulas that fit
// stay out of the tab order. Runs on every page, also after Material's instant navigation.
(function () {
  "use strict";

  function markScrollableFormulas() {
    // notebook pages (mkdocs-jupyter) scroll their code cells the same way, and a wide table scrolls
    // in the box Material wraps it in
    var boxes = ".math-display, .highlight-ipynb, .md-typeset__scrollwrap, .md-typeset table:not([class])";
    document.querySelectorAll(boxes).forEach(function (box) {
      var table = box.tagName === "TABLE";  // Material lets a table scroll itself: it keeps its role
      if (box.scrollWidth > box.clientWidth + 1) {
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
    markScrollableFormulas();
    highlightFoldedTerms();
    loadStepper();
  }

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(markScrollableFormulas, 150);
  });
  if (document.fonts) document.fonts.ready.then(markScrollableFormulas);  // KaTeX fonts change widths
  if (typeof document$ !== "undefined") {
    document$.subscribe(onPage);
  } else {
    document.addEventListener("DOMContentLoaded", onPage);
  }
})();
