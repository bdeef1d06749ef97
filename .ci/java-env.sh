# Selects a Java 21+ JDK for Maven and the CLI (OpenSearch 3.6 needs 21+; the machine's default java is 17).
# Sourced by ./modernbert, ./test.sh and .ci/run.
for candidate in "${MODERNBERT_JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 "${JAVA_HOME:-}"; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] \
      && "$candidate/bin/java" -version 2>&1 | grep -Eq 'version "(2[1-9]|[3-9][0-9])'; then
    export JAVA_HOME="$candidate"
    break
  fi
done
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -Eq 'version "(2[1-9]|[3-9][0-9])'; then
  echo "modernbert: no Java 21+ JDK found; set MODERNBERT_JAVA_HOME" >&2
  exit 1
fi
export PATH="$JAVA_HOME/bin:$PATH"
# Native libraries (ONNX Runtime, tokenizers, JNA) are expected here: say so, rather than warn at every start.
MODERNBERT_JVM_FLAGS="--enable-native-access=ALL-UNNAMED -Dai.djl.offline=true"
if "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  MODERNBERT_JVM_FLAGS="$MODERNBERT_JVM_FLAGS --sun-misc-unsafe-memory-access=allow"
fi
export MODERNBERT_JVM_FLAGS
# Maven's own guava warns on Java 23+ without this.
if [[ "$MODERNBERT_JVM_FLAGS" == *sun-misc-unsafe* && "${MAVEN_OPTS:-}" != *sun-misc-unsafe* ]]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
