// The backward-pass stepper (a [data-stepper] box on the chain-rule and backprop pages): "Trước" and
// "Sau", or the left and right arrow keys while the box has focus, walk the steps a snippet recorded
// from autograd (forward values, then the gradients torch sent back), highlighting the node of each
// step in the graph and saying the step in an aria-live region. The steps come from the page's
// <script type="application/json" id="..."> named by data-stepper; without JavaScript the page's
// table shows the same steps. Loaded by reader.js only on pages that have such a box.
(function () {
  "use strict";

  function setUp(box) {
    if (box.getAttribute("data-ready")) return;
    // Material's instant navigation puts a fresh copy of each script of the new page in its place, without
    // its attributes (the id and the JSON type are gone, and the array is run as a harmless expression):
    // then the data is the script right after the box.
    var source = document.getElementById(box.getAttribute("data-stepper"));
    var after = box.nextElementSibling;
    if (!source && after && after.tagName === "SCRIPT") source = after;
    if (!source) return;
    var steps = JSON.parse(source.textContent), at = 0;
    var panel = box.querySelector(".stepper__panel");
    var count = box.querySelector(".stepper__count"), text = box.querySelector(".stepper__text");
    var prev = box.querySelector('[data-step="-1"]'), next = box.querySelector('[data-step="1"]');

    function show() {
      var step = steps[at];
      box.querySelectorAll(".is-active, .is-used").forEach(function (el) {
        el.classList.remove("is-active", "is-used");
      });
      var node = box.querySelector('[data-node="' + step.node + '"]');
      if (node) node.classList.add("is-active");
      step.edges.forEach(function (edge) {
        var line = box.querySelector('[data-edge="' + edge + '"]');
        if (line) line.classList.add("is-used");
      });
      box.classList.toggle("is-backward", step.phase === "backward");
      count.textContent = "Bước " + (at + 1) + "/" + steps.length + ", " +
        (step.phase === "forward" ? "lượt xuôi" : "lượt ngược") + ":";
      text.textContent = step.text;
      prev.setAttribute("aria-disabled", at === 0 ? "true" : "false");
      next.setAttribute("aria-disabled", at === steps.length - 1 ? "true" : "false");
    }

    function go(delta) {
      var to = at + delta;
      if (to < 0 || to >= steps.length) return;
      at = to;
      show();
    }

    prev.addEventListener("click", function () { go(-1); });
    next.addEventListener("click", function () { go(1); });
    box.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        event.preventDefault();
        go(event.key === "ArrowRight" ? 1 : -1);
      }
    });
    box.tabIndex = 0;
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", box.getAttribute("data-label"));
    panel.hidden = false;
    box.setAttribute("data-ready", "true");
    show();
  }

  function onPage() {
    document.querySelectorAll("[data-stepper]").forEach(setUp);
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(onPage);  // replays the current page, then each page instant navigation opens
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
})();
