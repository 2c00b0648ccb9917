/* After htmx swaps a row, move keyboard focus to where the user expects it, looking only inside the
   swapped row: an older row's data-foco must not pull focus (and the scroll) back to it. */
document.addEventListener("htmx:afterSettle", function (evento) {
  var destino = evento.detail.elt;
  if (!destino || !destino.isConnected || !destino.querySelector) {
    return;
  }
  var foco = destino.querySelector("[data-foco], [autofocus], [aria-invalid=true]:not([type=hidden])") ||
    destino.querySelector("form select, form textarea, form input:not([type=hidden])");
  if (!foco && (!document.activeElement || document.activeElement === document.body)) {
    // The swap removed the focused control (e.g. "Cancelar"): stay in the same row.
    foco = destino.querySelector("a[href], button");
  }
  if (foco) {
    // Show as much of the row (a whole form, up to "Guardar") as fits, then the focused field for sure.
    destino.scrollIntoView({ block: "nearest" });
    foco.focus();
  }
});
/* A server error must not fail silently. */
document.addEventListener("htmx:responseError", function () {
  window.alert("No se pudo completar la acción. Recargue la página e inténtelo de nuevo.");
});
