// Tend's small amount of page script. No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  // Quick exit: leave at once for a neutral page and replace this history entry, so the back
  // button does not lead straight back into Tend.
  function quickExit(event) {
    var link = event.target.closest("[data-quick-exit]");
    if (!link) return;
    event.preventDefault();
    try { sessionStorage.clear(); } catch (e) { /* storage may be unavailable */ }
    // Drafts (journal/offline.js) are half-written words someone else might find on this device:
    // they go. Moments waiting to sync stay: the person already chose to save them, and they
    // leave the device once it is back online.
    try {
      Object.keys(localStorage).forEach(function (key) {
        if (key.indexOf("tend:draft:") === 0) localStorage.removeItem(key);
      });
    } catch (e) { /* storage may be unavailable */ }
    window.location.replace(link.href);
  }
  document.addEventListener("click", quickExit);

  // A form that asks for confirmation before a destructive action (data-confirm="message").
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // Copy buttons next to a secret shown once (data-copy-target="#id").
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var target = document.querySelector(button.getAttribute("data-copy-target"));
    if (!target || !navigator.clipboard) return;
    navigator.clipboard.writeText(target.textContent.trim()).then(function () {
      button.textContent = button.getAttribute("data-copied-label") || "Copied";
    });
  });
})();
