// The handout page's "Print this page" button. Without JavaScript the button stays hidden and the
// browser's own Print command (Ctrl+P) gives the same result.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
