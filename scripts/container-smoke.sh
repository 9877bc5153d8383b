#!/usr/bin/env bash
# Container smoke test without Docker: replays the Dockerfile and compose.yaml in temporary directories.
#
#   context  the tracked files, minus what .dockerignore leaves out (the build context)
#   build    the build stage: `npm ci`, `npm run build` in a copy of the context
#   runtime  the runtime stage: the Dockerfile's own COPY lines (read from the Dockerfile, so a file the runtime
#            stage forgets is missing here too), `npm ci --omit=dev` and the backups directory; then, on a fresh
#            database of the machine's PostgreSQL, compose.yaml's migrate command, its backup command and a restore
#            of that backup (--force, over the same database), the image's CMD with the app service's environment
#            (MIGRATE_ON_START=false), /health/ready, the HEALTHCHECK command, one API request, one page and its
#            /assets/ files, SIGTERM and the exit status.
#
# Not replayed: `USER node` (runs as the current user), the base image (uses the project's Node.js 24, the `node`
# dev dependency installed by `npm ci`, as node:24-slim has Node.js 24), the apt-get install of the PostgreSQL
# client (said when skipped: backup and restore use the machine's pg_dump/pg_restore, which must fit its server).
# Runtime RUN lines other than `npm ci --omit=dev …`, that install and `install -d -o node -g node <dir>` stop the
# script: teach it the new line.
#
# Environment: SMOKE_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432, a server where that role may create
# databases), SMOKE_KEEP=1 keeps the temporary directory. Uses the npm cache (~/.npm) with --prefer-offline.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
PG_BASE="${SMOKE_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
READY_SECONDS=60
STOP_SECONDS=20

# The image's Node.js is 24; the machine's may be older. The project's own Node.js 24 (dev dependency) goes first.
NODE24="$REPO/node_modules/node/bin/node"
[ -x "$NODE24" ] || { echo "container-smoke: $NODE24 missing: run npm ci first" >&2; exit 1; }
export PATH="$(dirname "$NODE24"):$PATH"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/container-smoke.XXXXXX")"
CONTEXT="$WORK/context" BUILD="$WORK/build" RUNTIME="$WORK/runtime" PLAN="$WORK/plan"
DB="container_smoke_$(date +%s)_$$"
APP_PID=""
DB_CREATED=""

cleanup() {
  local status=$? since=$SECONDS
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then kill -KILL "$APP_PID" 2>/dev/null || true; fi
  if [ -n "$DB_CREATED" ]; then
    psql "$PG_BASE/postgres" -qX -v ON_ERROR_STOP=1 -c "drop database if exists \"$DB\" with (force)" >/dev/null ||
      echo "container-smoke: could not drop database $DB" >&2
  fi
  if [ "${SMOKE_KEEP:-}" = 1 ]; then
    echo "container-smoke: kept $WORK"
  else
    rm -rf "$WORK"
    echo "container-smoke: removed the temporary directory and database in $((SECONDS - since)) s"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

START_NS=$(date +%s%N)
STEP_NS=$START_NS
STEP_NAME=""
TIMINGS=()
step() {
  local now
  now=$(date +%s%N)
  [ -n "$STEP_NAME" ] && TIMINGS+=("$(printf '%6.1f s  %s' "$(((now - STEP_NS) / 1000000))e-3" "$STEP_NAME")")
  STEP_NAME="$*" STEP_NS=$now
  [ -n "$STEP_NAME" ] && printf '\n-- container-smoke: %s\n' "$*"
  return 0
}
fail() {
  echo "container-smoke: FAILED: $*" >&2
  if [ -f "$WORK/app.log" ]; then
    echo "--- last lines of the app's output ---" >&2
    tail -n 30 "$WORK/app.log" >&2
  fi
  exit 1
}

step "build context: tracked files minus .dockerignore"
mkdir -p "$CONTEXT" "$PLAN"
git ls-files -z --cached | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$CONTEXT"
(
  cd "$CONTEXT"
  shopt -s nullglob dotglob
  while IFS= read -r pattern || [ -n "$pattern" ]; do
    pattern="${pattern#"${pattern%%[![:space:]]*}"}" pattern="${pattern%"${pattern##*[![:space:]]}"}"
    case "$pattern" in '' | '#'*) continue ;; '!'* | *'**'*) fail ".dockerignore pattern '$pattern' is not supported here" ;; esac
    for path in $pattern; do rm -rf -- "$path"; done
  done <"$REPO/.dockerignore"
)
echo "$(find "$CONTEXT" -type f | wc -l) files"

