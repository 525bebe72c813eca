#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors
#
# Prepare the QEMU world (app/vfbc-qemu): Debian's QEMU, static busybox,
# kmod, pciutils and cpio, and Debian's current 6.1 kernel image unpacked
# (never installed) into $VFBC_CACHE/qemu/linux-<kernel release>.
#
# Idempotent: a second run only checks. Run as root (it installs packages).
# Environment:
#   VFBC_CACHE         cache directory (see devtools/vfbc-env.sh)
#   VFBC_QEMU_KERNEL   Debian kernel image package to use instead of the one
#                      linux-image-amd64 depends on (e.g. linux-image-6.1.0-X-amd64)

set -e -o pipefail

if [ -z "$VFBC_CACHE" ]; then
	if [ "$(id -u)" = 0 ]; then
		VFBC_CACHE=/var/cache/vfbc
	else
		VFBC_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/vfbc
	fi
fi
QCACHE=$VFBC_CACHE/qemu
PKGS="qemu-system-x86 busybox-static kmod pciutils cpio"

say() { printf 'qemu-setup: %s\n' "$*"; }
die() { printf 'qemu-setup: ERROR: %s\n' "$*" >&2; exit 1; }

missing_pkgs()
{
	local p
	for p in $PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			printf '%s ' "$p"
	done
}

install_packages()
{
	local miss
	miss=$(missing_pkgs)
	if [ -z "$miss" ]; then
		say "Debian packages: present"
		return
	fi
	[ "$(id -u)" = 0 ] || die "not root: cannot install $miss"
	say "installing Debian packages: $miss"
	apt-get update -qq
	# No recommends: the guest needs no firmware beyond SeaBIOS (a dependency).
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $miss \
		>"$QCACHE/apt.log" 2>&1 || { tail -20 "$QCACHE/apt.log"; exit 1; }
}

# The kernel image package the linux-image-amd64 meta package points at now.
kernel_package()
{
	local pkg
	if [ -n "$VFBC_QEMU_KERNEL" ]; then
		echo "$VFBC_QEMU_KERNEL"
		return
	fi
	pkg=$(apt-cache show --no-all-versions linux-image-amd64 2>/dev/null |
		sed -n 's/^Depends:.*\(linux-image-[0-9][^ ,]*-amd64\).*/\1/p' | head -1)
	if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
		apt-get update -qq
		pkg=$(apt-cache show --no-all-versions linux-image-amd64 2>/dev/null |
			sed -n 's/^Depends:.*\(linux-image-[0-9][^ ,]*-amd64\).*/\1/p' | head -1)
	fi
	[ -n "$pkg" ] || die "apt offers no linux-image-amd64 (apt-get update?)"
	echo "$pkg"
}

fetch_kernel()
{
	local pkg kver dir deb
	pkg=$(kernel_package)
	kver=${pkg#linux-image-}
	dir=$QCACHE/linux-$kver
	if [ -f "$dir/.vfbc-complete" ]; then
		say "guest kernel: cached in $dir"
	else
		rm -rf "$dir" "$QCACHE/dl"
		mkdir -p "$QCACHE/dl"
		say "downloading $pkg"
		(cd "$QCACHE/dl" && apt-get download -qq "$pkg" >"$QCACHE/download.log" 2>&1) ||
			{ tail "$QCACHE/download.log"; die "cannot download $pkg"; }
		deb=$(ls "$QCACHE"/dl/"$pkg"_*.deb)
		dpkg-deb -x "$deb" "$dir"
		rm -rf "$QCACHE/dl"
		[ -f "$dir/boot/vmlinuz-$kver" ] || die "$pkg has no boot/vmlinuz-$kver"
		depmod -b "$dir" "$kver"
		touch "$dir/.vfbc-complete"
		say "guest kernel $kver unpacked into $dir"
	fi
	# The launcher boots the kernel this names.
	ln -sfn "linux-$kver" "$QCACHE/linux"
}

mkdir -p "$QCACHE"
install_packages
fetch_kernel
say "ready: build/app/vfbc-qemu --check"
