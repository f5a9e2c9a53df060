// The invitation page: a "Copy link" button, shown only where the clipboard can be used.
(function () {
  "use strict";
  var button = document.querySelector("[data-copy-link]");
  var input = document.querySelector("[data-invite-link]");
  var status = document.querySelector("[data-copy-status]");
  if (!button || !input || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(input.value).then(function () {
      button.textContent = button.dataset.copied || button.textContent;
      if (status) status.textContent = status.dataset.copiedText || "";
    });
  });
  input.addEventListener("focus", function () { input.select(); });
})();
