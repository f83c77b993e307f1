# The shegong API (and CLI) for docker-compose.yml: Python 3.11, the package, the corpus.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# The dependency layer: only pyproject.toml, so a change to the code reuses it.
COPY pyproject.toml ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep=chr(10))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && useradd --create-home --uid 10001 shegong
# The package itself, without touching the dependencies installed above.
COPY README.md ./
COPY schema ./schema
COPY graph ./graph
COPY loaders ./loaders
COPY gql ./gql
RUN pip install --no-deps .
COPY data ./data

USER shegong
EXPOSE 8000
# Neo4j credentials come from NEO4J_AUTH (or NEO4J_USER/NEO4J_PASSWORD) at run time.
CMD ["shegong", "--store", "bolt://neo4j:7687", "serve", "--host", "0.0.0.0", "--port", "8000"]
