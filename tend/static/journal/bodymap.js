// The body map's figure. The list of regions below it holds the real form inputs and works
// without this script; the figure only ticks those checkboxes, by tap, Enter or Space, and
// keeps itself and the "Chosen:" line in step with them.
(function () {
  "use strict";

  function setUp(root) {
    var figures = root.querySelector(".bodymap-figures");
    if (!figures) return;
    figures.hidden = false;

    function checkbox(code) {
      return root.querySelector('input[name="body-' + code + '-selected"]');
    }

    function refresh(code) {
      var box = checkbox(code);
      if (!box) return;
      root.querySelectorAll('[data-region="' + code + '"]').forEach(function (shape) {
        shape.setAttribute("aria-checked", box.checked ? "true" : "false");
        shape.classList.toggle("is-selected", box.checked);
      });
      var entry = root.querySelector('[data-region-entry="' + code + '"]');
      if (entry) entry.classList.toggle("is-selected", box.checked);
      announce();
    }

    function announce() {
      var line = root.querySelector(".bodymap-chosen");
      if (!line) return;
      var names = [];
      root.querySelectorAll(".bodymap-pick input:checked").forEach(function (box) {
        names.push(box.parentNode.querySelector(".chip-label").textContent.trim());
      });
      line.textContent = names.length
        ? line.dataset.prefix + " " + names.join(", ")
        : line.dataset.empty;
    }

    function toggle(code) {
      var box = checkbox(code);
      if (!box) return;
      box.checked = !box.checked;
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }

    root.querySelectorAll("[data-region]").forEach(function (shape) {
      shape.addEventListener("click", function () {
        toggle(shape.dataset.region);
      });
      shape.addEventListener("keydown", function (event) {
        if (event.key === " " || event.key === "Enter" || event.key === "Spacebar") {
          event.preventDefault(); // Space would scroll; Enter would submit the form
          toggle(shape.dataset.region);
        }
      });
    });

    root.querySelectorAll(".bodymap-pick input").forEach(function (box) {
      box.addEventListener("change", function () {
        refresh(box.name.slice("body-".length, -"-selected".length));
      });
    });

    root.querySelectorAll("[data-show-side]").forEach(function (button) {
      button.addEventListener("click", function () {
        figures.dataset.side = button.dataset.showSide;
        root.querySelectorAll("[data-show-side]").forEach(function (other) {
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-bodymap]").forEach(setUp);
  });
})();
