"""Who may use an endpoint: the very Django permissions the page for the same data demands."""

from rest_framework.permissions import BasePermission


class PermisoDeLaPagina(BasePermission):
    """Every permission the view names in ``permisos_requeridos()`` (``Seguible.permiso_lectura()``…).

    Anonymous users are refused before it is asked, so DRF answers 401 with ``WWW-Authenticate``.
    """

    def has_permission(self, request, view) -> bool:
        usuario = request.user
        return bool(usuario and usuario.is_authenticated and usuario.has_perms(view.permisos_requeridos()))
