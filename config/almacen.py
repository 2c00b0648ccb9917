"""``ALMACEN_URL`` → the ``STORAGES["privado"]`` entry (settings reads it; no Django import here)."""

from urllib.parse import parse_qs, urlsplit


def almacen_desde_url(url: str) -> dict:
    """Unset: private files under ``MEDIA_ROOT``. ``s3://BUCKET/PREFIX?endpoint=…&region=…``: an
    S3-compatible bucket through django-storages; credentials from the standard AWS variables."""
    if not url:
        return {"BACKEND": "seguimiento.almacen.AlmacenLocal"}
    partes = urlsplit(url)
    if partes.scheme != "s3" or not partes.netloc:
        raise ValueError(f"ALMACEN_URL debe ser s3://BUCKET/PREFIJO?endpoint=…&region=…, no «{url}».")
    consulta = {clave: valores[-1] for clave, valores in parse_qs(partes.query).items()}
    desconocidas = set(consulta) - {"endpoint", "region"}
    if desconocidas:
        raise ValueError(f"ALMACEN_URL: parámetros desconocidos {sorted(desconocidas)}.")
    return {
        "BACKEND": "seguimiento.almacen.AlmacenS3",
        "OPTIONS": {
            "bucket_name": partes.netloc,
            "location": partes.path.strip("/"),
            "endpoint_url": consulta.get("endpoint") or None,
            "region_name": consulta.get("region") or None,
        },
    }
