#!/usr/bin/env bash
# Load benchmark of `./durable dev` with the samples' Counter (storage get+put per request):
# start-up time, (a) one hot object and (b) 1,000 objects at random with wrk (16 connections,
# 10 s each, each right after a warm-up run of the same load), then 10,000 fresh objects touched (also
# after a warm-up run) and the resident memory after, then the WebSocket fan-out of the ChatRoom
# sample (50 clients x 40 messages, three runs after a warm-up run). Prints numbers.
# Usage: scripts/bench-http.sh [seconds per wrk run]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
duration="${1:-10}"
. "$root/scripts/find-jdk.sh"; durable_find_jdk
if ! command -v wrk >/dev/null; then
  echo "Installing wrk (Debian package)..." >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq wrk >/dev/null; fi
fi
"$root/durable" --help >/dev/null   # builds if needed, outside the timing
state="$(mktemp -d)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$state"' EXIT

start=$(date +%s%N)
"$root/durable" dev --port "$port" --state "$state" --log-level warn --no-reload >/dev/null 2>&1 &
pid=$!
until curl -sf -o /dev/null "$url/counter/startup"; do sleep 0.01; done
echo "start-up to first served request: $(( ($(date +%s%N) - start) / 1000000 )) ms"

# Each measured run comes right after an unmeasured warm-up run of the same load: the JIT compiles
# the request path, and (b)'s 1,000 objects are created and live (an object idle for 10 s is
# evicted, so (b) measured after (a) would first reopen 1,000 databases).
echo "(a) one hot object, 16 connections, ${duration} s:"
wrk -t2 -c16 -d"${duration}s" -s "$root/scripts/bench/hot-counter.lua" "$url" >/dev/null
wrk -t2 -c16 -d"${duration}s" --latency -s "$root/scripts/bench/hot-counter.lua" "$url" | grep -E "Requests/sec|99%|Non-2xx|Socket errors"
echo "(b) 1,000 objects at random, 16 connections, ${duration} s:"
wrk -t2 -c16 -d"${duration}s" -s "$root/scripts/bench/random-counter.lua" "$url" >/dev/null
wrk -t2 -c16 -d"${duration}s" --latency -s "$root/scripts/bench/random-counter.lua" "$url" | grep -E "Requests/sec|99%|Non-2xx|Socket errors"
# Fresh objects, like (a) and (b): an unmeasured run of the same load first (10,000 other fresh
# counters, so the JIT has compiled the path that creates, opens and closes databases), then a wait
# past the idle timeout (those objects evicted, their databases closed), then the measured run.
java "$root/scripts/bench/TouchObjects.java" "$url" 10000 warm >/dev/null
sleep 12
echo "10,000 fresh objects, 16 connections:"
java "$root/scripts/bench/TouchObjects.java" "$url" 10000 fresh
echo "resident memory after: $(( $(ps -o rss= -p "$pid") / 1024 )) MB (java heap capped by the launcher)"
sleep 12   # past the idle timeout: instances evicted
echo "resident memory 12 s later (idle objects evicted): $(( $(ps -o rss= -p "$pid") / 1024 )) MB"
# WebSocket fan-out, like the rest after an unmeasured run of the same load: on a fresh server the
# first run measures the JIT compiling the WebSocket path (about half the steady rate).
# A run lasts well under a second, so one run is at the mercy of a GC or a compile: three, all shown.
echo "WebSocket fan-out, ChatRoom, 50 clients x 40 messages (three runs):"
java "$root/scripts/bench/ChatFanout.java" "ws://127.0.0.1:$port" 50 40 >/dev/null
for run in 1 2 3; do
  java "$root/scripts/bench/ChatFanout.java" "ws://127.0.0.1:$port" 50 40
done
