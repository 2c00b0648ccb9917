"""Certificates built like the SAT's e.firma (FIEL), made in the tests with ``cryptography``: a root,
and for each signer an RSA 2048 certificate whose subject carries the RFC and CURP as the SAT puts
them (``x500UniqueIdentifier`` as a PrintableString, ``serialNumber``), its ``.cer`` in DER and its
``.key`` a PKCS#8 DER encrypted with 3DES (PBES2), as the SAT hands them out."""

import datetime
import os
from dataclasses import dataclass
from functools import cache

from asn1crypto import algos, keys
from cryptography import x509
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CONTRASENA = "12345678a"
RFC = "GOMA800101AB1"
CURP = "GOMA800101HTSMRN09"
NOMBRE = "ANA GÓMEZ MARTÍNEZ"
UNIQUE_IDENTIFIER = x509.ObjectIdentifier("2.5.4.45")


@dataclass
class Efirma:
    cer: bytes  # DER X.509
    key: bytes  # DER PKCS#8, 3DES-encrypted with CONTRASENA
    raiz: bytes  # DER of the root that issued it
    certificado: x509.Certificate


@cache
def _llave(semilla: int) -> rsa.RSAPrivateKey:
    """Keys are slow to make: one per role, reused by every test of the session."""
    del semilla
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _ahora() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


@cache
def autoridad(nombre: str = "AC DE PRUEBAS DEL SAT") -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    llave = _llave(hash(nombre))
    sujeto = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, nombre),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Servicio de Administración Tributaria"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"),
        ]
    )
    certificado = (
        x509.CertificateBuilder()
        .subject_name(sujeto)
        .issuer_name(sujeto)
        .public_key(llave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_ahora() - datetime.timedelta(days=3650))
        .not_valid_after(_ahora() + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(llave.public_key()), critical=False)
        .sign(llave, hashes.SHA256())
    )
    return certificado, llave


def efirma(
    *,
    raiz: str = "AC DE PRUEBAS DEL SAT",
    vence: datetime.timedelta = datetime.timedelta(days=365),
    nombre: str = NOMBRE,
    llave_ajena: bool = False,
) -> Efirma:
    """A signer's e.firma issued by the test root ``raiz``; ``vence`` negative for an expired one,
    ``llave_ajena`` for a ``.key`` that is not the certificate's."""
    ac, llave_ac = autoridad(raiz)
    llave = _llave(1)
    sujeto = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, nombre),
            x509.NameAttribute(x509.ObjectIdentifier("2.5.4.41"), nombre),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, nombre),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"),
            x509.NameAttribute(NameOID.EMAIL_ADDRESS, "ana.gomez@example.com"),
            x509.NameAttribute(UNIQUE_IDENTIFIER, f"{RFC} / ", x509.name._ASN1Type.PrintableString),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, f" / {CURP}", x509.name._ASN1Type.PrintableString),
        ]
    )
    inicio = _ahora() + min(vence, datetime.timedelta(0)) - datetime.timedelta(days=30)
    certificado = (
        x509.CertificateBuilder()
        .subject_name(sujeto)
        .issuer_name(ac.subject)
        .public_key(llave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(inicio)
        .not_valid_after(_ahora() + vence)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, True, True, False, False, False, False, False), critical=True
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(llave_ac.public_key()), critical=False
        )
        .sign(llave_ac, hashes.SHA256())
    )
    firmante = _llave(2) if llave_ajena else llave
    return Efirma(
        cer=certificado.public_bytes(serialization.Encoding.DER),
        key=cifrar_3des(firmante, CONTRASENA),
        raiz=ac.public_bytes(serialization.Encoding.DER),
        certificado=certificado,
    )


def cifrar_3des(llave: rsa.RSAPrivateKey, contrasena: str) -> bytes:
    """PKCS#8 EncryptedPrivateKeyInfo, PBES2 (PBKDF2-HMAC-SHA1, DES-EDE3-CBC), as the SAT's ``.key``
    files are (``cryptography`` only writes AES, so the envelope is built here)."""
    sal, iv, vueltas = os.urandom(8), os.urandom(8), 2048
    clave = PBKDF2HMAC(hashes.SHA1(), 24, sal, vueltas).derive(contrasena.encode())
    claro = llave.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    relleno = padding.PKCS7(64).padder()
    cifrador = Cipher(TripleDES(clave), modes.CBC(iv)).encryptor()
    cifrado = cifrador.update(relleno.update(claro) + relleno.finalize()) + cifrador.finalize()
    return keys.EncryptedPrivateKeyInfo(
        {
            "encryption_algorithm": {
                "algorithm": "pbes2",
                "parameters": {
                    "key_derivation_func": {
                        "algorithm": "pbkdf2",
                        "parameters": {
                            "salt": algos.Pbkdf2Salt(name="specified", value=sal),
                            "iteration_count": vueltas,
                            "prf": {"algorithm": "sha1"},
                        },
                    },
                    "encryption_scheme": {"algorithm": "tripledes_3key", "parameters": iv},
                },
            },
            "encrypted_data": cifrado,
        }
    ).dump()


@cache
def sellador_de_tiempo() -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A time-stamping authority (RFC 3161) issued by the test root, for PAdES B-T."""
    ac, llave_ac = autoridad()
    llave = _llave(3)
    certificado = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA DE PRUEBAS")]))
        .issuer_name(ac.subject)
        .public_key(llave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_ahora() - datetime.timedelta(days=30))
        .not_valid_after(_ahora() + datetime.timedelta(days=365))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(llave_ac.public_key()), critical=False
        )
        .sign(llave_ac, hashes.SHA256())
    )
    return certificado, llave
