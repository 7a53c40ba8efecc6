# Sourced by ./durable and .ci/run: points JAVA_HOME at a JDK 21 or newer (the newest found) and
# puts it first on PATH. The default `java` on some machines is 17, too old for virtual threads.
# DURABLE_JDK_SEARCH_DIRS (space-separated) replaces the directories searched. Sets
# DURABLE_JAVA_MAJOR to the chosen JDK's major version.

durable_java_major() { # prints the major version of the java binary given, or nothing
  # A JDK's release file says its version without starting a JVM (each start costs ~100 ms);
  # it is read with shell builtins only, as the launcher runs this before every start.
  local home="${1%/bin/java}" line v
  if [ -f "$home/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      if [[ "$line" =~ ^JAVA_VERSION=\"?([0-9]+)(\.([0-9]+))? ]]; then
        v="${BASH_REMATCH[1]}"
        [ "$v" = 1 ] && v="${BASH_REMATCH[3]}" # 1.8 is Java 8
        printf '%s\n' "$v"
        return
      fi
    done < "$home/release"
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
    local on_path; on_path=$(readlink -f "$(command -v java)")
    candidates+=("${on_path%/bin/java}")
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
  DURABLE_JAVA_MAJOR="$best_major"
}
