#!/usr/bin/env bash
# The shared deployment of deploy/compose.yaml without containers, on this machine: a Chroma
# server, the bundled corpus (or the folders given) indexed into it, then the HTTP API and
# the app answering from it, all on 127.0.0.1. Ctrl-C stops them all.
#
#   deploy/run-local.sh [FOLDER...]          (or: make deploy-local)
#
# DEPLOY_DATA (default ~/.local/share/vigilance-deploy) holds chroma/ (the server's
# database), home/ (the VIGILANCE_HOME of the indexer, the API and the app: uploads, vector
# cache), logs/ (one log per server) and run/ (one PID file per server).
# Ports: CHROMA_PORT (8000), API_PORT (8080), APP_PORT (7860).
# VIGILANCE_AUTH=user:password makes the app and the API ask for a login.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${DEPLOY_DATA:-${XDG_DATA_HOME:-$HOME/.local/share}/vigilance-deploy}"
CHROMA_PORT="${CHROMA_PORT:-8000}"
API_PORT="${API_PORT:-8080}"
APP_PORT="${APP_PORT:-7860}"
HOST=127.0.0.1

say() { echo "run-local: $*" >&2; }

# The project's environment (make install) first, then whatever is on PATH.
if [[ -x "$ROOT/.venv/bin/vigilance" ]]; then PATH="$ROOT/.venv/bin:$PATH"; fi
for program in chroma vigilance python; do
  command -v "$program" >/dev/null || { say "$program not found: run make install first"; exit 1; }
done
command -v setsid >/dev/null || { say "setsid not found: install util-linux"; exit 1; }

mkdir -p "$DATA/chroma" "$DATA/home" "$DATA/logs" "$DATA/run"
DATA="$(cd "$DATA" && pwd)"
# One deployment per data folder: a second one would fight over the same database.
for pidfile in "$DATA"/run/*.pid; do
  [[ -e "$pidfile" ]] || continue
  if kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    say "$(basename "$pidfile" .pid) is already running from $DATA (pid $(cat "$pidfile"))"
    exit 1
  fi
  rm -f "$pidfile"
done

export VIGILANCE_HOME="$DATA/home"
export VIGILANCE_CHROMA_URL="http://$HOST:$CHROMA_PORT"
export GRADIO_ANALYTICS_ENABLED=False

pids=()
stop_all() {
  trap - EXIT INT TERM
  local i
  # The last started first: the API and the app finish their writes before Chroma stops.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
  rm -f "$DATA"/run/*.pid
  say "stopped"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# NAME COMMAND...: started in the background, output to logs/NAME.log, PID in run/NAME.pid;
# in a session of its own, so that Ctrl-C reaches this script alone and stop_all stops the
# servers in order.
start() {
  local name=$1
  shift
  setsid "$@" </dev/null >"$DATA/logs/$name.log" 2>&1 &
  pids+=("$!")
  echo "$!" >"$DATA/run/$name.pid"
}

# NAME URL: wait until URL answers; stop everything if NAME exits or stays silent 3 minutes.
wait_for() {
  local name=$1 url=$2 pid
  pid="$(cat "$DATA/run/$name.pid")"
  for _ in $(seq 360); do
    if python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
      "$url" 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      say "$name exited; the end of $DATA/logs/$name.log:"
      tail -n 20 "$DATA/logs/$name.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  say "$name did not answer on $url within 3 minutes; see $DATA/logs/$name.log"
  exit 1
}

start chroma chroma run --path "$DATA/chroma" --host "$HOST" --port "$CHROMA_PORT"
wait_for chroma "$VIGILANCE_CHROMA_URL/api/v2/heartbeat"

if (($# > 0)); then
  say "indexing $* into the Chroma server"
else
  say "indexing the bundled corpus into the Chroma server"
fi
vigilance index "$@"

start api vigilance api --host "$HOST" --port "$API_PORT"
start app vigilance serve --host "$HOST" --port "$APP_PORT"
wait_for api "http://$HOST:$API_PORT/health"
wait_for app "http://$HOST:$APP_PORT/"

login="none (set VIGILANCE_AUTH=user:password to require one)"
if [[ -n "${VIGILANCE_AUTH:-}" ]]; then login="the user and password of VIGILANCE_AUTH"; fi
cat <<EOF
Vigilance is running on this machine; Ctrl-C stops it.
  login    $login
  app      http://$HOST:$APP_PORT/
  API      http://$HOST:$API_PORT/ (reference: /docs)
  Chroma   $VIGILANCE_CHROMA_URL (database: $DATA/chroma)
  logs     $DATA/logs/   PIDs: $DATA/run/
Add a folder to the same knowledge base from another terminal:
  VIGILANCE_CHROMA_URL=$VIGILANCE_CHROMA_URL VIGILANCE_HOME=$VIGILANCE_HOME vigilance index FOLDER
EOF

# Until Ctrl-C, or until one of the servers exits (then the others are stopped too).
status=0
wait -n "${pids[@]}" || status=$?
for name in chroma api app; do
  if ! kill -0 "$(cat "$DATA/run/$name.pid")" 2>/dev/null; then
    say "$name exited (status $status); see $DATA/logs/$name.log"
  fi
done
exit 1
