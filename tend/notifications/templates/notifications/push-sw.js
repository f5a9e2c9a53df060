{% load i18n %}{% translate "There is something new in Tend." as default_body %}/* Tend's push worker. Messages are content-free: a calm sentence and a link into Tend. */
self.addEventListener("push", (event) => {
  let data = { title: "Tend", body: "{{ default_body|escapejs }}", url: "/notifications/" };
  try {
    if (event.data) data = Object.assign(data, event.data.json());
  } catch (e) { /* keep the defaults */ }
  event.waitUntil(self.registration.showNotification(data.title, {
    body: data.body,
    icon: "/static/tend/icon-192.png",
    data: { url: data.url },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/notifications/";
  // Only ever a path inside Tend.
  const safe = url.startsWith("/") && !url.startsWith("//") ? url : "/notifications/";
  event.waitUntil(self.clients.openWindow(safe));
});
