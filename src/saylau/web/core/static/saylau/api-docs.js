// Swagger UI (django-ninja's /api/docs) draws its copy-to-clipboard buttons as empty <button>s:
// give each one a name (WCAG 4.1.2), also when Swagger draws new ones later.
"use strict";
(function () {
  function name(root) {
    root.querySelectorAll(".copy-to-clipboard button:not([aria-label])").forEach(function (button) {
      button.setAttribute("aria-label", "Copy to clipboard");
    });
  }
  new MutationObserver(function () { name(document); })
    .observe(document.body, { childList: true, subtree: true });
  name(document);
})();
