// Print and copy buttons. Inline handlers would need 'unsafe-inline' in the CSP.
document.querySelectorAll("[data-print]").forEach(function (b) {
  b.addEventListener("click", function () {
    window.print();
  });
});
// Copy buttons (the tracking ID): shown only where the clipboard can be written.
document.querySelectorAll("[data-copy]").forEach(function (b) {
  if (!navigator.clipboard) return;
  b.hidden = false;
  b.addEventListener("click", function () {
    navigator.clipboard.writeText(b.dataset.copy).then(function () {
      b.textContent = b.dataset.copied;
    });
  });
});
