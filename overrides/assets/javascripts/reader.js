// A display formula wider than the page scrolls inside its own box. Such a box must be reachable by
// keyboard (Tab, then the arrow keys scroll it), as Material does for code blocks; formulas that fit
// stay out of the tab order. Runs on every page, also after Material's instant navigation.
(function () {
  "use strict";

  function markScrollableFormulas() {
    document.querySelectorAll(".math-display").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "Công thức (cuộn ngang để xem hết)");
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(markScrollableFormulas, 150);
  });
  if (document.fonts) document.fonts.ready.then(markScrollableFormulas);  // KaTeX fonts change widths
  if (typeof document$ !== "undefined") {
    document$.subscribe(markScrollableFormulas);
  } else {
    document.addEventListener("DOMContentLoaded", markScrollableFormulas);
  }
})();
