// The application form and the status page (templates/subsidy/public/, templates/subsidy/_application_form.html).
// - A part marked data-show-when="name=value" is shown only while that radio button is chosen: the quote or the
//   DIY area, the energy-allowance letter or the income, the explanation for who does not own the home. Without
//   script every part stays visible (the explanation appears after submitting) and the server ignores what does
//   not apply. Inputs of a hidden part are disabled, so they are not sent.
// - After a refused submit the keyboard and screen-reader focus goes to the error summary.
(function () {
  "use strict";

  function chosen(form, name) {
    const input = form.querySelector(`input[type="radio"][name="${name}"]:checked`);
    return input ? input.value : null;
  }

  function update(form) {
    form.querySelectorAll("[data-show-when]").forEach((part) => {
      const [name, value] = part.dataset.showWhen.split("=");
      const shown = chosen(form, name) === value;
      part.hidden = !shown;
      part.querySelectorAll("input, select, textarea").forEach((input) => {
        input.disabled = !shown;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form.application-form").forEach((form) => {
      update(form);
      form.addEventListener("change", (event) => {
        if (event.target.matches('input[type="radio"]')) {
          update(form);
        }
      });
    });
    const summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();