# The plan, read from the Dockerfile (runtime = last stage) and compose.yaml, one file per item.
node - "$REPO" "$PLAN" "$PG_BASE/$DB" <<'JS'
const fs = require('node:fs');
const path = require('node:path');
const [repo, plan, databaseUrl] = process.argv.slice(2);
const YAML = require(require.resolve('yaml', { paths: [repo] }));
const die = (m) => { console.error(`container-smoke: ${m}`); process.exit(1); };

const lines = fs.readFileSync(path.join(repo, 'Dockerfile'), 'utf8').replace(/\\\r?\n/g, ' ').split(/\r?\n/);
const instructions = lines.map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
  .map((l) => { const m = /^(\w+)\s+(.*)$/.exec(l); return { op: m[1].toUpperCase(), args: m[2] }; });
const stages = [];
for (const i of instructions) {
  if (i.op === 'FROM') stages.push({ from: i.args, steps: [] });
  else stages.at(-1)?.steps.push(i);
}
const build = stages.find((s) => /\bAS\s+build$/i.test(s.from)) ?? die('no "AS build" stage');
const runtime = stages.at(-1);
const buildDir = build.steps.filter((s) => s.op === 'WORKDIR').at(-1)?.args ?? die('build stage has no WORKDIR');
const steps = [];
const env = {};
let healthcheck;
let cmd;
let workdir = '/';
for (const { op, args } of runtime.steps) {
  if (op === 'WORKDIR') workdir = args;
  if (op === 'COPY') {
    const words = args.split(/\s+/);
    const from = words[0].startsWith('--from=') ? words.shift().slice('--from='.length) : '';
    if (words.some((w) => w.startsWith('--'))) die(`COPY option not supported: ${args}`);
    if (from && from !== 'build') die(`COPY --from=${from}: only the build stage is known`);
    const dest = words.pop();
    for (const src of words) {
      if (from && !src.startsWith(buildDir + '/')) die(`COPY --from=build ${src}: not under ${buildDir}/`);
      steps.push(['copy', from ? 'build' : 'context', from ? src.slice(buildDir.length + 1) : src,
        words.length > 1 && !dest.endsWith('/') ? dest + '/' : dest]);
    }
  } else if (op === 'RUN') {
    const directory = /^install -d -o node -g node (\S+)$/.exec(args)?.[1];
    if (/^npm ci --omit=dev\b/.test(args)) steps.push(['npm-ci-omit-dev']);
    else if (/^apt-get update\b.* "?postgresql-client-\$\{PG_MAJOR\}"? /.test(args)) steps.push(['skip-pg-client']);
    else if (directory?.startsWith(workdir + '/')) steps.push(['mkdir', directory.slice(workdir.length + 1)]);
    else die(`runtime RUN not replayed by this script: ${args}`);
  } else if (op === 'ENV') {
    for (const pair of args.split(/\s+/)) {
      const m = /^(\w+)=(\S*)$/.exec(pair) ?? die(`ENV form not supported: ${args}`);
      env[m[1]] = m[2];
    }
  } else if (op === 'HEALTHCHECK') {
    const m = /\bCMD\s+(\[.*\])$/.exec(args) ?? die('HEALTHCHECK must use the JSON (exec) form of CMD');
    healthcheck = JSON.parse(m[1]);
  } else if (op === 'CMD') {
    cmd = JSON.parse(args);
  } else if (!['WORKDIR', 'USER', 'EXPOSE', 'LABEL', 'ARG'].includes(op)) {
    die(`runtime instruction not replayed by this script: ${op} ${args}`);
  }
}
if (!cmd) die('the runtime stage has no CMD (JSON form)');
if (!healthcheck) die('the runtime stage has no HEALTHCHECK');

