#!/usr/bin/env bash
# Measures `npm start` from the command to the printed URLs: cold (no build, no database: initdb, migrate, seed)
# and warm (build and data present). Uses a scratch port and data directory; prints seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
export PORT="${PORT:-3777}" EMBEDDED_DATABASE_PORT="${EMBEDDED_DATABASE_PORT:-54377}"
export EMBEDDED_DATABASE_DIR=".data/bench-start"
unset DATABASE_URL

run() {
  local label=$1 log
  log=$(mktemp)
  local start
  start=$(date +%s.%N)
  setsid npm start >"$log" 2>&1 &
  local pid=$!
  until grep -q "API docs" "$log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.05
  done
  printf '%-5s %.1f s\n' "$label" "$(echo "$(date +%s.%N) - $start" | bc)"
  kill -TERM -- "-$pid" # the whole process group: npm, node and its PostgreSQL
  wait "$pid" 2>/dev/null || true
  rm -f "$log"
}

rm -rf dist "$EMBEDDED_DATABASE_DIR"
run cold
run warm
run warm
rm -rf "$EMBEDDED_DATABASE_DIR"
