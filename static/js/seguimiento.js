/* After htmx swaps a row, move keyboard focus to where the user expects it. */
document.addEventListener("htmx:afterSettle", function (evento) {
  var destino = evento.detail.elt && evento.detail.elt.isConnected ? evento.detail.elt : document;
  var foco = destino.querySelector("[data-foco], [autofocus]") ||
    document.querySelector("[data-foco]");
  if (foco) {
    foco.focus();
  }
});
/* A server error must not fail silently. */
document.addEventListener("htmx:responseError", function () {
  window.alert("No se pudo completar la acción. Recargue la página e inténtelo de nuevo.");
});
