// Appended to Material's lunr.vi.min.js by scripts/sitesearch.py.
// Every word with diacritics is indexed twice, as written and folded ("truyền" and "truyen"),
// both at the same position, so that a query typed with or without diacritics finds the page and
// the highlight lands on the word as written. Material appends "*" to each query term, which makes
// lunr skip its query pipeline, so the folding has to happen on the index side.
(function (lunr) {
  "use strict";
  if (!lunr || typeof lunr.vi !== "function") {
    throw new Error("lunr.vi must be loaded before the Vietnamese folding");
  }

  function fold(text) {
    return text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D");
  }

  function foldVi(token) {
    var text = token.toString();
    var folded = fold(text);
    if (folded === text) return token;
    return [token, token.clone(function () { return folded; })];
  }

  lunr.Pipeline.registerFunction(foldVi, "fold-vi");
  // lunr.vi leaves its stop-word filter unregistered, and lunr warns about it in the console
  if (lunr.vi.stopWordFilter) lunr.Pipeline.registerFunction(lunr.vi.stopWordFilter, "stopWordFilter-vi");
  var setup = lunr.vi;
  lunr.vi = function () {
    setup.call(this);
    this.pipeline.add(foldVi);
  };
  Object.keys(setup).forEach(function (key) { lunr.vi[key] = setup[key]; });
  lunr.vi.fold = fold;

  // Some Vietnamese keyboards type decomposed letters (e + U+0302 + U+0300 for "ề"); the index
  // holds composed ones (pages are NFC), so queries are composed before they are matched.
  var search = lunr.Index.prototype.search;
  lunr.Index.prototype.search = function (queryString) {
    return search.call(this, String(queryString).normalize("NFC"));
  };
})(typeof self !== "undefined" ? self.lunr : this.lunr);
