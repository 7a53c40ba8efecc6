#!/usr/bin/env bash
# Start-up of `./durable dev` (the samples) on state where many objects have facets.
#   scripts/bench-facet-startup.sh make STATE [sessions]
#     makes STATE: that many AgentSession sessions (1,000 unless given), each of which ran the
#     message "Research lisbon", so each has a Researcher sub-agent on a facet (no facet alarm).
#   scripts/bench-facet-startup.sh start STATE
#     starts on STATE and prints the time from launching the command to the first served request,
#     then the open files of the server process (and how many are under .facets/), then and 5 s later.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mode="${1:?usage: $0 make|start STATE [sessions]}"
state="${2:?usage: $0 make|start STATE [sessions]}"
sessions="${3:-1000}"
"$root/durable" --help >/dev/null   # builds if needed, outside the timing
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT

start=$(date +%s%N)
"$root/durable" dev --port "$port" --state "$state" --log-level warn --no-reload >/dev/null 2>&1 &
pid=$!
until curl -sf -o /dev/null "$url/counter/startup"; do sleep 0.01; done
if [ "$mode" = start ]; then
  echo "start-up to first served request: $(( ($(date +%s%N) - start) / 1000000 )) ms"
  open_files() {
    echo "$(find "/proc/$pid/fd" -mindepth 1 | wc -l), under .facets/:" \
      "$(find "/proc/$pid/fd" -mindepth 1 -lname '*.facets/*' | wc -l)"
  }
  echo "open files: $(open_files)"
  sleep 5   # past the first idle-eviction pass (every 2.5 s with the 10 s idle timeout)
  echo "open files 5 s later: $(open_files)"
  exit 0
fi

# One curl, one keep-alive connection: every URL gets the same POST.
mapfile -t sessions_urls < <(for i in $(seq 1 "$sessions"); do echo "$url/agents/bench-$i"; done)
curl -sf -X POST -d '{"text": "Research lisbon"}' "${sessions_urls[@]/%//messages}" >/dev/null
for _ in $(seq 1 600); do   # runs finish in the background; each reports to its researcher
  done_runs=$(curl -sf "${sessions_urls[@]/%//runs/1}" | grep -o '"status":"done"' | wc -l)
  [ "$done_runs" -eq "$sessions" ] && break
  sleep 0.5
done
echo "made $sessions sessions in $state ($done_runs runs done)"
