from django import template

from ..models import Suscripcion

register = template.Library()


@register.inclusion_tag("avisos/_seguir.html", takes_context=True)
def boton_seguir(context, convenio):
    """The follow / unfollow control for the convenio page (one query); the view decides on POST."""
    usuario = context["request"].user
    return {
        "convenio": convenio,
        "sigue": Suscripcion.objects.sigue(usuario, convenio),
        "user": usuario,
        "csrf_token": context.get("csrf_token"),
    }
