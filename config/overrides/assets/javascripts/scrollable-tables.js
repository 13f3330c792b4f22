// A table wider than the column scrolls inside the wrapper Material adds at run time; a keyboard
// user must be able to reach it (WCAG 2.1.1, axe's scrollable-region-focusable): make the wrapper
// focusable and name it, on every page Material's instant loading shows.
document$.subscribe(() => {
  for (const wrap of document.querySelectorAll(".md-typeset__scrollwrap")) {
    if (wrap.scrollWidth > wrap.clientWidth && !wrap.hasAttribute("tabindex")) {
      wrap.tabIndex = 0
      wrap.setAttribute("role", "region")
      wrap.setAttribute("aria-label", document.documentElement.lang === "tr" ? "Tablo" : "Table")
    }
  }
})
