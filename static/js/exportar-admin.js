/* django-import-export's export page (admin) wires «Select all» with an inline onchange attribute,
   which the Content-Security-Policy blocks; wire the library's own handler from here instead. */
document.addEventListener("change", function (evento) {
  if (evento.target.matches(".select-toggle") && typeof window.onSelectToggleChange === "function") {
    window.onSelectToggleChange(evento);
  }
});
