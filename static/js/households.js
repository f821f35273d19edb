// Household forms: after a refused submit, put the keyboard and screen-reader focus on the error summary.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".household-form .error-summary");
  if (summary) {
    summary.focus();
  }
});
