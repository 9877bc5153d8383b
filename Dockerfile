# syntax=docker/dockerfile:1
# Build stage: dev dependencies, compile TypeScript (nest build + migrations) into dist/.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime stage: production dependencies only, compiled code, views and static files; runs as a non-root user.
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
# DATABASE_URL is required here: the embedded PostgreSQL is a development convenience (a dev dependency).
CMD ["node", "dist/start.js"]
