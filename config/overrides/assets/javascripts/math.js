// Renders the formulas that pymdownx.arithmatex (generic: true) leaves in the page as \( … \) (inline)
// and \[ … \] (display), with the KaTeX copy in assets/katex/: nothing is loaded from another host.
function renderMath() {
  document.querySelectorAll(".arithmatex").forEach(function (element) {
    var tex = element.textContent.trim();
    if (!/^\\[([]/.test(tex)) return;  // already rendered
    katex.render(tex.slice(2, -2), element, {
      displayMode: tex.charAt(1) === "[",
      throwOnError: false  // a broken formula shows as .katex-error (the browser test fails on it)
    });
  });
}
// Material's document$ also fires after an instant-navigation page change.
if (typeof document$ !== "undefined") document$.subscribe(renderMath);
else document.addEventListener("DOMContentLoaded", renderMath);
