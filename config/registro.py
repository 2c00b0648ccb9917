"""Logs as one JSON object per line on standard output, for journald or any log collector."""

import json
import logging
import sys
from datetime import UTC, datetime

# Extra fields a record may carry (the request log's, and Django's status_code on request errors).
CAMPOS = {
    "method": "method",
    "path": "path",
    "status": "status",
    "status_code": "status",
    "duration_ms": "duration_ms",
    "user_id": "user_id",
}


class FormatoJSON(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        linea = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        linea.update(
            {
                campo: getattr(record, atributo)
                for atributo, campo in CAMPOS.items()
                if hasattr(record, atributo)
            }
        )
        if record.exc_info:
            linea["exception"] = self.formatException(record.exc_info)
        return json.dumps(linea, default=str)


class SalidaEstandar(logging.StreamHandler):
    """Writes to whatever sys.stdout is at each line, not the one at configuration time (pytest swaps it)."""

    def __init__(self):
        super().__init__(sys.stdout)

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, valor):
        pass
