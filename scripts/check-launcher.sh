#!/usr/bin/env bash
# Checks ./liftoff as a user meets it, after the suite has built it: it rebuilds when a source is
# newer than the jar, and it runs when the checkout is reached through another path (a bind mount,
# as inside a chroot, and a symlink to the script).
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
JAR=$ROOT/cli/target/liftoff.jar
fail() { echo "check-launcher: FAILED: $*" >&2; exit 1; }

touch "$ROOT/cli/src/main/java/liftoff/cli/Main.java"
"$ROOT/liftoff" --version | grep -q '^liftoff ' || fail "./liftoff --version after a source changed"
[ "$JAR" -nt "$ROOT/cli/src/main/java/liftoff/cli/Main.java" ] || fail "the jar was not rebuilt after a source changed"

elsewhere=$(mktemp -d /tmp/liftoff-elsewhere.XXXXXX)
trap 'rm -rf "$elsewhere"' EXIT
out=$(unshare --mount --propagation private bash -c "mount --bind '$ROOT' '$elsewhere' && '$elsewhere/liftoff' --version")
grep -q '^liftoff ' <<<"$out" || fail "./liftoff through a bind mount at $elsewhere: $out"
ln -s "$ROOT/liftoff" "$elsewhere/liftoff-link"
"$elsewhere/liftoff-link" switch-root --help | grep -q 'NEWROOT INIT' || fail "./liftoff through a symlink"
echo "check-launcher: ./liftoff rebuilds when stale and runs through a bind mount and a symlink"
