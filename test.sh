#!/usr/bin/env bash
# Builds everything and runs every test (unit, exactness and integration) with the project's JDK.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$root/.ci/java-env.sh"
cd "$root"
# As root, nodes and OpenSearch-framework tests run as the node user: create it and open the way to the checkout
# before the build, so that no test depends on a step its first run has to take.
if [ "$(id -u)" = 0 ]; then
  source "$root/.ci/node-user.sh"
  ensure_node_user
  open_path_to "$root"
fi
exec mvn -B -ntp verify "$@"
