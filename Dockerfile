# syntax=docker/dockerfile:1
# Build stage: install everything, compile TypeScript to dist/.
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Production dependencies only (the `node` devDependency that pins Node for local runs is not needed:
# the base image is Node 24).
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM gcr.io/distroless/nodejs24-debian12:nonroot AS runtime
# The version comes from package.json (the one place it is written):
#   docker build --build-arg VERSION="$(node -p "require('./package.json').version")" \
#     -t ghcr.io/element-replication-operator/operator:<that version> .
ARG VERSION=0.0.0-dev
LABEL org.opencontainers.image.title="element-replication-operator" \
      org.opencontainers.image.description="Kubernetes operator that makes NetApp Element (SolidFire) remote replication declarative" \
      org.opencontainers.image.source="https://github.com/element-replication-operator/element-replication-operator" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
USER 65532:65532
EXPOSE 8080 8081
ENTRYPOINT ["/nodejs/bin/node", "dist/main.js"]
