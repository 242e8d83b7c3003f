#!/usr/bin/env bash
# Install the Debian 12 packages that the build, the tests and the demo need.
# Idempotent and quick when everything is present: it asks dpkg first and
# calls apt-get only for what is missing.
set -euo pipefail

packages=(
	build-essential cmake pkg-config clang clang-format libclang-rt-14-dev
	libnng-dev nng-utils libmbedtls-dev
	libprotobuf-c-dev protobuf-c-compiler
	libpq-dev postgresql-15
	libssl-dev openssl
	libmicrohttpd-dev libjansson-dev libcsv-dev libcmocka-dev
	libsodium-dev liboath-dev libqrencode-dev oathtool
	zlib1g-dev kakasi
	curl jq ca-certificates
	nginx
	python3 python3-numpy python3-scipy
	python3-pydicom # real DICOM files (pydicom/data/test_files) for the referral package tests
)
# Extra sets asked for by name: browser tests need Chromium and Node.
for extra in "$@"; do
	case "$extra" in
	--browser) packages+=(chromium chromium-driver nodejs npm) ;;
	*) echo "install-deps.sh: unknown option $extra" >&2; exit 2 ;;
	esac
done

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install ${missing[*]}" >&2; exit 1; }
	SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
