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
# and CMD (keep those two in JSON form), and runs `npm ci --omit=dev` itself — change that script if this RUN changes.
FROM node:24-slim AS runtime
ENV NODE_ENV=production \
    SEED_DEMO_DATA=false \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
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
CMD ["node", "dist/start.js"]
