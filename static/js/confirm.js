// Forms with data-confirm ask before they act (withdrawing someone, cancelling, mass emails).
// Without JavaScript they simply submit; the server-side rules stay the same.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset ? event.target.dataset.confirm : null;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
