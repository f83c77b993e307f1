# The shegong API (and CLI) for docker-compose.yml: Python 3.11, the package, the corpus.

# The explorer at / and GraphiQL's assets (gql/static/dist, not in git), built as
# `make web` builds them: npm ci from web's lock file, then esbuild. The image that
# serves them has no Node.
FROM node:20-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/build.mjs ./
COPY web/src ./src
RUN node build.mjs

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# The dependency layer: the lock file alone (exact versions, hashes checked), so a change
# to the code reuses it. `make lock` rewrites requirements.lock from pyproject.toml.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock \
    && useradd --create-home --uid 10001 shegong
# The package itself, without touching the dependencies installed above.
COPY pyproject.toml README.md ./
COPY schema ./schema
COPY graph ./graph
COPY loaders ./loaders
COPY gql ./gql
COPY --from=web /src/gql/static/dist ./gql/static/dist
RUN pip install --no-deps .
COPY data ./data

USER shegong
EXPOSE 8000
# Neo4j credentials come from NEO4J_AUTH (or NEO4J_USER/NEO4J_PASSWORD) at run time.
CMD ["shegong", "--store", "bolt://neo4j:7687", "serve", "--host", "0.0.0.0", "--port", "8000"]