const compose = YAML.parse(fs.readFileSync(path.join(repo, 'compose.yaml'), 'utf8'), { merge: true });
// ${VAR:-default} and ${VAR} as compose reads them (from this environment, else the default).
const interpolate = (v) => String(v).replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, name, def) => process.env[name] || def || '');
const serviceEnv = (name) => {
  const e = compose.services?.[name]?.environment ?? die(`compose.yaml: service ${name} has no environment`);
  const out = Object.fromEntries(Object.entries(e).map(([k, v]) => [k, interpolate(v)]));
  if (!out.DATABASE_URL?.includes('@postgres:')) die(`compose.yaml: ${name}'s DATABASE_URL does not name the postgres service`);
  out.DATABASE_URL = databaseUrl;
  return out;
};
const migrate = compose.services?.migrate?.command ?? die('compose.yaml: no migrate service with a command');
if (!Array.isArray(migrate)) die('compose.yaml: the migrate command must be a list');
const backup = compose.services?.backup?.command ?? die('compose.yaml: no backup service with a command');
if (!Array.isArray(backup) || backup.at(-1) !== 'backup') die('compose.yaml: the backup command must be a list ending in backup');
if (!compose.services.backup.volumes?.some((v) => String(v).endsWith(`:${workdir}/backups`)))
  die(`compose.yaml: the backup service mounts nothing on ${workdir}/backups`);
if (compose.services.app?.command) die('compose.yaml: the app service overrides the CMD; replay that instead');

const envLines = (o) => Object.entries(o).map(([k, v]) => `${k}=${v}`).join('\0') + '\0';
const nul = (a) => a.join('\0') + '\0';
fs.writeFileSync(path.join(plan, 'runtime-steps'), steps.map((s) => s.join('\t')).join('\n') + '\n');
fs.writeFileSync(path.join(plan, 'migrate-env'), envLines({ ...env, ...serviceEnv('migrate') }));
fs.writeFileSync(path.join(plan, 'app-env'), envLines({ ...env, ...serviceEnv('app') }));
fs.writeFileSync(path.join(plan, 'migrate-cmd'), nul(migrate));
fs.writeFileSync(path.join(plan, 'backup-env'), envLines({ ...env, ...serviceEnv('backup') }));
fs.writeFileSync(path.join(plan, 'backup-cmd'), nul(backup));
fs.writeFileSync(path.join(plan, 'restore-cmd'), nul([...backup.slice(0, -1), 'restore']));
fs.writeFileSync(path.join(plan, 'cmd'), nul(cmd));
fs.writeFileSync(path.join(plan, 'healthcheck'), nul(healthcheck));
JS

step "build stage: npm ci, npm run build"
cp -a "$CONTEXT" "$BUILD"
(cd "$BUILD" && timeout 600 npm ci --no-audit --no-fund --prefer-offline --loglevel=error && timeout 300 npm run build --silent) ||
  fail "build stage"

step "runtime stage: the Dockerfile's COPY and RUN lines"
mkdir -p "$RUNTIME"
while IFS=$'\t' read -r kind from src dest; do
  case "$kind" in
    skip-pg-client)
      echo "RUN apt-get … postgresql-client-\${PG_MAJOR}: skipped, the machine's pg_dump/pg_restore serve backup and restore"
      ;;
    mkdir)
      echo "RUN install -d ${from}"
      mkdir -p "$RUNTIME/$from"
      ;;
    npm-ci-omit-dev)
      echo "RUN npm ci --omit=dev"
      (cd "$RUNTIME" && timeout 600 npm ci --omit=dev --no-audit --no-fund --prefer-offline --loglevel=error) ||
        fail "npm ci --omit=dev"
      ;;
    copy)
      echo "COPY ${from} ${src} -> ${dest}"
      root="$CONTEXT"
      [ "$from" = build ] && root="$BUILD"
      [ -e "$root/$src" ] || fail "COPY $src: not in the ${from} (.dockerignore or the build left it out)"
      if [ -d "$root/$src" ]; then
        mkdir -p "$RUNTIME/$dest" && cp -a "$root/$src/." "$RUNTIME/$dest/"
      elif [[ "$dest" == */ || "$dest" == . ]]; then
        mkdir -p "$RUNTIME/$dest" && cp -a "$root/$src" "$RUNTIME/$dest"
      else
        mkdir -p "$(dirname "$RUNTIME/$dest")" && cp -a "$root/$src" "$RUNTIME/$dest"
      fi
      ;;
  esac
