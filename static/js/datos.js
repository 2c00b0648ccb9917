// Public board (datos:convenio, datos:comision): a printed page shows every public history, not only
// the ones opened on screen; they close again after printing.
(function () {
  "use strict";
  var abiertos = [];
  window.addEventListener("beforeprint", function () {
    abiertos = [];
    document.querySelectorAll("details.historial-publico:not([open])").forEach(function (d) {
      d.open = true;
      abiertos.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    abiertos.forEach(function (d) { d.open = false; });
    abiertos = [];
  });
})();
