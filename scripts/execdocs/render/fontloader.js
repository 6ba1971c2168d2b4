// The site's web fonts, put in use at once (execdocs.render.fonts, LOADER): the files loaded first
// are fetched (the page preloads two of them), and only when all of them are here is any face
// added, so the text goes from the metric-matched fallback to Roboto in one step. A file that fails
// leaves the fallback in place. Material's instant navigation keeps the document: this runs once.
(function () {
  "use strict";
  var faces = /*FACES*/;  // [family, file, descriptors, loaded first]
  var script = document.currentScript;
  if (!script) return;
  var folder = script.src.replace(/[^/]*$/, "");
  function source(file) { return "url(" + folder + file + ") format('woff2')"; }
  if (location.protocol === "file:" || !window.FontFace || !document.fonts) {
    // a page opened from the disk (the offline copy) may not fetch a font from script, as a CORS
    // request; a stylesheet may, each file swapped in as it comes
    var css = faces.map(function (f) {
      var d = f[2];
      return "@font-face{font-family:'" + f[0] + "';src:" + source(f[1]) + ";font-weight:" + d.weight +
        ";font-style:" + d.style + ";unicode-range:" + d.unicodeRange + ";font-display:" + d.display + "}";
    }).join("\n");
    var style = document.createElement("style");
    style.textContent = css;
    document.head.appendChild(style);
    return;
  }
  var made = faces.map(function (f) {
    return { face: new FontFace(f[0], source(f[1]), f[2]), first: f[3] };
  });
  Promise.all(made.filter(function (m) { return m.first; }).map(function (m) { return m.face.load(); }))
    .then(function () { made.forEach(function (m) { document.fonts.add(m.face); }); }, function () {});
})();
