# Sourced by scripts/test and scripts/quickstart: sets JAVA_HOME to a JDK >= 21 (JAVA_HOME if it
# is one, else the newest under /usr/lib/jvm, /opt/java/openjdk, ...) and JAVA_MAJOR, or exits.
# Same search as distribution's bin/otelcol-java.
jdk_major() {
  [ -f "$1/release" ] || return 0
  v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release" | head -n 1)
  case $v in 1.*) v=${v#1.} ;; esac
  echo "${v%%[!0-9]*}"
}
_found=""
_major=0
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
  m=$(jdk_major "$JAVA_HOME")
  if [ -n "$m" ] && [ "$m" -ge 21 ]; then _found=$JAVA_HOME; _major=$m; fi
fi
if [ -z "$_found" ]; then
  for home in /usr/lib/jvm/*temurin* /usr/lib/jvm/* /opt/java/openjdk /usr/local/openjdk-* /usr/java/*; do
    [ -x "$home/bin/javac" ] || continue
    m=$(jdk_major "$home")
    [ -n "$m" ] || continue
    if [ "$m" -ge 21 ] && [ "$m" -gt "$_major" ]; then _found=$home; _major=$m; fi
  done
fi
if [ -z "$_found" ] && command -v javac >/dev/null 2>&1; then
  home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  m=$(jdk_major "$home")
  if [ -n "$m" ] && [ "$m" -ge 21 ]; then _found=$home; _major=$m; fi
fi
if [ -z "$_found" ]; then
  echo "no JDK 21 or newer found (checked JAVA_HOME, /usr/lib/jvm, /opt/java/openjdk, javac on PATH); install one, e.g. apt-get install -y openjdk-21-jdk-headless" >&2
  exit 1
fi
export JAVA_HOME=$_found
export JAVA_MAJOR=$_major
export PATH="$JAVA_HOME/bin:$PATH"
# protobuf and Guava use sun.misc.Unsafe; JDK 23+ warn about it unless allowed.
if [ "$JAVA_MAJOR" -ge 23 ]; then
  case " ${MAVEN_OPTS:-} " in
    *sun-misc-unsafe-memory-access*) ;;
    *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
  esac
fi
