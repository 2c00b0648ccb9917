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