done <"$PLAN/runtime-steps"
echo "runtime: $(du -sh "$RUNTIME" | cut -f1) ($(du -sh "$RUNTIME/node_modules" | cut -f1) node_modules)"

mapfile -d '' MIGRATE_ENV <"$PLAN/migrate-env"
mapfile -d '' APP_ENV <"$PLAN/app-env"
mapfile -d '' MIGRATE_CMD <"$PLAN/migrate-cmd"
mapfile -d '' BACKUP_ENV <"$PLAN/backup-env"
mapfile -d '' BACKUP_CMD <"$PLAN/backup-cmd"
mapfile -d '' RESTORE_CMD <"$PLAN/restore-cmd"
mapfile -d '' CMD <"$PLAN/cmd"
mapfile -d '' HEALTHCHECK <"$PLAN/healthcheck"
PORT="$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
# A container's environment: PATH and HOME, the image's ENV, the compose service's environment.
in_container() { (cd "$RUNTIME" && exec env -i PATH="$PATH" HOME="$WORK" "$@"); }

step "compose migrate: ${MIGRATE_CMD[*]} on a fresh database"
psql "$PG_BASE/postgres" -qX -v ON_ERROR_STOP=1 -c "create database \"$DB\"" >/dev/null
DB_CREATED=1
in_container "${MIGRATE_ENV[@]}" timeout 120 "${MIGRATE_CMD[@]}" || fail "migrate"

step "compose backup: ${BACKUP_CMD[*]}, then restore --force of that file over the same database"
in_container "${BACKUP_ENV[@]}" timeout 120 "${BACKUP_CMD[@]}" | tee "$WORK/backup.log" || fail "backup"
mapfile -t BACKUPS < <(cd "$RUNTIME" && find backups -name 'therapy-sessions-*.dump')
[ "${#BACKUPS[@]}" = 1 ] || fail "backup: expected one backups/therapy-sessions-*.dump, found ${#BACKUPS[@]}"
in_container "${BACKUP_ENV[@]}" timeout 120 "${RESTORE_CMD[@]}" --file "${BACKUPS[0]}" --force |
  tee "$WORK/restore.log" || fail "restore"
grep -q '^Migrations: all [0-9]* applied\.$' "$WORK/restore.log" || fail "restore: migrations not reported all applied"

step "compose app: ${CMD[*]} (PORT=$PORT), until /health/ready answers 200 (at most ${READY_SECONDS} s)"
# Not through in_container: a backgrounded function is a shell of its own, so $! would not be the app's pid and the
# SIGTERM below would reach the shell instead of the app. The subshell execs env, which execs the app: one pid.
(cd "$RUNTIME" && exec env -i PATH="$PATH" HOME="$WORK" "${APP_ENV[@]}" PORT="$PORT" "${CMD[@]}") >"$WORK/app.log" 2>&1 &
APP_PID=$!
BASE="http://127.0.0.1:$PORT"
deadline=$((SECONDS + READY_SECONDS))
until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/health/ready")" = 200 ]; do
  kill -0 "$APP_PID" 2>/dev/null || { wait "$APP_PID" && status=0 || status=$?; fail "the app exited with status $status before it was ready"; }
  [ "$SECONDS" -lt "$deadline" ] || fail "/health/ready did not answer 200 within ${READY_SECONDS} s"
  sleep 0.5
done
echo "ready"

