# syntax=docker/dockerfile:1
# Build stage: dev dependencies, compile TypeScript (nest build + migrations) into dist/.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime stage: production dependencies only, compiled code (the app and dist/migrations), views and static
# files; runs as a non-root user.
# scripts/container-smoke.sh replays this stage without Docker: it reads the COPY lines below and the HEALTHCHECK
# and CMD (keep those two in JSON form), runs `npm ci --omit=dev` and makes the backups directory itself, and skips
# the PostgreSQL client install (it uses the machine's) — change that script if a RUN line here changes.
FROM node:24-slim AS runtime
# pg_dump and pg_restore for `node dist/database/cli.js backup|restore`: of the server's major or newer (pg_dump
# refuses a newer server; compose runs postgres:18), from the PostgreSQL project's apt repository (PGDG), whose
# signing key comes with Debian's postgresql-common. Installed under /usr/lib/postgresql/$PG_MAJOR/bin, where the
# CLI looks first. A server of another major: build with --build-arg PG_MAJOR=<its major> (or newer).
ARG PG_MAJOR=18
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates postgresql-common \
    && . /etc/os-release \
    && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt ${VERSION_CODENAME}-pgdg main" \
       > /etc/apt/sources.list.d/pgdg.list \
    && apt-get update \
    && apt-get install -y --no-install-recommends "postgresql-client-${PG_MAJOR}" \
    && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    SEED_DEMO_DATA=false \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# `backup` writes to backups/ under the working directory: mount a volume here (compose's backup service does).
RUN install -d -o node -g node /app/backups
COPY --from=build /app/dist ./dist
COPY views ./views
COPY public ./public
USER node
EXPOSE 3000
# Liveness only (the process serves requests); readiness (/health/ready) is for load balancers. The slim image has
# no curl or wget, so Node's fetch does it. PORT is read at check time, so `-e PORT=…` keeps it right.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# DATABASE_URL is required here: the embedded PostgreSQL is a development convenience (a dev dependency).
# Migrations: applied on start unless MIGRATE_ON_START=false; or once, by `node dist/database/cli.js migrate`.
# A young generation of 8 MB semi-spaces keeps the process near 200 MB under load (Node 24 sizes it by the
# machine's memory: about 290 MB otherwise) for under a millisecond of extra GC per request (README, Benchmarks).
CMD ["node", "--max-semi-space-size=8", "dist/start.js"]
