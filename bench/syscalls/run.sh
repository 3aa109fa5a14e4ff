#!/usr/bin/env bash
# The cost of the syscall layer's first calls, under the JVM flags the init uses (-Xint) and the
# CLI uses (C1). Builds the sys module first.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/scripts/jdk.sh"
(cd "$ROOT" && mvn -q -B -pl sys -DskipTests package)
for flags in "-Xint -XX:+UseSerialGC" "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"; do
    echo "== java $flags"
    # shellcheck disable=SC2086
    java $flags --enable-native-access=ALL-UNNAMED -cp "$ROOT/sys/target/classes" "$ROOT/bench/syscalls/FirstCall.java"
done
