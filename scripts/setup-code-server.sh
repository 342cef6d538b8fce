#!/usr/bin/env bash
# Installs a real, offline VS Code for the extension tests: code-server (VS Code served to a browser,
# its extension host on Node) run by Node 24 from the npm registry, into a machine-wide cache.
#
#   scripts/setup-code-server.sh          install or verify (idempotent; a second run takes ~1 s)
#   DIRSYNC_CODE_SERVER_DIR=/x scripts/setup-code-server.sh      another cache dir
#
# Why not @vscode/test-electron: it downloads VS Code at run time, which CI cannot (only the npm
# registry and apt are reachable). code-server 4.139 refuses every Node but 24 (its postinstall and
# its workbench), so Node 24 comes from the `node` npm package, used for both install and run.
# Needs `libkrb5-dev` and `pkg-config` from apt (the `kerberos` native module builds from source)
# and ~650 MB. The test fixture (test/fixtures/codeServer.ts) reads the manifest written last.
set -euo pipefail

NODE_MAJOR=24
CODE_SERVER_VERSION=4.139.1
here="$(cd "$(dirname "$0")" && pwd)"
dir="${DIRSYNC_CODE_SERVER_DIR:-/var/tmp/dirsync-code-server}"
manifest="$dir/installed.json"

start=$EPOCHREALTIME
elapsed() { awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
say() { printf '[setup-code-server %5ss] %s\n' "$(elapsed)" "$*"; }

for tool in pkg-config krb5-config; do
  command -v "$tool" >/dev/null || {
    echo "setup-code-server: '$tool' is missing; apt-get install libkrb5-dev pkg-config" >&2
    exit 1
  }
done

mkdir -p "$dir"
# Several engineers (or parallel CI steps) may run this at once: one installs, the others wait.
exec 9>"$dir/.lock"
flock 9

nodeDir="$dir/node"
appDir="$dir/app"
csPackage="$appDir/node_modules/code-server"

# The `node` package's preinstall fetches node-<os>-<arch> (binary + headers) from the registry.
findNodePkg() { ls -d "$nodeDir"/node_modules/node/node_modules/node-linux-* 2>/dev/null | head -n1; }
nodeVersionOk() {
  local pkg
  pkg="$(findNodePkg)"
  [ -n "$pkg" ] && [ -x "$pkg/bin/node" ] && [[ "$("$pkg/bin/node" --version 2>/dev/null)" == v$NODE_MAJOR.* ]]
}

if nodeVersionOk; then
  say "Node $NODE_MAJOR already installed: $("$(findNodePkg)/bin/node" --version)"
else
  say "installing Node $NODE_MAJOR from the npm registry into $nodeDir"
  rm -rf "$nodeDir"
  mkdir -p "$nodeDir"
  cat >"$nodeDir/package.json" <<'EOF'
{ "name": "dirsync-node24", "private": true, "allowScripts": { "node": true } }
EOF
  npm install --prefix "$nodeDir" --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR"
  nodeVersionOk || { echo "setup-code-server: Node $NODE_MAJOR did not install under $nodeDir" >&2; exit 1; }
  say "Node installed: $("$(findNodePkg)/bin/node" --version)"
fi
nodePkg="$(findNodePkg)"
node24="$nodePkg/bin/node"

# Node 24 first on PATH so npm, install scripts and node-gyp all run on it; node-gyp takes Node 24's
# headers from the package itself instead of the machine's npmrc `nodedir` (Node 20) or nodejs.org.
export PATH="$nodePkg/bin:$PATH"
export npm_config_nodedir="$nodePkg"

installedVersion() {
  [ -f "$csPackage/package.json" ] && "$node24" -p "require('$csPackage/package.json').version" 2>/dev/null
}
# `code-server --version` writes a default config (with a password) under $HOME: give it a scratch one.
versionLine() {
  local home rc=0
  home="$(mktemp -d)"
  HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
    "$node24" "$csPackage/out/node/entry.js" --version 2>/dev/null | grep -E "^$CODE_SERVER_VERSION " || rc=$?
  rm -rf "$home"
  return $rc
}
# The native modules were built by the Node recorded in the manifest: any other Node reinstalls them.
codeServerOk() {
  [ -f "$manifest" ] && grep -q "\"nodeVersion\": \"$("$node24" --version)\"" "$manifest" &&
    [ "$(installedVersion)" = "$CODE_SERVER_VERSION" ] && versionLine >/dev/null
}

if codeServerOk; then
  say "code-server $CODE_SERVER_VERSION already installed in $appDir"
else
  say "installing code-server $CODE_SERVER_VERSION with Node $("$node24" --version) into $appDir (about 2 min)"
  rm -f "$manifest"
  rm -rf "$appDir"
  mkdir -p "$appDir"
  cp "$here/code-server/package.json" "$appDir/package.json"
  # `kerberos` first tries a prebuilt binary from GitHub (unreachable, harmless), then builds.
  (cd "$appDir" && npm install --no-audit --no-fund --loglevel=error)
  [ "$(installedVersion)" = "$CODE_SERVER_VERSION" ] || {
    echo "setup-code-server: expected code-server $CODE_SERVER_VERSION, found '$(installedVersion)'" >&2
    exit 1
  }
  say "code-server installed"
fi

versionLine="$(versionLine)" || { echo "setup-code-server: code-server does not start on $node24" >&2; exit 1; }
cat >"$manifest.tmp" <<EOF
{
  "node": "$node24",
  "nodeVersion": "$("$node24" --version)",
  "entry": "$csPackage/out/node/entry.js",
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "versionLine": "$versionLine"
}
EOF
mv "$manifest.tmp" "$manifest"
say "ready: $versionLine (manifest $manifest, $(du -sh "$dir" 2>/dev/null | cut -f1))"
