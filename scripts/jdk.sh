# Sourced by ./liftoff, ./test and scripts: exports JAVA_HOME pointing at a JDK 25 or newer.
# JAVA_HOME wins when it is new enough; otherwise the newest /usr/lib/jvm/*25* (or later) JDK.

jdk_feature() {  # prints the feature release of the JDK at $1 (25 for "25.0.3"), or nothing
    local release="$1/release" v
    [ -x "$1/bin/javac" ] && [ -r "$release" ] || return 0
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
    echo "$v"
}

find_jdk() {
    local candidate v
    if [ -n "${JAVA_HOME:-}" ]; then
        v=$(jdk_feature "$JAVA_HOME")
        if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$JAVA_HOME"; return 0; fi
    fi
    for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
        candidate=${candidate%/}
        v=$(jdk_feature "$candidate")
        if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$candidate"; return 0; fi
    done
    return 1
}

if ! JAVA_HOME=$(find_jdk); then
    echo "liftoff: no JDK 25 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm)." >&2
    echo "liftoff: install Temurin 25 or OpenJDK 25, or point JAVA_HOME at one." >&2
    exit 2
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.8's bundled Guava calls sun.misc.Unsafe; JDK 25 warns about it on every build.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
