# Seguimiento: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/seguimiento
TEST_SECRET := pruebas-no-es-secreta

.PHONY: run serve test lint sistema pruebas-sqlite pruebas-postgres clean

$(VENV)/.instalado: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Se necesita Python 3.11 o posterior (encontrado: " + sys.version.split()[0] + ").")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# WeasyPrint needs Pango from the system, and HarfBuzz's subsetter for fast, stable font subsetting
# (without it every PDF is ~2.6 times slower); say exactly how to get them instead of failing later.
sistema: $(VENV)/.instalado
	@$(PY) -c 'import weasyprint' 2>/dev/null && /sbin/ldconfig -p | grep -q 'libharfbuzz-subset\.so\.0' || { \
	  echo ""; \
	  echo "Faltan bibliotecas del sistema que WeasyPrint necesita para generar los PDF (Pango, HarfBuzz-subset)."; \
	  echo "Instálelas con:"; \
	  echo ""; \
	  echo "    sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"; \
	  echo ""; exit 1; }

run: sistema
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py cargar_semilla
	DEBUG=1 $(PY) manage.py crear_usuarios_demo
	@echo "Sirviendo en http://127.0.0.1:$(PORT)/ (usuarios: capturista, gerente, auditor, importador, admin; contraseña: seguimiento)"
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production: DEBUG off, gunicorn (config/gunicorn.py: PORT, HOST, WEB_CONCURRENCY). `check --deploy`
# stops here on SQLite (unless PERMITIR_SQLITE=1) and on e-mail to the console; its warnings are shown.
serve:
	@test -n "$$SECRET_KEY" || { \
	  echo ""; \
	  echo "make serve necesita SECRET_KEY (una clave larga y secreta, la misma en cada arranque). Genere una con:"; \
	  echo ""; \
	  echo "    python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"; \
	  echo ""; exit 1; }
	@$(MAKE) --no-print-directory sistema
	DEBUG=0 $(PY) manage.py check --deploy
	DEBUG=0 $(PY) manage.py migrate --noinput
	DEBUG=0 $(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Sirviendo en modo de producción en $${HOST:-127.0.0.1}:$(PORT) (detrás de un proxy con TLS; ver docs/produccion.md)"
	DEBUG=0 PORT=$(PORT) exec $(VENV)/bin/gunicorn --config config/gunicorn.py

# The same checks as .pre-commit-config.yaml: ruff, migrations that match the models, and the type hints
# of seguimiento/ (mypy with django-stubs; the settings need a SECRET_KEY, any will do here).
lint: $(VENV)/.instalado
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	env -u DATABASE_URL -u DEBUG SECRET_KEY=$(TEST_SECRET) $(PY) manage.py makemigrations --check --dry-run
	env -u DATABASE_URL -u DEBUG SECRET_KEY=$(TEST_SECRET) $(VENV)/bin/mypy

pruebas-sqlite: sistema
	env -u DATABASE_URL -u DEBUG SECRET_KEY=$(TEST_SECRET) $(VENV)/bin/pytest

pruebas-postgres: sistema
	env -u DEBUG SECRET_KEY=$(TEST_SECRET) DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest

# The whole suite on SQLite, then again on PostgreSQL when one answers on 127.0.0.1:5432.
# pytest-django creates and drops the test database itself.
test: lint pruebas-sqlite
	@if $(PY) -c 'import socket; socket.create_connection(("127.0.0.1", 5432), 2)' 2>/dev/null; then \
	  echo "== Segunda pasada: PostgreSQL en 127.0.0.1:5432 =="; \
	  $(MAKE) --no-print-directory pruebas-postgres; \
	else \
	  echo "PostgreSQL no responde en 127.0.0.1:5432: se omite la pasada sobre PostgreSQL."; \
	fi

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
