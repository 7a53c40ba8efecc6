# Sourced by ./durable for `durable init` and for `durable dev` in a user's Maven project:
# installing durable's artifacts into the local Maven repository (until they are on Maven
# Central), and a project's class path. Expects $root and the JDK chosen by find-jdk.sh.

durable_mvn() { # mvn on the JDK found; Maven 3 on JDK 24+ warns about its own use of sun.misc.Unsafe
  local opts="${MAVEN_OPTS:-}"
  [ "$DURABLE_JAVA_MAJOR" -ge 24 ] && [[ "$opts" != *sun-misc-unsafe* ]] && opts="$opts --sun-misc-unsafe-memory-access=allow"
  MAVEN_OPTS="$opts" mvn "$@"
}

durable_local_repo() { # where `mvn install` puts artifacts, as Maven decides it
  local opts="${MAVEN_OPTS:-} ${MAVEN_ARGS:-}" home="$HOME" repo=""
  if [[ "$opts" =~ -Dmaven\.repo\.local=([^ ]+) ]]; then printf '%s\n' "${BASH_REMATCH[1]}"; return; fi
  [[ "$opts" =~ -Duser\.home=([^ ]+) ]] && home="${BASH_REMATCH[1]}"
  if [ -f "$home/.m2/settings.xml" ]; then
    repo="$(sed -n 's:.*<localRepository>[[:space:]]*\([^<]*[^<[:space:]]\)[[:space:]]*</localRepository>.*:\1:p' "$home/.m2/settings.xml" | head -n 1)"
    repo="${repo//\$\{user.home\}/$home}"
  fi
  printf '%s\n' "${repo:-$home/.m2/repository}"
}

# The artifacts a durable project uses, as module directory and installed file.
durable_artifacts() {
  local version="$1" m
  printf '%s %s\n' "." "dev/durable/durable-parent/$version/durable-parent-$version.pom"
  printf '%s %s\n' "bom" "dev/durable/durable-bom/$version/durable-bom-$version.pom"
  for m in emulator explorer-api repl test-kit agents maven-plugin; do
    printf '%s %s\n' "$m" "dev/durable/durable-$m/$version/durable-$m-$version.jar"
  done
}

durable_artifacts_stale() { # true when one is missing, or installed before its module's sources changed
  local repo="$1" version="$2" module file stamp
  while read -r module file; do
    # Installing copies a file with its time; Maven's record of the install is dated by it.
    stamp="$(dirname "$repo/$file")/maven-metadata-local.xml"
    [ -f "$repo/$file" ] && [ -f "$stamp" ] || return 0
    local sources=("$root/$module/pom.xml")
    [ "$module" = . ] || sources+=("$root/pom.xml")
    [ -d "$root/$module/src/main" ] && sources+=("$root/$module/src/main")
    [ -z "$(find "${sources[@]}" -newer "$stamp" -type f -print -quit 2>/dev/null)" ] || return 0
  done < <(durable_artifacts "$version")
  return 1
}

durable_install_artifacts() {
  local version repo log
  version="$(tr -d '[:space:]' < "$root/emulator/target/classes/dev/durable/internal/cli/version.txt")"
  repo="$(durable_local_repo)"
  if ! durable_artifacts_stale "$repo" "$version"; then
    echo "durable $version is installed in $repo and up to date."
    return 0
  fi
  echo "Installing durable $version into $repo (Maven, a minute)..."
  log="$root/target/install.log"
  if ! ( cd "$root" && durable_mvn -B -ntp -Dstyle.color=never -Dmaven.test.skip=true \
      -pl bom,emulator,explorer-api,repl,test-kit,agents,maven-plugin -am install ) >"$log" 2>&1; then
    grep -E '^\[(ERROR|WARNING)\]' "$log" | head -n 40 >&2
    echo "durable init: installing durable's artifacts failed; the project is written, the whole log is in $log" >&2
    return 1
  fi
  if durable_artifacts_stale "$repo" "$version"; then
    echo "durable init: Maven installed durable, but not into $repo where this script looked;" \
      "set -Dmaven.repo.local in MAVEN_OPTS or <localRepository> in settings.xml to say where" >&2
    return 1
  fi
}

durable_print_next_steps() { # the directory as given on the command line, among the options
  local dir="" skip=false a
  for a in "$@"; do
    if $skip; then skip=false; continue; fi
    case "$a" in --name | --package) skip=true ;; -*) ;; *) dir="$a" ;; esac
  done
  local mvn_java="${user_java_home:+$user_java_home/bin/java}"
  mvn_java="${mvn_java:-$user_java}"
  local major=""
  [ -n "$mvn_java" ] && [ -x "$mvn_java" ] && major="$(durable_java_major "$(readlink -f "$mvn_java")")"
  echo
  echo "Next:"
  if [ -z "$major" ] || [ "$major" -lt 21 ]; then
    local now="no Java"
    [ -n "$major" ] && now="Java $major"
    echo "  export JAVA_HOME=$JAVA_HOME   # Maven runs on $now here; durable needs 21+"
  fi
  printf '  cd %q\n' "$dir"
  echo "  mvn test          # the tests in src/test/java"
  echo "  mvn durable:dev   # serves the worker on http://127.0.0.1:8787, reloads on change"
}

durable_project_classpath() { # the project's classes and dependencies; compiles when out of date
  local project="$1" cached="$1/target/durable-dev.classpath" log
  if [ ! -f "$cached" ] || [ ! -d "$project/target/classes" ] \
      || [ -n "$(find "$project/pom.xml" "$project/src/main" -newer "$cached" -type f -print -quit 2>/dev/null)" ]; then
    echo "Compiling $project with Maven..." >&2
    mkdir -p "$project/target"
    log="$project/target/durable-dev-build.log"
    if ! ( cd "$project" && durable_mvn -B -ntp -Dstyle.color=never compile \
        org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
        -Dmdep.outputFile=target/durable-dev.classpath -DincludeScope=runtime -DexcludeGroupIds=dev.durable ) \
        >"$log" 2>&1; then
      grep -E '^\[(ERROR|WARNING)\]' "$log" | head -n 40 >&2
      echo "durable dev: the project did not compile; the whole log is in $log" >&2
      return 1
    fi
    touch "$cached" # Maven leaves an unchanged file as it was
  fi
  # Jars durable runs on already (Jackson, SQLite, ...) stay out: one copy of each, the emulator's.
  local deps
  deps="$(tr ':' '\n' < "$cached" | awk -F/ 'NR == FNR { own[$NF] = 1; next } NF && !own[$NF]' \
    <(tr ':' '\n' < "$classpath_file") - | paste -sd: -)"
  printf '%s\n' "$project/target/classes${deps:+:$deps}"
}
