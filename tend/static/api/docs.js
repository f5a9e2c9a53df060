// Mends what Swagger UI draws without a name or a way in by keyboard, as it draws it: the
// request-body box gets a label, and code samples that scroll sideways can take focus, so they
// can be scrolled without a mouse. Served from our static files; no inline script (strict CSP).
(function () {
  "use strict";
  const root = document.getElementById("swagger-ui");
  if (!root) return;

  function mend() {
    root.querySelectorAll("textarea:not([aria-label]):not([id])").forEach((box) => {
      const block = box.closest(".opblock");
      const path = block && block.querySelector(".opblock-summary-path");
      box.setAttribute("aria-label", "Request body" + (path ? " for " + path.textContent.trim() : ""));
    });
    root.querySelectorAll(".highlight-code pre:not([tabindex]), pre.microlight:not([tabindex])").forEach((pre) => {
      pre.setAttribute("tabindex", "0");
    });
  }

  new MutationObserver(mend).observe(root, { childList: true, subtree: true });
  mend();
})();
