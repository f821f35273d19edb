// The application's page: after a refused act or a conflict, put the keyboard and screen-reader focus on the
// message (marked data-focus-on-load), inside its act's opened section.
document.addEventListener("DOMContentLoaded", () => {
  const message = document.querySelector("[data-focus-on-load]");
  if (message) {
    message.focus();
  }
});
