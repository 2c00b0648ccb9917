from rest_framework.pagination import PageNumberPagination


class Paginacion(PageNumberPagination):
    """50 per page, as the commitments page; ``pagina`` is also its parameter."""

    page_size = 50
    page_query_param = "pagina"
    page_size_query_param = "por_pagina"
    max_page_size = 200
