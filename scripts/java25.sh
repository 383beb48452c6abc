# Sourced by the launcher and the test runner: points JAVA_HOME at a JDK 25.
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25'; then
  JAVA_HOME=""
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 \
                   /usr/lib/jvm/temurin-25-jdk /usr/lib/jvm/jdk-25; do
    if [ -x "$candidate/bin/java" ]; then JAVA_HOME="$candidate"; break; fi
  done
fi
if [ -z "${JAVA_HOME:-}" ]; then
  echo "cnt: Java 25 not found; install Temurin 25 or set JAVA_HOME to a JDK 25" >&2
  exit 1
fi
export JAVA_HOME
