#!/usr/bin/env bash
# WebSocket fan-out side by side: `durable dev`'s ChatRoom sample and the same ChatRoom on
# Miniflare (scripts/bench/miniflare-chat: same routes, frames and SQLite insert per message),
# measured by the same Node `ws` client (50 clients x 40 messages, one unmeasured run against
# each server, then three measured runs each, alternating). Installs pinned miniflare and ws
# into target/bench-miniflare with npm. Prints the load average before and after.
# Usage: scripts/bench-fanout-miniflare.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/find-jdk.sh"; durable_find_jdk
miniflare_version=4.20260730.0
ws_version=8.23.1
dir="$root/target/bench-miniflare"
if [ ! -f "$dir/node_modules/miniflare/package.json" ] \
    || ! grep -q "\"version\": \"$miniflare_version\"" "$dir/node_modules/miniflare/package.json"; then
  command -v npm >/dev/null || { echo "bench-fanout-miniflare: npm is needed" >&2; exit 1; }
  mkdir -p "$dir"
  echo '{"private":true,"type":"module"}' >"$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --silent "miniflare@$miniflare_version" "ws@$ws_version") \
    || { echo "bench-fanout-miniflare: could not install miniflare and ws from npm" >&2; exit 1; }
fi
cp "$root/scripts/bench/chat-fanout-ws.mjs" "$root"/scripts/bench/miniflare-chat/*.mjs "$dir/"
"$root/durable" --help >/dev/null   # builds if needed
state="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ours=$(free_port); theirs=$(free_port)
trap 'kill $pid $mfpid 2>/dev/null || true; wait $pid $mfpid 2>/dev/null || true; rm -rf "$state"' EXIT
"$root/durable" dev --port "$ours" --state "$state" --log-level warn --no-reload >/dev/null 2>&1 &
pid=$!
node "$dir/serve.mjs" "$theirs" >"$state/miniflare.log" 2>&1 &
mfpid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$ours/counter/startup"; do sleep 0.05; done
until grep -q ready "$state/miniflare.log"; do
  kill -0 $mfpid 2>/dev/null || { cat "$state/miniflare.log" >&2; exit 1; }; sleep 0.05
done
echo "load before: $(uptime)"
node "$dir/chat-fanout-ws.mjs" "ws://127.0.0.1:$ours" 50 40 >/dev/null
node "$dir/chat-fanout-ws.mjs" "ws://127.0.0.1:$theirs" 50 40 >/dev/null
for run in 1 2 3; do
  echo "durable dev: $(node "$dir/chat-fanout-ws.mjs" "ws://127.0.0.1:$ours" 50 40)"
  echo "miniflare:   $(node "$dir/chat-fanout-ws.mjs" "ws://127.0.0.1:$theirs" 50 40)"
done
echo "load after:  $(uptime)"
