#!/usr/bin/env bash
# Smoke test of the compose deployment against the real Temporal server:
#   cp .env.example .env && docker compose up -d --build && scripts/smoke-compose.sh
# Submits samples/talk.mp4 (mounted read-only at /samples in worker-cpu) through the REST API and waits for the
# job to end. Exit 0 when it is COMPLETED (or NEEDS_REVIEW with SMOKE_ACCEPT_REVIEW=1), 1 otherwise.
# Needs curl; python3 or jq to read JSON (python3 is tried first).
# Env: API_URL (default http://127.0.0.1:${VIDEOPIPE_API_PORT:-8080}), SOURCE (default /samples/talk.mp4),
#      ENGINE (default auto), TIMEOUT_S (default 300), SMOKE_ACCEPT_REVIEW (default 0).
set -euo pipefail

API_URL="${API_URL:-http://127.0.0.1:${VIDEOPIPE_API_PORT:-8080}}"
SOURCE="${SOURCE:-/samples/talk.mp4}"
ENGINE="${ENGINE:-auto}"
TIMEOUT_S="${TIMEOUT_S:-300}"
JOB_ID="smoke-$(date -u +%Y%m%d-%H%M%S)-$$"

say() { printf '[smoke] %s\n' "$*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

json_field() { # json_field FIELD  (reads JSON on stdin, prints a top-level field or "")
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys
try:
    v = json.load(sys.stdin).get(sys.argv[1])
except Exception:
    v = None
print("" if v is None else v)' "$1"
  elif command -v jq >/dev/null 2>&1; then
    jq -r --arg f "$1" '.[$f] // ""'
  else
    fail "needs python3 or jq to read the API's JSON"
  fi
}

command -v curl >/dev/null 2>&1 || fail "curl is not installed"

say "waiting for the api at $API_URL (readiness probe)"
for i in $(seq 1 60); do
  if curl -fsS -o /dev/null "$API_URL/actuator/health/readiness"; then break; fi
  [ "$i" -eq 60 ] && fail "the api did not become ready in 120 s: docker compose ps; docker compose logs api"
  sleep 2
done

if [ -z "${API_KEY:-}" ] && [ -f .env ]; then
  API_KEY="$(sed -n 's/^VIDEOPIPE_BOOTSTRAP_KEY=//p' .env | tail -n 1)"
fi
API_KEY="${API_KEY:-${VIDEOPIPE_BOOTSTRAP_KEY:-}}"
[ -n "$API_KEY" ] || fail "no API key: set VIDEOPIPE_BOOTSTRAP_KEY in .env (then docker compose up -d api) or API_KEY"

say "submitting $SOURCE as job $JOB_ID (engine $ENGINE)"
body="{\"sourceUrl\": \"$SOURCE\", \"jobId\": \"$JOB_ID\", \"engine\": \"$ENGINE\"}"
response="$(curl -sS -w '\n%{http_code}' -X POST "$API_URL/api/v1/jobs" -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' -d "$body")" \
  || fail "could not reach $API_URL/api/v1/jobs"
code="$(printf '%s' "$response" | tail -n 1)"
payload="$(printf '%s' "$response" | sed '$d')"
case "$code" in
  200|201|202) say "accepted (HTTP $code)" ;;
  *) fail "submission answered HTTP $code: $payload" ;;
esac

deadline=$(( $(date +%s) + TIMEOUT_S ))
last=""
while :; do
  view="$(curl -sS -H "X-API-Key: $API_KEY" "$API_URL/api/v1/jobs/$JOB_ID")" || fail "could not read job $JOB_ID"
  status="$(printf '%s' "$view" | json_field status)"
  step="$(printf '%s' "$view" | json_field step)"
  percent="$(printf '%s' "$view" | json_field percent)"
  engine="$(printf '%s' "$view" | json_field engine)"
  line="$status ${percent:-?}% ${step:-} ${engine:+[$engine]}"
  [ "$line" != "$last" ] && say "$line" && last="$line"
  case "$status" in
    COMPLETED)
      say "OK: job $JOB_ID COMPLETED on the real Temporal server (see it in the Web UI, VpStatus = \"COMPLETED\")"
      exit 0 ;;
    NEEDS_REVIEW)
      if [ "${SMOKE_ACCEPT_REVIEW:-0}" = 1 ]; then say "OK: job ended NEEDS_REVIEW (accepted)"; exit 0; fi
      fail "job ended NEEDS_REVIEW (a QA check failed): $view" ;;
    FAILED|CANCELLED)
      case "$view" in
        *SourceNotAllowed*) say "hint: set VIDEOPIPE_ALLOW_LOCAL_FILES=true and VIDEOPIPE_LOCAL_ROOTS=/samples in .env and run docker compose up -d again" ;;
      esac
      fail "job ended $status: $view" ;;
  esac
  [ "$(date +%s)" -ge "$deadline" ] && fail "job $JOB_ID not ended after ${TIMEOUT_S} s (last: $line); docker compose logs worker-cpu"
  sleep 3
done
