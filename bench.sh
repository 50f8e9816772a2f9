#!/usr/bin/env bash
# The main job: build, run lwp4j's JMH benchmarks (quick profile, about 20 to 30 minutes for all
# of them on 2 cores), and end with a summary: each lwp4j figure beside its baseline, the ratio
# with its error, the goal, met or not (org.lwp4j.bench.Summary, from JMH's JSON results).
#
#   bash bench.sh                 # all benchmarks, quick profile
#   bash bench.sh Park            # only benchmarks matching the regexp "Park"
#   bash bench.sh -l              # list benchmarks (JMH's own output, no summary)
#   bash bench.sh -f 3 -i 10 Park # options given replace the quick defaults
#
# Extra arguments are passed straight to JMH (java -jar benchmarks.jar -h for help). JMH's
# full output goes to park-bench/target/jmh.log (the console shows one line per benchmark
# run), its results to park-bench/target/jmh-result.json.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
LOG=park-bench/target/jmh.log
JSON=park-bench/target/jmh-result.json

echo "==> [bench.sh] mvn -B -ntp -q -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package"
# Maven 3.8's console writes ANSI resets even in batch mode with colour off; strip them.
mvn -B -ntp -q -Dstyle.color=never -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package 2>&1 \
  | sed -u 's/\x1b\[[0-9;]*m//g'

# Listing and help: JMH's own output, nothing to summarise.
for arg in "$@"; do
  case "$arg" in
    -l|-lp|-lprof|-lrf|-h|-help|--help) exec "$JAVA" -jar park-bench/target/benchmarks.jar "$@" ;;
  esac
done

# The quick profile; an option given on the command line replaces its default (JMH itself
# refuses an option given twice).
QUICK=()
for opt in "-f 1" "-wi 2" "-w 1s" "-i 3" "-r 1s" "-rf json" "-rff $JSON"; do
  name="${opt%% *}"
  given=no
  for arg in "$@"; do
    if [ "$arg" = "$name" ]; then given=yes; fi
  done
  if [ "$given" = no ]; then QUICK+=($opt); fi
done
for ((i = 1; i < $#; i++)); do
  if [ "${!i}" = "-rff" ]; then j=$((i + 1)); JSON="${!j}"; fi
done

echo "==> [bench.sh] java -jar park-bench/target/benchmarks.jar ${QUICK[*]} $*"
"$JAVA" -version 2>&1 | head -n 1
echo "    (JMH's full output: $LOG)"
rm -f "$JSON"
set +e
"$JAVA" -jar park-bench/target/benchmarks.jar "${QUICK[@]}" "$@" 2>&1 \
  | sed -u 's/\x1b\[[0-9;]*m//g' | tee "$LOG" \
  | awk '/^# Benchmark: / { b = $3; sub(/^org\.lwp4j\.bench\./, "", b) }
         /^# Parameters: / { p = substr($0, 15) }
         /^Result "/ { getline; s = $0; sub(/^ */, "", s); print "    " b (p == "" ? "" : " " p) ": " s; p = "" }
         /^(ERROR|# ERROR|<failure>|Exception)/ { print "    " $0 }
         { fflush() }'
rc=${PIPESTATUS[0]}
set -e

echo
if [ -s "$JSON" ]; then
  "$JAVA" -cp park-bench/target/benchmarks.jar org.lwp4j.bench.Summary "$JSON"
else
  echo "ERROR: JMH wrote no results to $JSON (see $LOG)" >&2
  rc=1
fi
[ "$rc" -eq 0 ] || echo "ERROR: JMH exited with status $rc (see $LOG)" >&2
exit "$rc"
