// Themes on the moment form: a suggested theme can be chosen with one tap.
// Without this script the suggestion is still shown and the picker works as a plain select.
(function () {
  "use strict";

  function reveal(root) {
    var buttons = root.querySelectorAll(".theme-suggestion-use");
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  document.addEventListener("htmx:afterSwap", function (event) { reveal(event.target); });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".theme-suggestion-use");
    if (!button) return;
    var select = document.getElementById("id_theme");
    if (!select) return;
    select.value = button.getAttribute("data-theme-id");
    select.dispatchEvent(new Event("change", { bubbles: true }));
    var fresh = document.getElementById("id_new_theme");
    if (fresh) fresh.value = "";
    var chosen = button.getAttribute("data-chosen");
    if (chosen) button.textContent = chosen;
    button.disabled = true;
    select.focus();
  });
})();
