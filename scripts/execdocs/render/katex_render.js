// Renders formulas for the build: one JSON request per line on stdin, one answer per line.
// Request: {"tex": "...", "display": true|false}. Answer: {"html": "..."} or {"error": "..."}.
// One process serves a whole build, so node and KaTeX start once, not once per formula.
"use strict";
const readline = require("readline");
const katex = require("katex");

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  let answer;
  try {
    const request = JSON.parse(line);
    const html = katex.renderToString(request.tex, {
      displayMode: Boolean(request.display),
      throwOnError: true,
      strict: "ignore",
      output: "htmlAndMathml",
    });
    answer = { html };
  } catch (error) {
    answer = { error: String(error.message || error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
lines.on("close", () => process.exit(0));
process.stdout.write(JSON.stringify({ ready: katex.version }) + "\n");
