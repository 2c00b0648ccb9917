/* Inline status updates (seguimiento/_fila.html ⇄ _fila_form.html, swapped by htmx): keyboard focus
   goes where the user expects it, looking only inside the swapped row, so an older row can never pull
   focus (and the scroll) back to it.
   - The form opens: its first error (after a 400 or 409), else its first field.
   - The row comes back (saved or cancelled): the row's «Actualizar estatus» button.
   - Escape inside an open form cancels it, as its «Cancelar» link does. */
(function () {
  function destinoDelFoco(fila) {
    if (fila.classList.contains("editando")) {
      return fila.querySelector("[aria-invalid=true]:not([type=hidden])") ||
        fila.querySelector("[role=alert][tabindex]") ||
        fila.querySelector("form select, form textarea, form input:not([type=hidden])");
    }
    return fila.querySelector("[data-accion=actualizar]") || fila.querySelector("a[href], button");
  }

  document.addEventListener("htmx:afterSettle", function (evento) {
    var fila = evento.detail.elt;
    if (!fila || !fila.isConnected || !fila.matches || !fila.matches("tr[id]")) {
      return;
    }
    var foco = destinoDelFoco(fila);
    if (foco) {
      // Show as much of the row (a whole form, up to «Guardar») as fits, then the focused control for sure.
      fila.scrollIntoView({ block: "nearest" });
      foco.focus();
    }
  });

  document.addEventListener("keydown", function (evento) {
    if (evento.key !== "Escape" || !evento.target.closest) {
      return;
    }
    var fila = evento.target.closest("tr.editando");
    var cancelar = fila && fila.querySelector("[data-accion=cancelar]");
    if (cancelar) {
      evento.preventDefault();
      cancelar.click();
    }
  });

  /* A server error must not fail silently. */
  document.addEventListener("htmx:responseError", function () {
    window.alert("No se pudo completar la acción. Recargue la página e inténtelo de nuevo.");
  });
})();
