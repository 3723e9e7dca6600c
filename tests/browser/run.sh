#!/usr/bin/env bash
# The browser suite: installs Chromium (Debian's package) and the npm packages when missing,
# builds anketa, and runs every example survey in headless Chromium with axe-core checks.
# Screenshots go to target/browser/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if ! command -v chromium >/dev/null 2>&1; then
    echo "== installing chromium (Debian package)"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

echo "== npm ci (playwright-core, axe-core)"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

echo "== building anketa"
(cd "$root" && cargo build --quiet --locked)

echo "== browser suite"
cd "$here"
CHROMIUM="$(command -v chromium)" ANKETA_BIN="$root/target/debug/anketa" node --test --test-concurrency=1 suite.test.mjs interview.test.mjs report.test.mjs two_factor.test.mjs
