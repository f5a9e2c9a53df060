/* Subscribe this browser to Tend's content-free push reminders (settings → Reminders). */
(function () {
  "use strict";
  const box = document.getElementById("push-control");
  if (!box) return;
  // The page's translated sentences, one data-text-* attribute each.
  function text(name) { return box.getAttribute("data-text-" + name) || ""; }
  const status = document.getElementById("push-status");
  const button = document.getElementById("push-subscribe");
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    status.textContent = text("unsupported");
    return;
  }

  function keyBytes(base64url) {
    const padded = base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4);
    const raw = atob(padded);
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (e) {
      return "";
    }
  }

  async function send(subscription) {
    const json = subscription.toJSON();
    const response = await fetch(box.dataset.endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth }),
    });
    if (!response.ok) throw new Error("not saved");
  }

  async function refresh() {
    const registration = await navigator.serviceWorker.getRegistration(box.dataset.scope);
    const existing = registration ? await registration.pushManager.getSubscription() : null;
    if (existing) {
      status.textContent = text("subscribed");
      button.hidden = true;
    } else {
      status.textContent = Notification.permission === "denied"
        ? text("blocked")
        : text("not-yet");
      button.hidden = Notification.permission === "denied";
    }
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        status.textContent = text("declined");
        return;
      }
      const registration = await navigator.serviceWorker.register(box.dataset.worker, { scope: box.dataset.scope });
      await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(box.dataset.key),
      });
      await send(subscription);
      window.location.reload();
    } catch (e) {
      status.textContent = text("failed");
    } finally {
      button.disabled = false;
    }
  });

  refresh().catch(() => {});
})();
