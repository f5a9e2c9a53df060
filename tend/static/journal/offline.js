// Offline capture and drafts. Nothing typed should be lost: not when the network is gone, not
// when the page closes. The pages work without this script; it only adds the safety net.
//
// - The service worker (/sw.js) keeps the capture page so that it opens without a network.
// - A moment saved while offline goes into an IndexedDB queue with an idempotency key made
//   here, and is sent to /api/v1/moments when the network returns. The server accepts each key
//   once, so a moment sent twice (two tabs, a retry after a lost answer) is stored once. A moment
//   leaves the queue only after the server confirms it; a refusal keeps it and says so.
// - Online, the capture form is sent the same way: queued first, then posted with its key. If
//   the server fails (a 5xx, a dropped connection, no answer in time) while the browser still
//   says it is online, the moment stays in the queue, the page says it is waiting, and it is
//   tried again shortly; the key makes sure it lands once even if the first try did arrive.
//   A refusal that needs a change (400/422) goes to the server as an ordinary form post, so
//   the page shows what to fix next to the fields, with everything typed still there.
// - Drafts: what is typed in the capture and edit forms is kept in localStorage as it is typed
//   and offered back when the form is opened again, until it is saved or discarded.
(function () {
  "use strict";

  var DB_NAME = "tend-offline";
  var STORE = "moments";
  var DRAFT_PREFIX = "tend:draft:"; // app.js clears these on quick exit.
  // The moment's fields, named once on the server (tend/journal/moment_fields.py) and given to
  // the page in the queue banner's data-fields attribute: {"text": [...], "lists": [...],
  // "numbers": [...]}.
  var FIELDS = { text: [], lists: [], numbers: [] };

  var FLASH_KEY = "tend:flash";
  var SEND_TIMEOUT_MS = 15000;
  // After a failed send while online: try again after these pauses, then once a minute.
  var RETRY_DELAYS_MS = [3000, 10000, 30000];

  var banner = null;
  var user = "";
  var inFlight = {}; // keys being sent right now, so that no moment is sent twice at once
  var retries = 0;

  // ---- IndexedDB queue -------------------------------------------------------------------

  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) return reject(new Error("no IndexedDB"));
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && result.result !== undefined ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function queued() {
    // Only this person's: on a shared device, someone else's waiting moments are not theirs to
    // send (or to see).
    return withStore("readonly", function (store) { return store.getAll(); }).then(function (items) {
      return (items || [])
        .filter(function (item) { return item.user === user; })
        .sort(function (a, b) { return a.savedAt < b.savedAt ? -1 : 1; });
    });
  }

  function put(item) { return withStore("readwrite", function (store) { store.put(item); }); }
  function remove(key) { return withStore("readwrite", function (store) { store.delete(key); }); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    // crypto.randomUUID needs a secure context; so does the worker, so this is a fallback only.
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // The form's fields in the API's names (tend/journal/schemas.py MomentIn). Only fields the
  // API knows are sent: it refuses unknown ones.
  function momentFromForm(form) {
    var data = new FormData(form);
    var body = { kind: data.get("kind") === "glimmer" ? "glimmer" : "activation" };
    FIELDS.text.forEach(function (name) {
      var value = data.get(name);
      if (typeof value === "string" && value.trim()) body[name] = value;
    });
    FIELDS.lists.forEach(function (name) {
      var values = data.getAll(name).filter(Boolean);
      if (values.length) body[name] = values;
    });
    var theme = data.get("theme");
    if (typeof theme === "string" && theme) body.theme = theme;
    FIELDS.numbers.forEach(function (name) {
      var value = data.get(name);
      if (value !== null && value !== "" && !isNaN(Number(value))) body[name] = Number(value);
    });
    var body_json = data.get("body");
    if (typeof body_json === "string" && body_json.trim()) {
      try { body.body = JSON.parse(body_json); } catch (e) { /* the body map sends its own format */ }
    }
    // The moment happened now, not when the network comes back.
    var when = data.get("occurred_at");
    var date = typeof when === "string" && when ? new Date(when) : new Date();
    body.occurred_at = (isNaN(date.getTime()) ? new Date() : date).toISOString();
    return body;
  }

  function csrfToken() {
    var name = banner.getAttribute("data-csrf-cookie") || "csrftoken";
    var found = document.cookie.split(";").map(function (c) { return c.trim(); }).filter(function (c) {
      return c.indexOf(name + "=") === 0;
    })[0];
    if (found) return decodeURIComponent(found.slice(name.length + 1));
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  var syncing = false;

  function sync() {
    if (syncing || !banner || navigator.onLine === false) return Promise.resolve();
    syncing = true;
    return queued()
      .then(function (items) {
        if (items.length) render(items, true);
        // One at a time, in the order they were saved.
        return items.reduce(function (chain, item) {
          return chain.then(function () { return inFlight[item.key] ? undefined : send(item); });
        }, Promise.resolve(false)).then(function () { return items.length; });
      })
      .then(function (sent) {
        return queued().then(function (items) {
          render(items, false);
          if (sent && !items.length) say(text("sent"));
        });
      })
      .catch(function () { /* storage unavailable: nothing was queued here */ })
      .then(function () { syncing = false; });
  }

  // POST one queued moment with its key. Resolves with the response, or rejects when the
  // network fails or no answer comes in time (the server may still have stored it: the key
  // makes the next try answer with that same moment).
  function post(item) {
    var controller = window.AbortController ? new AbortController() : null;
    // The page may ask for another limit (data-send-timeout-ms); the tests use a short one.
    var limit = Number(banner.getAttribute("data-send-timeout-ms")) || SEND_TIMEOUT_MS;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, limit) : null;
    inFlight[item.key] = true;
    return fetch(banner.getAttribute("data-api"), {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Idempotency-Key": item.key,
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify(item.moment),
      signal: controller ? controller.signal : undefined,
    }).then(
      function (response) { window.clearTimeout(timer); delete inFlight[item.key]; return response; },
      function (error) { window.clearTimeout(timer); delete inFlight[item.key]; throw error; }
    );
  }

  function problemOf(status) {
    if (status === 409) return "conflict";
    if (status === 400 || status === 422) return "invalid";
    if (status === 401 || status === 403) return "signed-out";
    return null; // anything else (the server busy or down) is tried again later, quietly
  }

  function send(item) {
    return post(item).then(
      function (response) {
        if (response.status === 200 || response.status === 201) return remove(item.key);
        var problem = problemOf(response.status);
        if (problem && item.problem !== problem) {
          item.problem = problem;
          return put(item);
        }
        if (!problem) retryLater();
      },
      function () { retryLater(); /* the network is gone again, or too slow: try later */ }
    );
  }

  var retryTimer = null;

  // Soon after a failure, then less often; the minute timer and the "online" event carry on.
  function retryLater() {
    if (retryTimer || retries >= RETRY_DELAYS_MS.length) return;
    var delay = RETRY_DELAYS_MS[retries];
    retries += 1;
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      sync().then(function () {
        return queued().then(function (items) { if (!items.length) retries = 0; });
      }).catch(function () {});
    }, delay);
  }

  // ---- The banner ------------------------------------------------------------------------

  function text(name) { return banner.getAttribute("data-text-" + name) || ""; }

  function say(message) {
    banner.hidden = false;
    banner.querySelector(".offline-queue-text").textContent = message;
    banner.querySelector(".offline-queue-list").replaceChildren();
  }

  function render(items, sending) {
    var list = banner.querySelector(".offline-queue-list");
    if (!items.length) {
      if (!banner.querySelector(".offline-queue-text").textContent) banner.hidden = true;
      list.replaceChildren();
      return;
    }
    // Offline: sent when the network returns. Online: being sent now, or waiting for the
    // server to answer again (it failed or was too slow).
    var state = navigator.onLine === false ? "" : sending ? "online-" : "waiting-";
    var message = text(state + (items.length === 1 ? "one" : "many"));
    banner.querySelector(".offline-queue-text").textContent = message.replace("__count__", String(items.length));
    list.replaceChildren.apply(list, items.map(renderItem));
    banner.hidden = false;
  }

  function renderItem(item) {
    var li = document.createElement("li");
    li.className = "offline-queue-item" + (item.problem ? " offline-queue-problem" : "");
    var when = new Date(item.moment.occurred_at);
    var label = document.createElement("span");
    label.textContent = text(item.moment.kind) + " · " +
      when.toLocaleString([], { weekday: "short", hour: "2-digit", minute: "2-digit" });
    li.appendChild(label);
    if (item.problem) {
      var why = document.createElement("p");
      why.textContent = text(item.problem);
      li.appendChild(why);
      // A refused moment is never dropped behind the person's back; they may remove it.
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button-quiet";
      button.textContent = text("remove");
      button.addEventListener("click", function () {
        if (!window.confirm(text("remove-confirm"))) return;
        remove(item.key).then(refresh);
      });
      li.appendChild(button);
    }
    return li;
  }

  function refresh() {
    return queued().then(function (items) { render(items, false); }).catch(function () {});
  }

  // ---- Saving the capture form offline ---------------------------------------------------

  var submitting = false;

  function onCaptureSubmit(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.capture-form")) return;
    var moment = momentFromForm(form);
    var empty = !(moment.states && moment.states.length) && !moment.cue;
    if (navigator.onLine !== false) {
      // Online. An empty moment goes to the server as it is, which says what to add beside the
      // fields; so does everything when this browser cannot queue.
      if (empty || !window.fetch || !window.indexedDB || !window.Promise) return;
      event.preventDefault();
      if (!submitting) sendNow(form, moment);
      return;
    }
    event.preventDefault();
    if (empty) {
      say(text("required"));
      banner.focus();
      return;
    }
    var item = newItem(moment);
    put(item).then(function () { keptOnDevice(form, moment, "saved"); });
  }

  function newItem(moment) {
    return { key: newKey(), user: user, savedAt: new Date().toISOString(), moment: moment };
  }

  // Online: queue first (so that closing the page loses nothing), then send. On success, go to
  // the moment; on a failure of the server or the network, keep it waiting and say so.
  function sendNow(form, moment) {
    var item = newItem(moment);
    var button = form.querySelector("button[type=submit]");
    submitting = true;
    if (button) button.setAttribute("aria-disabled", "true");
    function done() {
      submitting = false;
      if (button) button.removeAttribute("aria-disabled");
    }
    inFlight[item.key] = true; // no sync may pick it up before this send has its answer
    put(item).then(
      function () {
        return post(item).then(
          function (response) { return answered(form, item, response); },
          function () { return keptOnDevice(form, moment, "saved-retry").then(retryLater); }
        );
      },
      function () {
        // Storage refused (private mode, full disk): send it the ordinary way instead.
        delete inFlight[item.key];
        postForm(form, item);
      }
    ).then(done, done);
  }

  // The ordinary form post, under this moment's own key. The key the page was rendered with
  // may be stale: the service worker serves the same copy of the page again and again.
  function postForm(form, item) {
    var key = form.querySelector("input[name=idempotency_key]");
    if (key) key.value = item.key;
    HTMLFormElement.prototype.submit.call(form);
  }

  function answered(form, item, response) {
    if (response.status === 200 || response.status === 201) {
      return response.json().then(function (saved) {
        return remove(item.key).then(function () {
          clearDraft(form);
          var path = banner.getAttribute("data-moment-url").replace(ZERO_ID, saved.id);
          flashOn(path, text("logged-" + item.moment.kind));
          window.location.assign(path);
        });
      });
    }
    var problem = problemOf(response.status);
    if (problem === "invalid") {
      // The server says what to fix beside each field, keeping what was typed.
      return remove(item.key).then(function () { postForm(form, item); });
    }
    if (problem) {
      item.problem = problem;
      return put(item).then(function () { return keptOnDevice(form, item.moment, "saved"); });
    }
    return keptOnDevice(form, item.moment, "saved-retry").then(retryLater);
  }

  // The moment is in the queue: the form is ready for the next one, and the page says so.
  function keptOnDevice(form, moment, why) {
    clearDraft(form);
    var kind = form.querySelector("input[name=kind]");
    form.reset();
    if (kind) kind.value = moment.kind;
    return queued().then(function (items) {
      render(items, false);
      announceSaved(why);
    });
  }

  // The queue's own sentence already says the moment is kept here and when it will go, so it
  // is said once. Only a failed send adds why it is waiting (the queue cannot know that).
  function announceSaved(why) {
    var status = banner.querySelector(".offline-queue-text");
    if (why === "saved-retry") status.textContent = text(why) + " " + status.textContent;
    banner.setAttribute("tabindex", "-1");
    banner.focus();
  }

  // ---- "Saved" on the moment's page, after a send by this script ---------------------------

  var ZERO_ID = "00000000-0000-0000-0000-000000000000";

  function flashOn(path, message) {
    try { sessionStorage.setItem(FLASH_KEY, JSON.stringify({ path: path, text: message })); } catch (e) { /* disabled */ }
  }

  // The same message the server shows after an ordinary form post, in the same place.
  function showFlash() {
    var flash = null;
    try {
      flash = JSON.parse(sessionStorage.getItem(FLASH_KEY) || "null");
      sessionStorage.removeItem(FLASH_KEY);
    } catch (e) { return; }
    if (!flash || flash.path !== location.pathname || !flash.text) return;
    var main = document.getElementById("main");
    if (!main) return;
    var box = document.createElement("div");
    box.className = "messages";
    box.setAttribute("role", "status");
    box.setAttribute("aria-live", "polite");
    var p = document.createElement("p");
    p.className = "message message-success";
    p.textContent = flash.text;
    box.appendChild(p);
    main.parentNode.insertBefore(box, main);
  }

  // ---- Drafts ----------------------------------------------------------------------------

  function draftForms() {
    return Array.prototype.slice.call(document.querySelectorAll("form.capture-form, form.moment-form"));
  }

  function draftKey(form) {
    var kind = form.classList.contains("capture-form") ? ":" + ((form.querySelector("input[name=kind]") || {}).value || "") : "";
    return DRAFT_PREFIX + user + ":" + new URL(form.action, location.href).pathname + kind;
  }

  function readForm(form) {
    var values = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "kind" && form.classList.contains("capture-form")) return;
      if (typeof value !== "string") return;
      (values[name] = values[name] || []).push(value);
    });
    return values;
  }

  // Only the fields inside ``part``, when it is given (a part of the form that came later).
  function writeForm(form, values, part) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "hidden" && el.name === "kind") return;
      if (part && !part.contains(el)) return;
      var wanted = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") el.checked = wanted.indexOf(el.value) !== -1;
      // A box left empty is absent from a form's data; any other field absent from the draft
      // did not exist when it was written, so it keeps what the page gave it.
      else if (!Object.prototype.hasOwnProperty.call(values, el.name)) return;
      else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = wanted.indexOf(o.value) !== -1; });
      } else if (el.type !== "submit" && el.type !== "button" && el.type !== "file") el.value = wanted[0] || "";
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function same(a, b) {
    // Field by field, whatever order the fields came in (some arrive after the page).
    function canonical(values) {
      return JSON.stringify(Object.keys(values).sort().map(function (k) { return [k, values[k]]; }));
    }
    return canonical(a) === canonical(b);
  }

  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function store(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or disabled */ }
  }

  function clearDraft(form) {
    try { localStorage.removeItem(draftKey(form)); } catch (e) { /* disabled */ }
    var note = document.querySelector("[data-draft-note]");
    if (note) note.hidden = true;
  }

  function setUpDraft(form) {
    var key = draftKey(form);
    var original = readForm(form);
    var draft = load(key);
    var returnedWithErrors = !!document.getElementById("form-errors");
    if (draft && draft.values && !returnedWithErrors && !same(draft.values, original)) {
      writeForm(form, draft.values);
      // Show what the draft filled in: a folded section of the edit form that it changed opens.
      Array.prototype.forEach.call(form.querySelectorAll("details.form-fold"), function (fold) {
        var changed = Array.prototype.some.call(fold.querySelectorAll("[name]"), function (el) {
          return JSON.stringify(draft.values[el.name]) !== JSON.stringify(original[el.name]);
        });
        if (changed) fold.open = true;
      });
      var note = document.querySelector("[data-draft-note]");
      if (note) {
        note.hidden = false;
        note.querySelector("[data-draft-discard]").addEventListener("click", function () {
          writeForm(form, original);
          clearDraft(form);
          form.querySelector("input:not([type=hidden]), textarea").focus();
        });
      }
    }
    if (draft && draft.submitted) {
      // We are back on the form after sending it: the send did not succeed (the server would
      // have moved on to the moment), so the draft is live again.
      draft.submitted = false;
      store(key, draft);
    }
    function save() {
      var values = readForm(form);
      if (same(values, original)) {
        try { localStorage.removeItem(key); } catch (e) { /* disabled */ }
      } else {
        store(key, { values: values, savedAt: new Date().toISOString() });
      }
    }
    // A part of the form fetched after the page (quick capture's "who, and which theme" row):
    // its first values are the page's own, and a draft written with it fills it in.
    form.addEventListener("tend:part-loaded", function (event) {
      var part = event.target;
      if (!part || !part.querySelectorAll) return;
      var now = readForm(form);
      Array.prototype.forEach.call(part.querySelectorAll("[name]"), function (el) {
        if (Object.prototype.hasOwnProperty.call(now, el.name)) original[el.name] = now[el.name];
      });
      var current = load(key);
      if (current && current.values && !returnedWithErrors) {
        writeForm(form, current.values, part);
        // Show what the draft filled in, rather than hide it in a closed row.
        if (part.tagName === "DETAILS" && part.querySelector("input:checked, select option:checked:not([value=''])")) {
          part.open = true;
        }
      }
    });
    form.addEventListener("input", save);
    form.addEventListener("change", function (event) { if (event.isTrusted) save(); });
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) return;
      var current = load(key);
      if (current) {
        current.submitted = true;
        store(key, current);
      }
    });
  }

  // ---- Quick capture's "who, and which theme" row ---------------------------------------------

  // Fetched apart from the page: the service worker keeps the capture page for offline use, so
  // the page itself holds no one's name. Offline, or if the fetch fails, capture works without.
  function loadCapturePart(form) {
    var slot = form.querySelector("[data-capture-who]");
    if (!slot || navigator.onLine === false || !window.fetch) return;
    fetch(slot.getAttribute("data-capture-who"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (!html.trim()) return slot.remove();
        // Our own server's HTML, rendered (and escaped) by Django.
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var part = holder.firstElementChild;
        if (!part) return slot.remove();
        slot.replaceWith(part);
        part.dispatchEvent(new CustomEvent("tend:part-loaded", { bubbles: true }));
      })
      .catch(function () { /* offline after all: the row simply is not there */ });
  }

  // A draft marked as sent is forgotten on the next page that is not its own form: a successful
  // save moves on to the moment's page. (Back on the form after a failed send, it is kept.)
  function forgetSentDrafts() {
    var here = draftForms().map(draftKey);
    try {
      Object.keys(localStorage).forEach(function (key) {
        if (key.indexOf(DRAFT_PREFIX) !== 0 || here.indexOf(key) !== -1) return;
        var draft = load(key);
        if (draft && draft.submitted) localStorage.removeItem(key);
      });
    } catch (e) { /* storage disabled */ }
  }

  // ---- Start -----------------------------------------------------------------------------

  document.addEventListener("DOMContentLoaded", function () {
    showFlash();
    banner = document.querySelector("[data-offline-queue]");
    if (!banner) return;
    user = banner.getAttribute("data-user") || "";
    FIELDS = JSON.parse(banner.getAttribute("data-fields"));
    forgetSentDrafts();
    // After every other script has set up its part of the form (the body map listens for
    // "change" to redraw its figure), so that a restored draft shows everywhere it should.
    window.setTimeout(function () {
      draftForms().forEach(setUpDraft);
      draftForms().forEach(loadCapturePart);
    }, 0);
    // Capture before the journal's other submit handlers, and before the browser navigates.
    document.addEventListener("submit", onCaptureSubmit, true);
    window.addEventListener("online", sync);
    window.addEventListener("offline", refresh);
    refresh().then(sync);
    // The "online" event only tells of the device's own link; a server that was busy or down is
    // tried again now and then while the page is open.
    window.setInterval(function () { if (navigator.onLine !== false) sync(); }, 60 * 1000);
  });
})();
