from django import template

register = template.Library()


@register.filter
def puede_actualizar(usuario, elemento) -> bool:
    """Whether to show the update control; the view checks the same permission on the server."""
    return usuario.has_perm(elemento.permiso_escritura())
