"""Rules on the convenio model that every door (admin, import) goes through."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import resolve, reverse

from convenios.models import CLAVES_RESERVADAS, Convenio


@pytest.mark.parametrize("clave", sorted(CLAVES_RESERVADAS))
def test_a_convenio_cannot_take_a_slug_that_a_page_uses(db, clave):
    convenio = Convenio(nombre="Convenio", slug=clave, fecha_inicio=datetime.date(2020, 1, 1), objeto="x")
    with pytest.raises(ValidationError) as error:
        convenio.full_clean()
    assert "reservada" in str(error.value.message_dict["slug"])
    assert resolve(f"/convenios/{clave}/").url_name != "detalle"


def test_validity_cannot_end_before_it_starts(db):
    convenio = Convenio(
        nombre="Convenio",
        slug="convenio",
        fecha_inicio=datetime.date(2020, 1, 1),
        fecha_fin=datetime.date(2019, 12, 31),
        objeto="x",
    )
    with pytest.raises(ValidationError, match="anterior a la fecha de inicio"):
        convenio.full_clean()
    assert reverse("convenios:detalle", args=["convenio"]) == "/convenios/convenio/"


def test_a_rows_overdue_mark_follows_the_overdue_filters_rule(semilla, estatus, client, usuarios):
    """``para_fila()``'s ``vencido`` (the row's «(vencido)») and ``vencidos()`` (the filter) agree."""
    from django.utils import timezone

    from convenios.models import Compromiso
    from tests.factories import registrar_actualizacion

    hoy = timezone.localdate()
    casos = [  # (due date, new status; None keeps the seed's «En cumplimiento», which is favourable)
        (hoy - datetime.timedelta(days=1), None),
        (hoy - datetime.timedelta(days=1), "en-proceso"),
        (hoy - datetime.timedelta(days=1), "incumplido"),
        (hoy - datetime.timedelta(days=1), "cumplido"),
        (hoy - datetime.timedelta(days=1), "no-aplica"),
        (hoy, "en-proceso"),
        (None, "en-proceso"),
    ]
    compromisos = list(Compromiso.objects.filter(convenio=semilla).order_by("numero")[: len(casos)])
    for compromiso, (limite, clave) in zip(compromisos, casos, strict=True):
        compromiso.fecha_limite = limite
        compromiso.save(update_fields=["fecha_limite"])
        if clave:
            registrar_actualizacion(compromiso, estatus=estatus[clave], fecha_efectiva=hoy, nota="Nota.")
    filas = Compromiso.objects.filter(pk__in=[c.pk for c in compromisos]).para_fila()
    marcados = {c.numero for c in filas if c.vencido}
    assert marcados == set(
        Compromiso.objects.vencidos(hoy).filter(convenio=semilla).values_list("numero", flat=True)
    )
    assert marcados == {2, 3}  # past due, and «En proceso» or «Incumplido»

    client.force_login(usuarios["auditor"])
    pagina = client.get(semilla.get_absolute_url()).content.decode()
    assert pagina.count("(vencido)") == 2
    assert pagina.count("Fecha límite:") == 6
