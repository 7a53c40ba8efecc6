#!/usr/bin/env bash
# WebSocket fan-out of the ChatRoom sample with two clients in separate processes: the Node `ws`
# library (the most used WebSocket client; it negotiates permessage-deflate, as browsers do) and
# ChatFanout.java (a minimal client that offers no compression). 50 clients x 40 messages, one
# unmeasured warm-up run of each, then three measured runs of each, alternating. Prints the load
# average before and after: the numbers mean little without it on a shared machine.
# Usage: scripts/bench-fanout.sh [extra durable dev options, e.g. --websocket-compress-min off]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/find-jdk.sh"; durable_find_jdk
ws_version=8.23.1
client_dir="$root/target/bench-ws"
if [ ! -f "$client_dir/node_modules/ws/package.json" ] \
    || ! grep -q "\"version\": \"$ws_version\"" "$client_dir/node_modules/ws/package.json"; then
  command -v npm >/dev/null || { echo "bench-fanout: npm is needed to install the ws client" >&2; exit 1; }
  mkdir -p "$client_dir"
  echo '{"private":true,"type":"module"}' >"$client_dir/package.json"
  (cd "$client_dir" && npm install --no-audit --no-fund --silent "ws@$ws_version") \
    || { echo "bench-fanout: could not install ws@$ws_version from npm" >&2; exit 1; }
fi
cp "$root/scripts/bench/chat-fanout-ws.mjs" "$client_dir/"
"$root/durable" --help >/dev/null   # builds if needed
state="$(mktemp -d)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$state"' EXIT
"$root/durable" dev --port "$port" --state "$state" --log-level warn --no-reload "$@" >/dev/null 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/counter/startup"; do sleep 0.05; done
url="ws://127.0.0.1:$port"
echo "load before: $(uptime)"
node "$client_dir/chat-fanout-ws.mjs" "$url" 50 40 >/dev/null
java "$root/scripts/bench/ChatFanout.java" "$url" 50 40 >/dev/null
for run in 1 2 3; do
  echo "node ws:    $(node "$client_dir/chat-fanout-ws.mjs" "$url" 50 40)"
  echo "ChatFanout: $(java "$root/scripts/bench/ChatFanout.java" "$url" 50 40)"
done
echo "load after:  $(uptime)"
