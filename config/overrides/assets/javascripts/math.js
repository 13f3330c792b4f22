// The formulas: pymdownx.arithmatex (generic: true) leaves them in the page as \( … \) (inline) and
// \[ … \] (display); KaTeX, vendored in assets/katex/, renders them here, so nothing comes from
// another host. On every page Material's instant loading shows (document$, as scrollable-tables.js).
document$.subscribe(() => {
  for (const element of document.querySelectorAll(".arithmatex")) {
    const tex = element.textContent.trim()
    if (!/^\\[([]/.test(tex)) continue  // rendered already
    katex.render(tex.slice(2, -2), element, {
      displayMode: tex.charAt(1) === "[",
      throwOnError: false,  // a broken formula shows as .katex-error: tests/test_browser.py fails on it
    })
    // A display formula wider than the column scrolls (Material: div.arithmatex {overflow: auto}); a
    // keyboard user must reach it (axe's scrollable-region-focusable), as a wide table.
    if (element.tagName === "DIV" && element.scrollWidth > element.clientWidth) {
      element.tabIndex = 0
      element.setAttribute("role", "region")
      element.setAttribute("aria-label", document.documentElement.lang === "tr" ? "Formül" : "Formula")
    }
  }
})