step "requests: HEALTHCHECK, GET /api/sessions, GET /sessions and its /assets/"
in_container "${APP_ENV[@]}" PORT="$PORT" timeout 10 "${HEALTHCHECK[@]}" || fail "the HEALTHCHECK command failed"
echo "HEALTHCHECK command: exit 0"
# Sign in as the first admin (ADMIN_EMAIL / ADMIN_PASSWORD of the app service) through the sign-in form.
env_of() { for pair in "${APP_ENV[@]}"; do [[ "$pair" == "$1="* ]] && printf '%s' "${pair#*=}"; done; }
JAR="$WORK/cookies"
csrf() { curl -s -b "$JAR" -c "$JAR" --max-time 10 "$BASE/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | cut -d'"' -f4; }
signed_in=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" -c "$JAR" --max-time 10 "$BASE/login" \
  --data-urlencode "email=$(env_of ADMIN_EMAIL)" --data-urlencode "password=$(env_of ADMIN_PASSWORD)" \
  --data-urlencode "_csrf=$(csrf)")
[ "$signed_in" = 303 ] || fail "sign-in as the first admin: status $signed_in, expected 303"
echo "signed in as $(env_of ADMIN_EMAIL)"
# Production requires two-factor sign-in of admins (MFA_REQUIRED): enrol as a person would, with a code made from
# the page's secret by the image's own otpauth.
page_csrf() { grep -o 'name="_csrf" value="[^"]*"' "$1" | head -1 | cut -d'"' -f4; }
curl -s -b "$JAR" -c "$JAR" --max-time 10 -o "$WORK/mfa.html" "$BASE/account/mfa"
if grep -q 'action="/account/mfa/setup"' "$WORK/mfa.html"; then
  curl -s -o /dev/null -b "$JAR" -c "$JAR" --max-time 10 "$BASE/account/mfa/setup" \
    --data-urlencode "_csrf=$(page_csrf "$WORK/mfa.html")"
  curl -s -b "$JAR" -c "$JAR" --max-time 10 -o "$WORK/mfa.html" "$BASE/account/mfa"
  secret=$(grep -o '<code class="mfa-secret">[^<]*' "$WORK/mfa.html" | sed 's/.*>//; s/ //g')
  [ -n "$secret" ] || fail "two-factor set-up: no secret on /account/mfa"
  code=$(in_container node -e 'import("otpauth").then(({ TOTP, Secret }) =>
    console.log(new TOTP({ secret: Secret.fromBase32(process.argv[1]) }).generate()))' "$secret")
  enrolled=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" -c "$JAR" --max-time 10 "$BASE/account/mfa/confirm" \
    --data-urlencode "code=$code" --data-urlencode "_csrf=$(page_csrf "$WORK/mfa.html")")
  [ "$enrolled" = 200 ] || fail "two-factor set-up: status $enrolled, expected 200"
  echo "two-factor sign-in set up (required in production)"
fi
get() { # get PATH EXPECTED-CONTENT-TYPE OUTFILE
  local code type
  read -r code type < <(curl -s -b "$JAR" -o "$3" -w '%{http_code} %{content_type}\n' --max-time 10 "$BASE$1")
  [ "$code" = 200 ] || fail "GET $1: status $code, expected 200"
  [[ "$type" == "$2"* ]] || fail "GET $1: content type '$type', expected $2"
  echo "GET $1: $code $type ($(wc -c <"$3") bytes)"
}
get /api/sessions application/json "$WORK/sessions.json"
node -e 'JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"))' "$WORK/sessions.json" ||
  fail "GET /api/sessions: the body is not JSON"
get /sessions text/html "$WORK/sessions.html"
grep -qi '<html' "$WORK/sessions.html" || fail "GET /sessions: no <html> in the body"
mapfile -t ASSETS < <(grep -o '"/assets/[^"?#]*' "$WORK/sessions.html" | cut -c2- | sort -u)
[ "${#ASSETS[@]}" -gt 0 ] || fail "GET /sessions: the page links no /assets/ file"
for asset in "${ASSETS[@]}"; do get "$asset" '' "$WORK/asset"; done

step "SIGTERM, until the app exits (at most ${STOP_SECONDS} s)"
kill -TERM "$APP_PID"
deadline=$((SECONDS + STOP_SECONDS))
while kill -0 "$APP_PID" 2>/dev/null; do
  [ "$SECONDS" -lt "$deadline" ] || fail "the app did not exit within ${STOP_SECONDS} s of SIGTERM"
  sleep 0.2
done
wait "$APP_PID" && status=0 || status=$?
APP_PID=""
case "$status" in
  0) echo "exit status 0" ;;
  *) fail "exit status $status after SIGTERM" ;;
esac

step ""
now=$(date +%s%N)
printf '\ncontainer-smoke: OK\n'
printf '%s\n' "${TIMINGS[@]}"
printf '%6.1f s  total\n' "$(((now - START_NS) / 1000000))e-3"
