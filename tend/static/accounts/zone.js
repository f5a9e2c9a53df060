// Fills the sign-up form's hidden time zone with the browser's own (an IANA name such as
// "Europe/Berlin"). The server keeps it only if it knows the zone; without JavaScript it is UTC.
(function () {
  "use strict";
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    zone = "";
  }
  document.querySelectorAll("input[data-browser-zone]").forEach(function (input) {
    input.value = zone;
  });
})();
