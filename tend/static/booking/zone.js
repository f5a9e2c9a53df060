// Show times in the visitor's own zone: when the address names none, add the browser's zone
// (the page already works without this, in the practitioner's zone, with a select to change).
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) { return; }
  var url = new URL(window.location.href);
  var form = document.querySelector("[data-zone-form]");
  if (form && !url.searchParams.has("zone")) {
    var select = form.querySelector("select");
    if (select && select.querySelector('option[value="' + zone + '"]') && select.value !== zone) {
      url.searchParams.set("zone", zone);
      window.location.replace(url.toString());
    }
  }
  document.querySelectorAll("a[data-zone-link]").forEach(function (link) {
    if (new URL(window.location.href).searchParams.has("zone")) { return; }
    var target = new URL(link.href);
    target.searchParams.set("zone", zone);
    link.href = target.toString();
  });
})();
