#!/usr/bin/env bash
# Builds everything and runs every test (unit, exactness and integration) with the project's JDK.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$root/.ci/java-env.sh"
cd "$root"
exec mvn -B -ntp verify "$@"
