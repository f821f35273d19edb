// Admin export (django-import-export): "Select all" ticks or clears every field of the export.
// Its own template did this with an inline onchange handler, which the Content-Security-Policy blocks.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", () => {
      document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]').forEach((checkbox) => {
        checkbox.checked = toggle.checked;
      });
    });
  });
});
