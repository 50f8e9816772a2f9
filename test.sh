#!/usr/bin/env bash
# Full test run for lwp4j, in four stages, each ending in one line of totals:
#   1. mvn verify: build every module, JUnit (runtime, park-bench) -> junit: N passed, M failed, K skipped
#   2. the runtime artifacts: jar manifest, -sources, -javadoc  -> artifacts: N passed, M failed
#   3. the module path: a user module on JDK 17 and 25          -> modcheck: N passed, M failed
#   4. jcstress (stress/, sanity mode)                          -> jcstress: N passed, M failed
# A passing run prints little besides those lines; the last line is always the jcstress one.
# Every stage runs even when an earlier one failed (except when the build itself fails); the
# exit status is non-zero if any stage failed. Logs: target/test-logs/ (jcstress:
# stress/target/jcstress-run/jcstress.log).
#
#   bash test.sh
#
# Environment:
#   JCSTRESS_MODE   jcstress preset (sanity|quick|default|tough|stress), default: sanity
#   JCSTRESS_ARGS   jcstress arguments, default '-sc false' (no split per-actor compilation
#                   modes: ~5x fewer JVM runs, so the whole run stays within a few minutes on
#                   2 cores); JCSTRESS_ARGS='' runs the full matrix, '-t Park' selects tests
#   JAVA_HOME       JDK used for Maven, the first module-path run and jcstress (default: java on PATH)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JCSTRESS_MODE="${JCSTRESS_MODE:-sanity}"
JCSTRESS_ARGS="${JCSTRESS_ARGS--sc false}"
RUN_DIR="$ROOT/stress/target/jcstress-run"
LOGS="$ROOT/target/test-logs"
mkdir -p "$LOGS"
failed_stages=()

# Maven 3.8's console writes ANSI resets even in batch mode with colour off; strip them.
mvn_plain() {
  mvn -B -ntp -Dstyle.color=never "$@" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'
  return "${PIPESTATUS[0]}"
}

# ------------------------------------------------------------------ 1. build + JUnit
echo "==> [test.sh] mvn -B -ntp -q -Dmaven.test.failure.ignore=true verify (build all modules, JUnit tests)"
rm -rf runtime/target/surefire-reports park-bench/target/surefire-reports
mvn_plain -q -Dmaven.test.failure.ignore=true verify

read -r tests bad skipped < <(cat ./*/target/surefire-reports/TEST-*.xml 2>/dev/null | awk '
  /<testsuite / {
    for (i = 1; i <= NF; i++) {
      if ($i ~ /^(tests|failures|errors|skipped)="/) { split($i, kv, "\""); v[kv[1]] += kv[2] }
    }
  }
  END { print v["tests="] + 0, v["failures="] + v["errors="], v["skipped="] + 0 }')
if [ "$tests" -eq 0 ]; then
  echo "ERROR: no JUnit test ran (no */target/surefire-reports/TEST-*.xml)" >&2
  failed_stages+=(junit)
elif [ "$bad" -ne 0 ]; then
  echo "ERROR: $bad JUnit test(s) failed or errored:" >&2
  grep -l '<failure\|<error' ./*/target/surefire-reports/TEST-*.xml | sed 's|.*/TEST-|  |; s|\.xml$||' >&2
  failed_stages+=(junit)
fi
junit_line="junit: $((tests - bad - skipped)) passed, $bad failed, $skipped skipped"
echo "$junit_line"

# ------------------------------------------------------------------ 2. artifacts
echo
echo "==> [test.sh] the runtime artifacts (runtime/target)"
version="$(sed -n 's|^    <version>\(.*\)</version>|\1|p' runtime/pom.xml | head -n 1)"
art_pass=0
art_fail=0
artifact() { # artifact DESCRIPTION COMMAND...
  local what="$1"; shift
  if "$@" > /dev/null 2>&1; then
    art_pass=$((art_pass + 1))
  else
    art_fail=$((art_fail + 1))
    echo "ERROR: artifact check failed: $what" >&2
  fi
}
jar="runtime/target/lwp4j-runtime-$version.jar"
manifest="$(unzip -p "$jar" META-INF/MANIFEST.MF 2>/dev/null | tr -d '\r' || true)"
artifact "$jar exists" test -s "$jar"
artifact "manifest Implementation-Version: $version" grep -qx "Implementation-Version: $version" <<< "$manifest"
artifact "manifest Implementation-Title" grep -q '^Implementation-Title: .' <<< "$manifest"
artifact "manifest Implementation-Vendor" grep -q '^Implementation-Vendor: .' <<< "$manifest"
artifact "META-INF/LICENSE in the jar" sh -c "unzip -l '$jar' | grep -q 'META-INF/LICENSE\$'"
artifact "module-info.class in the jar" sh -c "unzip -l '$jar' | grep -q ' module-info.class\$'"
artifact "${jar%.jar}-sources.jar holds org/lwp4j/Lwp.java" \
  sh -c "unzip -l '${jar%.jar}-sources.jar' | grep -q ' org/lwp4j/Lwp.java\$'"
