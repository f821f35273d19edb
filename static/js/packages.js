// The products package pages (templates/subsidy/package_propose.html, package.html).
// - The proposal form: the − / + buttons (hidden without script) change a product's quantity by one, within the
//   field's 0 … max; on every change the line totals, the package's total, the bar against the limit per dwelling
//   and the "goes to the coordinator" note follow. Without script the number fields still work and the server
//   computes the total when the form comes back. The server decides; these figures only show the way.
// - Amounts are counted in whole cents (parsed from the "330.00" the page gives), never as fractions of euros.
// - After a refused submit or a conflict the keyboard and screen-reader focus goes to the message.
(function () {
  "use strict";

  const language = document.documentElement.lang || "nl";
  const money = new Intl.NumberFormat(language.startsWith("en") ? "en-GB" : "nl-NL",
    { style: "currency", currency: "EUR" });

  function cents(text) {
    const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec((text || "").trim());
    if (!match) {
      return 0;
    }
    return Number(match[1]) * 100 + Number((match[2] || "0").padEnd(2, "0"));
  }

  function euro(amount) {
    return money.format(amount / 100);
  }

  // What the server would count: a whole number within the field's bounds, else nothing.
  function quantity(input) {
    const value = input.value.trim();
    const number = /^\d+$/.test(value) ? Number(value) : 0;
    return number <= Number(input.max || "99") ? number : 0;
  }

  function percent(part, whole) {
    return whole > 0 ? ((part * 100) / whole).toFixed(2) : "0.00";
  }

  function setAmount(scope, name, amount) {
    scope.querySelectorAll(`[data-amount="${name}"]`).forEach((element) => {
      element.textContent = euro(amount);
    });
  }

  function update(form) {
    let total = 0;
    form.querySelectorAll("input.quantity").forEach((input) => {
      const line = input.disabled ? 0 : cents(input.dataset.price) * quantity(input);
      total += line;
      const output = input.closest(".package-product").querySelector("[data-line-total]");
      if (output) {
        output.textContent = euro(line);
      }
    });
    const allowance = form.querySelector("[data-allowance]");
    const limit = cents(allowance.dataset.limit);
    const received = cents(allowance.dataset.received);
    const left = Math.max(limit - received, 0);
    const within = Math.min(total, left);
    const above = Math.max(total - left, 0);
    const scale = Math.max(limit, received + total);
    const part = (name) => allowance.querySelector(`[data-part="${name}"]`);
    part("within").setAttribute("x", percent(received, scale));
    part("within").setAttribute("width", percent(within, scale));
    part("above").setAttribute("x", percent(received + within, scale));
    part("above").setAttribute("width", percent(above, scale));
    part("limit").setAttribute("x1", percent(limit, scale));
    part("limit").setAttribute("x2", percent(limit, scale));
    setAmount(form, "total", total);
    setAmount(form, "proposed", total);
    setAmount(form, "above", above);
    setAmount(form, "left-after", Math.max(left - total, 0));
    form.querySelectorAll("[data-shown-above]").forEach((element) => {
      element.hidden = above === 0;
    });
    // The motivation matters only above what is left; a motivation already typed stays visible.
    const motivation = form.querySelector("[data-motivation]");
    if (motivation) {
      const typed = motivation.querySelector("textarea");
      motivation.hidden = above === 0 && !(typed && typed.value.trim()) && !motivation.querySelector(".errorlist");
    }
  }

  function step(button) {
    const input = document.getElementById(button.getAttribute("aria-controls"));
    if (!input || input.disabled) {
      return;
    }
    const maximum = Number(input.max || "99");
    const next = Math.min(Math.max(quantity(input) + Number(button.dataset.step), 0), maximum);
    input.value = String(next);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-package-proposal]").forEach((form) => {
      form.querySelectorAll("button.step").forEach((button) => {
        button.hidden = false;
        button.addEventListener("click", () => step(button));
      });
      form.addEventListener("input", (event) => {
        if (event.target.matches("input.quantity")) {
          update(form);
        }
      });
      update(form);
    });
    const message = document.querySelector("[data-focus-on-load]");
    if (message) {
      message.focus();
    }
  });
})();
