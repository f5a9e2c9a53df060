// Registers Tend's service worker (/sw.js), which keeps the capture page and the practices for
// offline use. Loaded by the journal's pages and the practices' pages, so that someone who
// opens either first gets it.
"use strict";

(function () {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
    /* Without a worker the page still works online; there is nothing to tell the person. */
  });
  // Ask the worker to keep the files this page used: on the first visit they were fetched
  // before the worker existed, and with hashed names only the page knows them.
  navigator.serviceWorker.ready.then(function (registration) {
    var urls = [];
    document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=icon]").forEach(function (el) {
      urls.push(el.src || el.href);
    });
    if (registration.active) registration.active.postMessage({ type: "keep-static", urls: urls });
  });
})();
