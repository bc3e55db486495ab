// "Imprimer" buttons are written hidden, so that without JavaScript no dead button shows (the browser's own print still works).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
