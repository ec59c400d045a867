# syntax=docker/dockerfile:1
# One image for every hub service. Which one runs is chosen when the container starts:
#
#   docker build -t data-hub:local .                      # all services in one image
#   docker run -e SERVICE=mdm data-hub:local              # or: docker run data-hub:local mdm
#   docker build --build-arg SERVICE=ingest -t data-hub-ingest:local .   # bake a default in
#
# The topic-creation job uses the same image:
#   docker run --entrypoint node data-hub:local libs/platform/dist/cli/topics.js create

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- deps: every workspace's dependencies, dev ones included (tsc, types) ------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# npm ci needs every workspace's package.json (libs/*, services/*) to match the lockfile.
COPY package.json package-lock.json ./
COPY libs/contracts/package.json libs/contracts/
COPY libs/platform/package.json libs/platform/
COPY libs/synthetic/package.json libs/synthetic/
COPY libs/testkit/package.json libs/testkit/
COPY services/ingest/package.json services/ingest/
COPY services/mdm/package.json services/mdm/
COPY services/grouping/package.json services/grouping/
COPY services/scoring/package.json services/scoring/
COPY services/alerts/package.json services/alerts/
COPY services/portal-api/package.json services/portal-api/
# npm ci's postinstall applies these to node_modules (patch-package): see patches/README.md.
COPY patches/ patches/
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund

# ---- build: compile every lib and service with the project references ----------------------
FROM deps AS build
COPY . .
RUN npx tsc -b tsconfig.build.json \
 && test -f libs/platform/dist/cli/topics.js \
 && for main in services/*/src/main.ts; do \
      out="${main%/src/main.ts}/dist/main.js"; test -f "$out" || { echo "missing $out" >&2; exit 1; }; \
    done
# Drop dev dependencies (tsc, jest, nx, swc, testcontainers...) from node_modules, then lay
# out what the runtime needs in /out: node_modules (with the workspace links
# node_modules/@hub/* -> libs/*, services/*), every workspace's package.json, the built
# code of the libraries and services, and the Avro schemas that @hub/contracts reads at
# start. Sources, tests, tsconfig and build info stay behind.
RUN --mount=type=cache,target=/root/.npm \
    npm prune --omit=dev --no-audit --no-fund \
 && mkdir -p /out \
 && cp -a package.json package-lock.json node_modules /out/ \
 && for ws in libs/* services/*; do \
      mkdir -p "/out/$ws" && cp -a "$ws/package.json" "/out/$ws/"; \
      if [ -d "$ws/node_modules" ]; then cp -a "$ws/node_modules" "/out/$ws/"; fi; \
    done \
 && for ws in libs/contracts libs/platform services/*; do cp -a "$ws/dist" "/out/$ws/"; done \
 && cp -a libs/contracts/schemas /out/libs/contracts/ \
 && mkdir -p /out/scripts/lib /out/deploy/docker \
 && cp scripts/lib/services.mjs scripts/lib/services.json /out/scripts/lib/ \
 && cp deploy/docker/entrypoint.mjs deploy/docker/healthcheck.mjs /out/deploy/docker/

# ---- runtime ---------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# tini as PID 1: forwards SIGTERM to node (graceful shutdown) and reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    HTTP_HOST=0.0.0.0 \
    KAFKAJS_NO_PARTITIONER_WARNING=1
# The service this image starts when neither SERVICE nor an argument says otherwise.
ARG SERVICE=""
ENV SERVICE=${SERVICE}
# Owned by root and read-only for the service user: the code cannot be changed at run time.
COPY --from=build /out/ /app/

USER node
EXPOSE 3000 3001 3002 3003 3004 3005
# Probes /health/live on the service's HTTP_PORT (or its default port from services.mjs).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "deploy/docker/healthcheck.mjs"]
# entrypoint.mjs runs services/<SERVICE>/dist/main.js in the same node process.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--enable-source-maps", "deploy/docker/entrypoint.mjs"]
CMD []
