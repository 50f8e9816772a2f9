#!/usr/bin/env bash
# The module-path check: a user module that `requires org.lwp4j` (modcheck/src/app) is compiled
# against runtime/target's jar and its runtime dependencies (runtime/target/lib, written by
# `mvn package`), then run with `java --module-path ... -m app/app.Main` on the default JDK and
# on a Temurin JDK 25 when one is installed (skipped with a message otherwise). No flag is given.
# A run fails on a non-zero exit, on any line with WARNING (JDK 24+ warns about
# sun.misc.Unsafe), on a missing "modcheck: ok", and when any class loaded sun.misc.Unsafe
# (JDK 17 then fails with NoClassDefFoundError: org.lwp4j does not read jdk.unsupported).
#
#   bash modcheck/run.sh          # after mvn package; prints one line per JDK and
#                                 # "modcheck: N passed, M failed"; exit 1 on any failure
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/modcheck/target"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAVAC="${JAVA_HOME:+$JAVA_HOME/bin/}javac"

jar="$(ls "$ROOT"/runtime/target/lwp4j-runtime-*.jar 2>/dev/null | grep -v -- '-sources.jar$\|-javadoc.jar$' | head -n 1)"
if [ -z "$jar" ]; then
  echo "modcheck: FAIL: no runtime/target/lwp4j-runtime-*.jar (run mvn package first)"
  echo "modcheck: 0 passed, 1 failed"
  exit 1
fi
# runtime/target/lib holds the runtime's dependencies, if it has any (it has none today)
mkdir -p "$ROOT/runtime/target/lib"
MP="$jar:$ROOT/runtime/target/lib"

rm -rf "$OUT" && mkdir -p "$OUT/classes"
if ! "$JAVAC" --release 17 -d "$OUT/classes" --module-path "$MP" \
     $(find "$ROOT/modcheck/src/app" -name '*.java') > "$OUT/javac.log" 2>&1; then
  echo "modcheck: FAIL: the app module does not compile against $jar:"
  cat "$OUT/javac.log"
  echo "modcheck: 0 passed, 1 failed"
  exit 1
fi

passed=0
failed=0
# check NAME JAVA: run the app module on that java, judge its output
check() {
  local name="$1" java="$2" log="$OUT/run-$1.log" classes="$OUT/classes-$1.log" why=""
  "$java" -Xlog:class+load=info:file="$classes" --module-path "$OUT/classes:$MP" -m app/app.Main > "$log" 2>&1
  local rc=$?
  if grep -q ' sun\.misc\.Unsafe ' "$classes" 2>/dev/null || grep -q 'sun/misc/Unsafe' "$log"; then
    why="a class touched sun.misc.Unsafe (user modules cannot reach it; JDK 24+ warns):"
    local user
    user="$(grep -m 1 -o 'org\.lwp4j@[^/]*/[^ ]*' "$log" | sed 's|^[^/]*/||')"
    [ -n "$user" ] && why="$why first reached from $user"
  elif [ "$rc" -ne 0 ]; then
    why="exit status $rc"
  elif grep -q 'WARNING' "$log"; then
    why="the JVM printed a warning"
  elif ! grep -qx 'modcheck: ok' "$log"; then
    why="no 'modcheck: ok' line"
  fi
  if [ -z "$why" ]; then
    passed=$((passed + 1))
    echo "modcheck: $name ok ($("$java" -version 2>&1 | head -n 1))"
  else
    failed=$((failed + 1))
    echo "modcheck: $name FAILED: $why"
    local rel="${MP//"$ROOT/"/}"
    echo "  $java --module-path modcheck/target/classes:$rel -m app/app.Main printed:"
    sed -n '1,8s/^/  | /p' "$log"
  fi
}

check "jdk$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')" "$JAVA"
JDK25=""
for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25*; do
  if [ -x "$d/bin/java" ]; then JDK25="$d"; break; fi
done
if [ -n "$JDK25" ]; then
  check jdk25 "$JDK25/bin/java"
else
  echo "modcheck: jdk25 skipped: no /usr/lib/jvm/temurin-25* JDK found"
fi
echo "modcheck: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
