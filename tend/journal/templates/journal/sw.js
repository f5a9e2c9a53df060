// Tend's service worker (rendered by tend/journal/offline.py). It keeps exactly one page
// usable without a network: the capture page, which holds nothing personal. Timelines and
// moments are never stored here, and the API and every POST go straight to the network.
"use strict";

const CONFIG = {{ config|safe }};
const PAGES = "tend-pages-" + CONFIG.version;
const STATIC = "tend-static-" + CONFIG.version;

function pageKey(url, practice) {
  // The practices' library and players are generic too; each is kept under its own path.
  if (practice) return url.pathname;
  // The two capture pages, keyed without any other query, so "?kind=glimmer&x=1" finds one.
  if (url.pathname !== CONFIG.capture) return null;
  return url.searchParams.get("kind") === "glimmer" ? CONFIG.capture + "?kind=glimmer" : CONFIG.capture;
}

function isSignedInPage(response) {
  // A signed-out person is redirected to the sign-in page; that must never stand in for the
  // capture page, and it means whatever was kept belongs to a session that has ended.
  return response.ok && !response.redirected && response.type === "basic";
}

async function keepPage(key, response) {
  const cache = await caches.open(PAGES);
  await cache.put(key, response);
}

async function forgetPages() {
  await caches.delete(PAGES);
}

async function precache() {
  const statics = await caches.open(STATIC);
  // One by one, so that a single missing file does not stop the worker from installing.
  await Promise.all(CONFIG.static.map((url) => statics.add(url).catch(() => undefined)));
  await Promise.all(
    CONFIG.pages.map(async (url) => {
      try {
        const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
        if (isSignedInPage(response)) await keepPage(url, response);
      } catch (error) {
        // Offline while installing: the page is kept the next time it is opened online.
      }
    })
  );
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith("tend-") && name !== PAGES && name !== STATIC)
          .map((name) => caches.delete(name))
      );
      await self.clients.claim();
    })()
  );
});

// worker.js tells the worker which static files the page really used (the first visit is
// not yet controlled by the worker, so those requests never passed through here).
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep-static" || !Array.isArray(data.urls)) return;
  const urls = data.urls.filter((href) => {
    try {
      const url = new URL(href, self.location.origin);
      return url.origin === self.location.origin && url.pathname.startsWith(CONFIG.staticPrefix);
    } catch (error) {
      return false;
    }
  });
  event.waitUntil(
    caches.open(STATIC).then((cache) =>
      Promise.all(
        urls.map(async (url) => ((await cache.match(url)) ? undefined : cache.add(url).catch(() => undefined)))
      )
    )
  );
});

async function capturePage(request, key, keep = true) {
  try {
    const response = await fetch(request);
    if (keep && isSignedInPage(response)) {
      await keepPage(key, response.clone());
    } else if (response.type === "opaqueredirect" || response.redirected) {
      await forgetPages();
    }
    return response;
  } catch (error) {
    const cached = await caches.match(key, { cacheName: PAGES });
    return cached || Response.error();
  }
}

async function otherPage(request) {
  try {
    return await fetch(request);
  } catch (error) {
    // Offline: rather than the browser's error page, offer the one page that works offline.
    const cached = await caches.match(CONFIG.capture, { cacheName: PAGES });
    return cached || Response.error();
  }
}

async function staticFile(request) {
  const cached = await caches.match(request, { cacheName: STATIC });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    const cache = await caches.open(STATIC);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    // Signing out ends the session the kept page was made for.
    if (request.method === "POST" && url.pathname === CONFIG.logout) event.waitUntil(forgetPages());
    return;
  }
  if (url.pathname.startsWith("/api/")) return;
  if (url.pathname.startsWith(CONFIG.staticPrefix)) {
    event.respondWith(staticFile(request));
    return;
  }
  if (request.mode !== "navigate") return;
  const practice = (CONFIG.practicePages || []).includes(url.pathname);
  const key = pageKey(url, practice);
  // A practice page with a query (the "I'm activated" flow carries an intensity) is never
  // stored; offline, the generic page stands in for it.
  const keep = !practice || url.search === "";
  event.respondWith(key ? capturePage(request, key, keep) : otherPage(request));
});
