#!/usr/bin/env bash
# Install what the hub's web pages need at run time, and with --tests what
# their browser tests need.  Idempotent and quick when everything is in
# place: it asks before it installs, and runs npm ci only when node_modules
# is missing or the lockfile changed since the last run.
#
#   deploy/install-web.sh            Node.js and npm (Debian packages) when
#                                    missing; npm ci in hub/web; the charting
#                                    library (chart.js) and the map library
#                                    (leaflet, with its stylesheet and marker
#                                    images) copied into hub/web/ui/vendor/
#   deploy/install-web.sh --tests    also Chromium and chromium-driver,
#                                    Japanese, Chinese and Korean fonts for
#                                    the screenshots, and
#                                    npm ci in tests/browser (playwright-core)
#
# Nothing is downloaded by npm except the packages the committed
# package-lock.json files name; no browser is downloaded (the tests drive
# Debian's Chromium).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tests=0
for arg in "$@"; do
	case "$arg" in
	--tests) tests=1 ;;
	*) echo "install-web.sh: unknown option $arg" >&2; exit 2 ;;
	esac
done

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	SUDO=(sudo)
fi
apt_updated=0
# apt_install PACKAGE...: install the Debian packages given.
apt_install() {
	if [ ${#SUDO[@]} -gt 0 ] && ! command -v sudo >/dev/null; then
		echo "install-web: need root or sudo to install $*" >&2
		exit 1
	fi
	echo "install-web: installing $*" >&2
	export DEBIAN_FRONTEND=noninteractive
	if [ "$apt_updated" -eq 0 ]; then
		"${SUDO[@]}" apt-get update -qq
		apt_updated=1
	fi
	"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Node.js and npm: any installed ones will do (Debian's nodejs 18 or a newer
# one; a NodeSource nodejs package carries its own npm, so Debian's npm
# package is asked for only when there is no npm at all).
need=()
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
major=$(node -e 'process.stdout.write(process.versions.node.split(".")[0])')
[ "$major" -ge 18 ] || { echo "install-web: Node.js 18 or newer needed, found $(node --version)" >&2; exit 1; }

# npm_ci DIR: npm ci in DIR unless node_modules matches the lockfile that
# was installed last time.
npm_ci() {
	local dir=$1 sum stamp
	stamp=$dir/node_modules/.ibx-lock-sha256
	sum=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
		return 0
	fi
	echo "install-web: npm ci in ${dir#"$root"/}" >&2
	(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
	echo "$sum" >"$stamp"
}

# copy SRC DST: copy when different (keeps the file's time when unchanged).
copy() {
	cmp -s "$1" "$2" 2>/dev/null || cp "$1" "$2"
}

web=$root/hub/web
npm_ci "$web"
mkdir -p "$web/ui/vendor"
copy "$web/node_modules/chart.js/dist/chart.umd.min.js" "$web/ui/vendor/chart.umd.min.js"
copy "$web/node_modules/chart.js/LICENSE.md" "$web/ui/vendor/chart.js-LICENSE.md"
copy "$web/node_modules/leaflet/dist/leaflet.js" "$web/ui/vendor/leaflet.js"
copy "$web/node_modules/leaflet/dist/leaflet.css" "$web/ui/vendor/leaflet.css"
copy "$web/node_modules/leaflet/LICENSE" "$web/ui/vendor/leaflet-LICENSE"
mkdir -p "$web/ui/vendor/images"
for f in "$web"/node_modules/leaflet/dist/images/*.png; do
	copy "$f" "$web/ui/vendor/images/$(basename "$f")"
done

if [ "$tests" -eq 1 ]; then
	need=()
	for p in chromium chromium-driver; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
	done
	# Japanese text in the screenshots needs a font with kanji and kana;
	# Simplified and Traditional Chinese and Korean need their glyphs too.
	if ! command -v fc-list >/dev/null || [ -z "$(fc-list :lang=ja 2>/dev/null)" ]; then
		need+=(fonts-ipafont-gothic)
	fi
	for l in zh-cn zh-tw ko; do
		if ! command -v fc-list >/dev/null || [ -z "$(fc-list ":lang=$l" 2>/dev/null)" ]; then
			need+=(fonts-wqy-microhei)
			break
		fi
	done
	[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
	npm_ci "$root/tests/browser"
fi