artifact "${jar%.jar}-javadoc.jar holds org.lwp4j/org/lwp4j/Lwp.html" \
  sh -c "unzip -l '${jar%.jar}-javadoc.jar' | grep -q 'org/lwp4j/Lwp.html\$'"
for tag in name description url licenses scm developers; do
  artifact "<$tag> in pom.xml" grep -q "<$tag>" pom.xml
done
artifact "LICENSE is the Apache License 2.0" grep -q 'Apache License' LICENSE
[ "$art_fail" -eq 0 ] || failed_stages+=(artifacts)
artifacts_line="artifacts: $art_pass passed, $art_fail failed"
echo "$artifacts_line"

# ------------------------------------------------------------------ 3. module path
echo
echo "==> [test.sh] bash modcheck/run.sh (a user module requiring org.lwp4j, JDK 17 and 25)"
if bash modcheck/run.sh > "$LOGS/modcheck.log" 2>&1; then
  grep -v '^modcheck: [0-9]* passed' "$LOGS/modcheck.log" || true
else
  grep -v '^modcheck: [0-9]* passed' "$LOGS/modcheck.log" >&2 || true
  failed_stages+=(modcheck)
fi
modcheck_line="$(grep '^modcheck: [0-9]* passed' "$LOGS/modcheck.log" || echo 'modcheck: 0 passed, 1 failed')"
echo "$modcheck_line"

# ------------------------------------------------------------------ 4. jcstress
echo
echo "==> [test.sh] jcstress -m $JCSTRESS_MODE ${JCSTRESS_ARGS:-} (in ${RUN_DIR#"$ROOT"/}; log: jcstress.log there)"
"$JAVA" -version 2>&1 | head -n 1
rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"
cd "$RUN_DIR"

# jcstress 0.16 exits non-zero when a test FAILED/ERRORed (an AssertionError escapes main),
# but exits 0 when no test matched ("FATAL: No matching tests.") or no JVM config was usable.
# So we check its exit code AND parse the RUN RESULTS section of its output.
set +e
# shellcheck disable=SC2086
"$JAVA" -jar "$ROOT/stress/target/jcstress.jar" -m "$JCSTRESS_MODE" ${JCSTRESS_ARGS:-} > jcstress.log 2>&1
rc=$?
set -e

# Per-test counts (a test = one @JCStressTest class, merged over all JVM configurations/forks).
# In RUN RESULTS, interesting/failed/error tests are printed as "...... [LABEL] name";
# the rest are only counted in "All remaining tests: K matching test results."
read -r total failed < <(awk '
  /^RUN RESULTS:/ { inres = 1; next }
  !inres { next }
  /^ *\.* *\[[A-Z ]+\] [^ ]+ *$/ {
    label = $0; sub(/^[ .]*\[/, "", label); sub(/\].*$/, "", label)
    name = $NF
    if (!(name in seen)) { seen[name] = 1; emitted++ }
    if (label != "OK" && label != "SKIPPED" && !(name in bad)) { bad[name] = 1; nbad++ }
    next
  }
  /^ *All remaining tests: [0-9]+ matching/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { remaining = $i; break } }
  END { print emitted + remaining + 0, nbad + 0 }
' jcstress.log)
passed=$((total - failed))

status=0
if ! grep -q '^RUN RESULTS:' jcstress.log; then
  echo "ERROR: jcstress produced no RUN RESULTS section; its last lines:" >&2
  tail -n 20 jcstress.log >&2
  status=1
fi
if [ "$total" -eq 0 ]; then
  echo "ERROR: jcstress ran zero tests" >&2
  status=1
fi
if [ "$failed" -ne 0 ]; then
  echo "ERROR: $failed jcstress test(s) failed or errored (report: $RUN_DIR/results/index.html):" >&2
  sed -n '/^RUN RESULTS:/,$p' jcstress.log | grep '\[\(FAILED\|ERROR\|[A-Z ]*FAIL[A-Z ]*\)\]' >&2 || true
  status=1
fi
if [ "$rc" -ne 0 ]; then
  echo "ERROR: jcstress exited with status $rc" >&2
  status=1
fi
[ "$status" -eq 0 ] || failed_stages+=(jcstress)

last_results="$(grep -o 'Results: [0-9]* planned;[^)]*' jcstress.log | tail -n 1 || true)"
[ -n "$last_results" ] && echo "jcstress configurations: ${last_results#Results: }"

echo
echo "==> [test.sh] totals"
echo "$junit_line"
echo "$artifacts_line"
echo "$modcheck_line"
if [ "${#failed_stages[@]}" -ne 0 ]; then
  echo "test.sh: FAILED: ${failed_stages[*]}"
fi
echo "jcstress: $passed passed, $failed failed"
[ "${#failed_stages[@]}" -eq 0 ]
