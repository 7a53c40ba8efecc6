# Sourced by ./durable and .ci/run: points JAVA_HOME at a JDK 21 or newer (the newest found) and
# puts it first on PATH. The default `java` on some machines is 17, too old for virtual threads.
# DURABLE_JDK_SEARCH_DIRS (space-separated) replaces the directories searched.

durable_java_major() { # prints the major version of the java binary given, or nothing
  # A JDK's release file says its version without starting a JVM (each start costs ~100 ms).
  local release; release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ] && grep -q '^JAVA_VERSION=' "$release"; then
    sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9]*\)[."].*/\1/p; s/^JAVA_VERSION="\{0,1\}1\.\([0-9]*\).*/\1/p' "$release" | tail -n 1
    return
  fi
  "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); if (v[1] == "1") print v[2]; else print v[1]; exit }'
}

durable_find_jdk() {
  local candidates=() best="" best_major=0 found=""
  if [ -n "${JAVA_HOME:-}" ]; then candidates+=("$JAVA_HOME"); fi
  local dirs="${DURABLE_JDK_SEARCH_DIRS:-/usr/lib/jvm /usr/local/lib/jvm /opt/java $HOME/.sdkman/candidates/java}"
  local d
  for d in $dirs; do
    for c in "$d"/*/; do [ -d "$c" ] && candidates+=("${c%/}"); done
  done
  if command -v java >/dev/null 2>&1 && [ -z "${DURABLE_JDK_SEARCH_DIRS:-}" ]; then
    local on_path; on_path=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    candidates+=("$on_path")
  fi
  local c major
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    major=$(durable_java_major "$c/bin/java")
    [ -n "$major" ] || continue
    found="$found\n  $c (Java $major)"
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$c"; best_major="$major"; fi
  done
  if [ -z "$best" ]; then
    printf 'durable needs a JDK 21 or newer and found none.\nLooked at JAVA_HOME, java on PATH and %s.\nFound:%b\nInstall one (for example: apt-get install openjdk-21-jdk) or set JAVA_HOME to it.\n' \
      "$dirs" "${found:-\n  (no JDK)}" >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}
