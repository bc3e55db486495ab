// "Imprimer cette page": the button is written hidden, so that without JavaScript no dead button shows.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
