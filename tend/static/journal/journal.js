// The journal's small page script. The forms work without it; it only moves focus.
(function () {
  "use strict";
  // After a form comes back with something to fix, bring the summary into view and announce
  // it, so that nobody has to hunt for what went wrong.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("form-errors");
    if (summary) summary.focus();
  });
})();
