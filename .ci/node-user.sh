# The unprivileged user that OpenSearch nodes and OpenSearch-framework tests run as when the build runs as root
# (OpenSearch refuses root). Sourced by test.sh (before Maven starts) and by node-user-jvm/bin/java.
MODERNBERT_NODE_USER=modernbert

# Creates the user unless it exists; a concurrent creation (useradd exit 9: already exists) is success too.
ensure_node_user() {
  id -u "$MODERNBERT_NODE_USER" >/dev/null 2>&1 && return 0
  useradd --system --no-create-home --shell /usr/sbin/nologin "$MODERNBERT_NODE_USER" || [ $? = 9 ]
}

# Lets the node user reach DIR: every folder above it traversable (a checkout under a private folder, e.g.
# mktemp's 0700 or /root, would otherwise make the forked test JVM fail before running a single test).
open_path_to() {
  local dir
  dir="$(cd "$1" && pwd)"
  while [ "$dir" != / ]; do
    chmod o+x "$dir"
    dir="$(dirname "$dir")"
  done
}
