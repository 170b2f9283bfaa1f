# The portal's production image (docs/deployment.md, "Container image").
#
#     docker build -t styrmodell .
#     docker run --rm --env-file portal.env styrmodell styrmodell-release     # once per deploy
#     docker run -d --env-file portal.env -p 8000:8000 styrmodell
#
# The wheel is built from this checkout and installed by scripts/install-portal.sh, the script
# `make package-check` installs and tries the portal with; the static files are collected (and
# compressed) at build time; gunicorn runs with the repository's config as a user without
# privileges; the health check asks the instance's /health/, which answers while the database does.

# Build: the sdist, the wheel from it, and a virtual environment holding it with its dependencies.
FROM python:3.11-slim AS build
# The same `build` as pyproject.toml's dev dependencies (a test checks that they agree).
RUN pip install --no-cache-dir --disable-pip-version-check build==1.6.1
WORKDIR /src
COPY . .
RUN BUILD_PYTHON=python PYTHON=python scripts/install-portal.sh /opt/styrmodell /tmp/dist

# Run: the virtual environment alone, on the same base image (its interpreter is the same path).
FROM python:3.11-slim
ENV PATH=/opt/styrmodell/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=styrmodell.settings \
    DJANGO_DEBUG=false \
    DJANGO_STATIC_ROOT=/opt/styrmodell/static \
    STYRMODELL_BIND=0.0.0.0:8000
COPY --from=build /opt/styrmodell /opt/styrmodell
COPY scripts/release.sh /usr/local/bin/styrmodell-release
COPY scripts/healthcheck.py /usr/local/bin/styrmodell-healthcheck
# Hashed and compressed by WhiteNoise's storage once, here; the key only lets the settings load.
RUN DJANGO_SECRET_KEY=collectstatic-at-build-time-only python -m django collectstatic --no-input -v0
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin styrmodell
USER styrmodell
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "/usr/local/bin/styrmodell-healthcheck"]
CMD ["gunicorn", "-c", "python:styrmodell.gunicorn_conf", "styrmodell.wsgi"]
