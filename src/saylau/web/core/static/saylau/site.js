// Saylau's one script on its own pages, an enhancement only (every page works without it):
// a table that scrolls sideways in its own box (site.css: narrow screens, large text) joins
// the Tab order, so that the keyboard can scroll it (WCAG 2.1.1, in browsers that do not make
// scroll boxes focusable themselves); it leaves the Tab order again when it fits.
"use strict";
(function () {
  function update() {
    document.querySelectorAll("table").forEach(function (table) {
      var scrolls = table.scrollWidth > table.clientWidth + 1;
      if (scrolls && !table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");
        table.setAttribute("data-scroll-focus", "");
      } else if (!scrolls && table.hasAttribute("data-scroll-focus")) {
        table.removeAttribute("tabindex");
        table.removeAttribute("data-scroll-focus");
      }
    });
  }
  update();
  window.addEventListener("resize", update);
})();
