"""Login lockout per address across usernames: 20 failures from one address, whatever usernames they
tried, lock that address out for 15 minutes (config/seguridad.py BloqueoConUnLimitePorParametro); the
per username+address lockout (5) is tested in tests/test_produccion.py."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .test_produccion import CLAVE, entro, intentar

ENTRADAS = ["login", "admin:login"]


def fallar(cliente, entrada: str, veces: int, ip: str = "10.0.0.1", desde: int = 0) -> list[int]:
    """``veces`` failures from ``ip``, each for a different username (none reaches its own limit of 5)."""
    return [
        intentar(cliente, entrada, f"nadie-{n}", "mala", ip).status_code for n in range(desde, desde + veces)
    ]


@pytest.mark.parametrize("entrada", ENTRADAS)
def test_19_failures_from_one_address_over_many_usernames_do_not_lock_it(client, usuarios, entrada):
    assert fallar(client, entrada, 19) == [200] * 19
    assert entro(intentar(client, entrada, "admin", CLAVE))


@pytest.mark.parametrize("entrada", ENTRADAS)
def test_the_20th_failure_from_one_address_locks_it_for_every_username(client, usuarios, entrada):
    assert fallar(client, entrada, 20) == [200] * 19 + [429]
    correcta = intentar(client, entrada, "admin", CLAVE)
    assert correcta.status_code == 429 and not entro(correcta)
    assert "Demasiados intentos fallidos" in correcta.content.decode()
    assert correcta["Retry-After"] == str(15 * 60)
    assert entro(intentar(Client(), entrada, "admin", CLAVE, ip="10.0.0.2"))  # another address


def test_the_address_lock_ends_after_fifteen_minutes(client, usuarios):
    fallar(client, "login", 20)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert intentar(client, "login", "gerente", CLAVE).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=5))
    assert entro(intentar(client, "login", "gerente", CLAVE))


def test_logging_into_ones_own_account_does_not_reset_the_address_count(usuarios):
    assert fallar(Client(), "login", 19) == [200] * 19
    assert entro(intentar(Client(), "login", "gerente", CLAVE))
    assert fallar(Client(), "login", 1, desde=19) == [429]


def test_a_success_still_clears_its_own_usernames_failures_from_that_address(usuarios):
    for n in range(4):
        assert intentar(Client(), "login", "gerente", f"mala-{n}").status_code == 200
    assert entro(intentar(Client(), "login", "gerente", CLAVE))
    assert not AccessAttempt.objects.filter(username="gerente").exists()
    for n in range(4):  # four more: a fresh count, not nine
        assert intentar(Client(), "login", "gerente", f"mala-{n}").status_code == 200


def test_behind_nginx_each_browser_address_is_locked_on_its_own(usuarios, settings):
    """With PROXIES_DE_CONFIANZA=1 the address is the browser's (from X-Forwarded-For), not nginx's
    127.0.0.1; otherwise twenty typos anywhere in the office would lock everyone out."""
    settings.PROXIES_DE_CONFIANZA = 1

    def por_proxy(navegador: str, usuario: str, clave: str):
        return Client().post(
            reverse("login"),
            {"username": usuario, "password": clave},
            REMOTE_ADDR="127.0.0.1",
            headers={"X-Forwarded-For": f"1.2.3.4, {navegador}"},
        )

    estados = [por_proxy("203.0.113.7", f"nadie-{n}", "mala").status_code for n in range(20)]
    assert estados == [200] * 19 + [429]
    assert por_proxy("203.0.113.7", "gerente", CLAVE).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    assert por_proxy("203.0.113.8", "gerente", CLAVE).status_code == 302
