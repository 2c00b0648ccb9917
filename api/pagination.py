import re

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


class Paginacion(PageNumberPagination):
    """50 per page, as the commitments page; ``pagina`` is also its parameter. A value that is not a
    whole number in range is a 400 (DRF would quietly use the default), a page past the end a 404."""

    page_size = 50
    page_query_param = "pagina"
    page_size_query_param = "por_pagina"
    max_page_size = 200
    last_page_strings = ()

    def entero(self, request, nombre: str, maximo: int | None = None) -> int | None:
        valor = request.query_params.get(nombre)
        if valor is None:
            return None
        if re.fullmatch(r"[0-9]{19,}", valor):  # past any page and any size, and too long for int()
            if maximo:
                raise ValidationError({nombre: [_("Escriba un número entero de 1 a %(n)d.") % {"n": maximo}]})
            raise NotFound(_("Página inválida."))
        numero = int(valor) if re.fullmatch(r"[0-9]+", valor) else 0
        if maximo and not 1 <= numero <= maximo:
            raise ValidationError({nombre: [_("Escriba un número entero de 1 a %(n)d.") % {"n": maximo}]})
        if numero < 1:
            raise ValidationError({nombre: [_("Escriba un número entero, 1 o mayor.")]})
        return numero

    def get_page_size(self, request):
        return self.entero(request, self.page_size_query_param, self.max_page_size) or self.page_size

    def get_page_number(self, request, paginator):
        return self.entero(request, self.page_query_param) or 1

    def get_schema_operation_parameters(self, view):
        parametros = super().get_schema_operation_parameters(view)
        for parametro in parametros:
            parametro["schema"]["minimum"] = 1
            if parametro["name"] == self.page_size_query_param:
                parametro["schema"]["maximum"] = self.max_page_size
                parametro["description"] = _("Resultados por página, de 1 a %(n)d (50 si se omite).") % {
                    "n": self.max_page_size
                }
            else:
                parametro["description"] = _("Número de página, desde 1.")
        return parametros
