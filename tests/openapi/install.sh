#!/usr/bin/env bash
# Install what tests/openapi/validate.mjs needs: Node.js and npm (Debian
# packages, when missing) and the npm packages named by the committed
# package-lock.json (npm ci).  Idempotent and quick when everything is in
# place: npm ci runs only when node_modules is missing or the lockfile
# changed since the last run.  Nothing else is downloaded.
#
#   tests/openapi/install.sh
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	SUDO=(sudo)
fi
need=()
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
	if [ ${#SUDO[@]} -gt 0 ] && ! command -v sudo >/dev/null; then
		echo "openapi/install.sh: need root or sudo to install ${need[*]}" >&2
		exit 1
	fi
	echo "openapi/install.sh: installing ${need[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	"${SUDO[@]}" apt-get update -qq
	"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
major=$(node -e 'process.stdout.write(process.versions.node.split(".")[0])')
[ "$major" -ge 18 ] || {
	echo "openapi/install.sh: Node.js 18 or newer needed, found $(node --version)" >&2
	exit 1
}

stamp=$dir/node_modules/.ibx-lock-sha256
sum=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
	exit 0
fi
echo "openapi/install.sh: npm ci in tests/openapi" >&2
(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
echo "$sum" >"$stamp"
