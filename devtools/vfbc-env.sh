# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The vfbc authors
#
# Sourced by the devtools scripts (and by hand: `. devtools/vfbc-env.sh`):
# where the DPDK SDK and the build live.

SRC=${SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

if [ -z "$VFBC_CACHE" ]; then
	if [ "$(id -u)" = 0 ]; then
		VFBC_CACHE=/var/cache/vfbc
	else
		VFBC_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/vfbc
	fi
fi

# The DPDK version to build is Debian's libdpdk-dev: installed, else candidate.
vfbc_dpdk_debver()
{
	local v
	v=$(dpkg-query -W -f='${Version}' libdpdk-dev 2>/dev/null || true)
	[ -n "$v" ] || v=$(apt-cache policy libdpdk-dev 2>/dev/null | awk '/Candidate:/ {print $2}')
	if [ -z "$v" ] || [ "$v" = "(none)" ]; then
		if [ "$(id -u)" = 0 ]; then
			apt-get update -qq >/dev/null 2>&1 || true
			v=$(apt-cache policy libdpdk-dev 2>/dev/null | awk '/Candidate:/ {print $2}')
		fi
	fi
	echo "$v"
}

VFBC_DPDK_DEBVER=${VFBC_DPDK_DEBVER:-$(vfbc_dpdk_debver)}
if [ -z "$VFBC_DPDK_DEBVER" ] || [ "$VFBC_DPDK_DEBVER" = "(none)" ]; then
	echo "vfbc: cannot find Debian's libdpdk-dev version (apt-get update?)" >&2
	return 1 2>/dev/null || exit 1
fi
VFBC_DPDK_UPSTREAM=${VFBC_DPDK_DEBVER#*:}
VFBC_DPDK_UPSTREAM=${VFBC_DPDK_UPSTREAM%%-*}
# The minimal SDK-enabled DPDK vfbc needs. max_ethports: the primary has a
# port per VF (net_vfbc_vf), and a PF may have 256 VFs.
VFBC_DPDK_OPTS="-Ddefault_library=shared -Denable_driver_sdk=true -Dtests=false
	-Dexamples= -Denable_docs=false -Dmachine=default -Dmax_ethports=512
	-Denable_apps=test-pmd,proc-info
	-Denable_drivers=bus/pci,bus/vdev,mempool/ring,net/ring,net/null
	-Ddisable_libs=acl,bbdev,bitratestats,bpf,cfgfile,compressdev,cryptodev,distributor,efd,eventdev,fib,flow_classify,gpudev,graph,gro,gso,ip_frag,ipsec,jobstats,kni,latencystats,lpm,member,metrics,node,pcapng,pdump,pipeline,port,power,rawdev,regexdev,reorder,rib,sched,security,table,vhost,dmadev,stack"
# The options are part of the cache key: another configuration is another build.
VFBC_DPDK_PREFIX=$VFBC_CACHE/dpdk-$VFBC_DPDK_UPSTREAM-sdk-$(printf '%s' "$VFBC_DPDK_OPTS" |
	md5sum | cut -c1-8)
VFBC_BUILD=${VFBC_BUILD:-$SRC/build}

# Put the SDK first for pkg-config and PATH (again after a fresh build).
vfbc_use_sdk()
{
	[ -d "$VFBC_DPDK_PREFIX/lib/pkgconfig" ] || return 0
	case ":$PKG_CONFIG_PATH:" in
	*":$VFBC_DPDK_PREFIX/lib/pkgconfig:"*) ;;
	*) export PKG_CONFIG_PATH=$VFBC_DPDK_PREFIX/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH} ;;
	esac
	case ":$PATH:" in
	*":$VFBC_DPDK_PREFIX/bin:"*) ;;
	*) export PATH=$VFBC_DPDK_PREFIX/bin:$PATH ;;
	esac
}
vfbc_use_sdk
export VFBC_CACHE VFBC_DPDK_DEBVER VFBC_DPDK_UPSTREAM VFBC_DPDK_OPTS VFBC_DPDK_PREFIX VFBC_BUILD
