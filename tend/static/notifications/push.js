/* Subscribe this browser to Tend's content-free push reminders (settings → Reminders). */
(function () {
  "use strict";
  const box = document.getElementById("push-control");
  if (!box) return;
  const status = document.getElementById("push-status");
  const button = document.getElementById("push-subscribe");
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    status.textContent = "This browser cannot receive push reminders. Email and in-app notices still work.";
    return;
  }

  function keyBytes(base64url) {
    const padded = base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4);
    const raw = atob(padded);
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }

  function csrfToken() {
    return document.body.getAttribute("data-csrf-token") || "";
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
      status.textContent = "This device gets push reminders.";
      button.hidden = true;
    } else {
      status.textContent = Notification.permission === "denied"
        ? "Notifications are blocked for Tend in this browser's settings."
        : "This device does not get push reminders yet.";
      button.hidden = Notification.permission === "denied";
    }
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        status.textContent = "No problem. You can allow notifications later.";
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
      status.textContent = "That did not work this time. Please try again later.";
    } finally {
      button.disabled = false;
    }
  });

  refresh().catch(() => {});
})();
