#!/usr/bin/env bash
# Quick JMH run of all lwp4j benchmarks (a few minutes at most).
#
#   bash bench.sh                 # all benchmarks, quick profile
#   bash bench.sh Park            # only benchmarks matching the regexp "Park"
#   bash bench.sh -l              # list benchmarks
#   bash bench.sh -f 3 -i 10 Park # options given replace the quick defaults
#
# Extra arguments are passed straight to JMH (java -jar benchmarks.jar -h for help).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

echo "==> [bench.sh] mvn -B -ntp -q -DskipTests package"
mvn -B -ntp -q -DskipTests package

# The quick profile; an option given on the command line replaces its default (JMH itself
# refuses an option given twice).
QUICK=()
for opt in "-f 1" "-wi 2" "-w 1s" "-i 3" "-r 1s"; do
  name="${opt%% *}"
  given=no
  for arg in "$@"; do
    if [ "$arg" = "$name" ]; then given=yes; fi
  done
  if [ "$given" = no ]; then QUICK+=($opt); fi
done

echo "==> [bench.sh] java -jar park-bench/target/benchmarks.jar ${QUICK[*]} $*"
"$JAVA" -version 2>&1 | head -n 1
exec "$JAVA" -jar park-bench/target/benchmarks.jar "${QUICK[@]}" "$@"
