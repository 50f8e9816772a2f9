#!/usr/bin/env bash
# Full test run for lwp4j: build everything + JUnit (runtime), then jcstress.
#
#   bash test.sh
#
# Environment:
#   JCSTRESS_MODE   jcstress preset (sanity|quick|default|tough|stress), default: sanity
#   JCSTRESS_ARGS   jcstress arguments, default '-sc false' (no split per-actor compilation
#                   modes: ~5x fewer JVM runs, so the whole run stays within a few minutes on
#                   2 cores); JCSTRESS_ARGS='' runs the full matrix, '-t Park' selects tests
#   JAVA_HOME       JDK used for both Maven and the jcstress run (default: java on PATH)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JCSTRESS_MODE="${JCSTRESS_MODE:-sanity}"
JCSTRESS_ARGS="${JCSTRESS_ARGS--sc false}"
RUN_DIR="$ROOT/stress/target/jcstress-run"

echo "==> [test.sh] mvn -B -ntp verify (build all modules, JUnit tests in runtime)"
mvn -B -ntp verify

echo
echo "==> [test.sh] jcstress -m $JCSTRESS_MODE ${JCSTRESS_ARGS:-} (in ${RUN_DIR#"$ROOT"/})"
"$JAVA" -version 2>&1 | head -n 1
rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"
cd "$RUN_DIR"

# jcstress 0.16 exits non-zero when a test FAILED/ERRORed (an AssertionError escapes main),
# but exits 0 when no test matched ("FATAL: No matching tests.") or no JVM config was usable.
# So we check its exit code AND parse the RUN RESULTS section of its output.
set +e
# shellcheck disable=SC2086
"$JAVA" -jar "$ROOT/stress/target/jcstress.jar" -m "$JCSTRESS_MODE" ${JCSTRESS_ARGS:-} 2>&1 | tee jcstress.log
rc=${PIPESTATUS[0]}
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
  echo "ERROR: jcstress produced no RUN RESULTS section (see $RUN_DIR/jcstress.log)" >&2
  status=1
fi
if [ "$total" -eq 0 ]; then
  echo "ERROR: jcstress ran zero tests" >&2
  status=1
fi
if [ "$failed" -ne 0 ]; then
  echo "ERROR: $failed jcstress test(s) failed or errored (report: $RUN_DIR/results/index.html)" >&2
  status=1
fi
if [ "$rc" -ne 0 ]; then
  echo "ERROR: jcstress exited with status $rc" >&2
  status=1
fi

last_results="$(grep -o 'Results: [0-9]* planned;[^)]*' jcstress.log | tail -n 1 || true)"
[ -n "$last_results" ] && echo "jcstress configurations: ${last_results#Results: }"
echo "jcstress: $passed passed, $failed failed"
exit "$status"
