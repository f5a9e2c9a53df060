// Themes on the moment form: a suggested theme can be chosen with one tap, and the suggestion
// follows the cue as it is typed (posted to data-suggest-url 700 ms after the last change, so
// the words stay out of URLs). Without this script the suggestion for the saved cue is still
// shown and the picker works as a plain select.
(function () {
  "use strict";

  var WAIT_MS = 700;

  function reveal(root) {
    var buttons = root.querySelectorAll(".theme-suggestion-use");
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
  }

  function followCue(box) {
    var cue = document.getElementById("id_cue");
    var url = box.getAttribute("data-suggest-url");
    if (!cue || !url || !window.fetch) return;
    var timer = null;
    var asked = cue.value;
    cue.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (cue.value === asked) return;
        asked = cue.value;
        var body = new FormData();
        body.append("cue", cue.value);
        body.append("moment", box.getAttribute("data-moment") || "");
        fetch(url, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": document.body.getAttribute("data-csrf-token") || "" }
        }).then(function (response) {
          if (!response.ok) return;
          return response.text().then(function (html) {
            // Only if no later change has asked again meanwhile.
            if (asked !== cue.value) return;
            box.innerHTML = html;
            reveal(box);
          });
        }).catch(function () { /* offline: the last suggestion stays */ });
      }, WAIT_MS);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    reveal(document);
    var box = document.getElementById("theme-suggestions");
    if (box) followCue(box);
  });

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
