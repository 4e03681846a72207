// The only script: print buttons. Inline handlers would need 'unsafe-inline' in the CSP.
document.querySelectorAll("[data-print]").forEach(function (b) {
  b.addEventListener("click", function () {
    window.print();
  });
});
