#!/usr/bin/env bash
# Build a release archive for an office's PC: the binary (templates and fonts
# are inside it), the README, the sample office and the fonts' licences.
#   scripts/package.sh            → dist/tuiguan-<version>-linux-x86_64.tar.gz
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --locked
name="tuiguan-${version}-linux-$(uname -m)"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name/字体许可"
cp "$target/release/tuiguan" "$stage/$name/"
cp README.md "$stage/$name/说明.md"
cp -r data "$stage/$name/示例数据"
cp fonts/LICENSE-* fonts/README*.md fonts/README-*.txt "$stage/$name/字体许可/" 2>/dev/null || true
cat > "$stage/$name/先看我.txt" <<TXT
tuiguan ${version}：离退休党员台帐与文书批量生成

在本文件夹打开终端，运行：
  ./tuiguan --data 示例数据 build      用示例数据生成全部文书到 out/
  ./tuiguan init 我的单位              新建本单位的数据文件夹，按提示填写
  ./tuiguan --data 我的单位 check      检查数据
  ./tuiguan --data 我的单位 build      生成全部文书和内网台帐
详细说明见 说明.md。模板和字体都在程序里，不需要另外安装。
TXT
mkdir -p dist
tar -C "$stage" -czf "dist/$name.tar.gz" "$name"
echo "dist/$name.tar.gz"
