# Seguimiento: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/seguimiento
TEST_SECRET := pruebas-no-es-secreta

.PHONY: run serve test lint sistema pruebas-sqlite pruebas-motor pruebas-postgres clean

# `make run` needs only the runtime requirements; lint and tests add the development ones.
$(VENV)/.instalado: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Se necesita Python 3.11 o posterior (encontrado: " + sys.version.split()[0] + ").")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.instalado-desarrollo: $(VENV)/.instalado requirements-dev.txt
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
	@echo "Sirviendo en http://127.0.0.1:$(PORT)/ (usuarios: capturista, gerente, auditor, importador, enlace, admin; contraseña: seguimiento)"
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
lint: $(VENV)/.instalado-desarrollo
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	env -u DATABASE_URL -u DEBUG SECRET_KEY=$(TEST_SECRET) $(PY) manage.py makemigrations --check --dry-run
	env -u DATABASE_URL -u DEBUG SECRET_KEY=$(TEST_SECRET) $(VENV)/bin/mypy

# In parallel: one process per core, each with its own test database (test_<name>_gw0, _gw1…); a
# module's tests stay together in one process, so what a module builds once is built once.
# pytest's exit 5 (no test collected) fails like any other non-zero exit.
# ALMACEN=s3 keeps the private files in a bucket of moto's S3 server (PRUEBAS_ALMACEN, tests/conftest.py).
PYTEST := $(VENV)/bin/pytest -n auto --dist loadscope
MARCAS ?=
ALMACEN ?=

pruebas-sqlite: sistema $(VENV)/.instalado-desarrollo
	env -u DATABASE_URL -u DEBUG SECRET_KEY=$(TEST_SECRET) $(if $(ALMACEN),PRUEBAS_ALMACEN=$(ALMACEN)) \
	  $(PYTEST) $(if $(MARCAS),-m "$(MARCAS)")

pruebas-postgres: sistema $(VENV)/.instalado-desarrollo
	env -u DEBUG SECRET_KEY=$(TEST_SECRET) DATABASE_URL=$(PG_URL) $(PYTEST)

# With PostgreSQL on 127.0.0.1:5432: the whole suite there (private files on the local disk) and, at
# the same time, on SQLite with private files on S3 (moto's server) only the tests whose results
# depend on the engine (marker `motor`: migrations, triggers, search, dates, locking) or that touch
# private files (marker `archivos`), not `volumen`: every file-touching test runs on both backends,
# except the browser journeys (`navegador`), whose files go through the same views on local disk only.
# Running both at once fills the cores while browser tests wait on pages; each pass prints its output
# whole when it ends (--output-sync). Without PostgreSQL: the whole suite on SQLite and the local
# disk. pytest-django creates and drops the test databases itself.
test: lint
	@if $(PY) -c 'import socket; socket.create_connection(("127.0.0.1", 5432), 2)' 2>/dev/null; then \
	  echo "== A la vez: SQLite con S3 (las pruebas del motor y de archivos) y PostgreSQL en 127.0.0.1:5432 (todas) =="; \
	  $(MAKE) --no-print-directory -j2 --output-sync=target pruebas-motor pruebas-postgres; \
	else \
	  echo "PostgreSQL no responde en 127.0.0.1:5432: todas las pruebas sobre SQLite."; \
	  $(MAKE) --no-print-directory pruebas-sqlite; \
	fi

pruebas-motor:
	@echo "== SQLite con archivos en S3: las pruebas que dependen del motor o tocan archivos (marcas motor, archivos) =="
	@$(MAKE) --no-print-directory pruebas-sqlite MARCAS="(motor or (archivos and not navegador)) and not volumen" ALMACEN=s3

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
