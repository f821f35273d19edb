// The visits' pages (templates/fieldwork/visit_*.html).
// - The installation screen: − and + change a product's number between 0 and the number approved and the totals
//   follow at once, without a round trip. Without this script − and + are submit buttons that do the same on the
//   server (nothing is recorded until "Installed"), and the number inputs can be typed in.
// - The intake's follow-ups: the referral's and the defect report's fields show once their box is ticked (marked
//   data-shown-by="<the checkbox's id>"). Without script they are always shown; the server ignores them unticked.
// - After a refused submit the keyboard and screen-reader focus goes to the error summary.
// Amounts are counted in whole cents (integers), never in fractions of euros.
(function () {
  "use strict";

  function euro(cents) {
    const dutch = (document.documentElement.lang || "nl").startsWith("nl");
    const euros = String(Math.trunc(cents / 100));
    const rest = String(cents % 100).padStart(2, "0");
    const grouped = euros.replace(/\B(?=(\d{3})+(?!\d))/g, dutch ? "." : ",");
    return dutch ? `€\u00a0${grouped},${rest}` : `€${grouped}.${rest}`;
  }

  function quantity(input, max) {
    const number = parseInt(input.value, 10);
    if (Number.isNaN(number)) {
      return 0;
    }
    return Math.min(Math.max(number, 0), max);
  }

  function count(form) {
    let total = 0;
    form.querySelectorAll("[data-product]").forEach((row) => {
      const input = row.querySelector("input.quantity");
      const line = parseInt(row.dataset.unitCents, 10) * quantity(input, parseInt(row.dataset.max, 10));
      row.querySelector("[data-line-total]").textContent = euro(line);
      total += line;
    });
    const left = parseInt(form.dataset.leftCents, 10);
    form.querySelector("[data-total]").textContent = euro(total);
    const meter = form.querySelector("[data-meter]");
    if (meter) {
      meter.value = total;
    }
    form.querySelector("[data-left-after]").hidden = total > left;
    form.querySelector("[data-left-after-amount]").textContent = euro(Math.max(left - total, 0));
    form.querySelector("[data-above-limit]").hidden = total <= left;
    form.querySelector("[data-above-limit-amount]").textContent = euro(Math.max(total - left, 0));
  }

  function enhance(form) {
    form.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-step]");
      if (!button) {
        return;
      }
      event.preventDefault();
      const row = button.closest("[data-product]");
      const input = row.querySelector("input.quantity");
      input.value = quantity(input, parseInt(row.dataset.max, 10)) + parseInt(button.dataset.step, 10);
      input.value = quantity(input, parseInt(row.dataset.max, 10));
      count(form);
    });
    form.addEventListener("input", (event) => {
      if (event.target.matches("input.quantity")) {
        count(form);
      }
    });
    // Enter in a number only counts again: the hidden first button would ask the server to.
    form.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.target.matches("input.quantity")) {
        event.preventDefault();
        count(form);
      }
    });
  }

  function followUps() {
    document.querySelectorAll("[data-shown-by]").forEach((part) => {
      const box = document.getElementById(part.dataset.shownBy);
      if (!box) {
        return;
      }
      const show = () => {
        part.hidden = !box.checked;
      };
      box.addEventListener("change", show);
      show();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-install-form]").forEach(enhance);
    followUps();
    const summary = document.querySelector(".visit-form .error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();
