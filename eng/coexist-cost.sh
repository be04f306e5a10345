#!/usr/bin/env bash
# What the CompressionTasks package costs a consuming app (docs/msbuild.md, "What it costs"): the .nupkg's size, its
# extracted size, and the first restore of a one-line project on an empty NuGet cache, next to the same restore of
# the app's own ONNX Runtime (Microsoft.ML.OnnxRuntime 1.32.0, Microsoft.ML.OnnxRuntime.Gpu 1.31.0) from nuget.org.
# Usage: eng/coexist-cost.sh [--feed DIR --version VERSION]   (default: packs into a temporary feed first)
# Network-bound: restore times depend on the connection to nuget.org; run it twice to see the spread.
set -euo pipefail
cd "$(dirname "$0")/.."
feed=""
version=""
while [ $# -gt 0 ]; do
  case "$1" in
    --feed) feed="$2"; shift 2 ;;
    --version) version="$2"; shift 2 ;;
    *) echo "eng/coexist-cost.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
work="$(mktemp -d /tmp/coexist-cost.XXXXXX)"
trap 'rm -rf "$work"' EXIT
if [ -z "$feed" ]; then
  feed="$work/feed"
  version="0.1.0-cost.$(date -u +%Y%m%d%H%M%S)"
  eng/pack.sh --output "$feed" --version "$version"
fi
package="$feed/CompressionTasks.$version.nupkg"
[ -f "$package" ] || { echo "eng/coexist-cost.sh: $package not found" >&2; exit 2; }

echo "package: $(stat -c %s "$package") bytes; extracted: $(unzip -l "$package" | tail -1 | awk '{print $1}') bytes"

# One project per package, each restored on its own empty cache; prints seconds and the cache's size.
restore() {
  local name="$1" id="$2" ver="$3"
  local dir="$work/$name"
  mkdir -p "$dir"
  cat > "$dir/nuget.config" <<EOF
<configuration><packageSources><clear />
<add key="local" value="$feed" /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
</packageSources></configuration>
EOF
  cat > "$dir/app.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework>
<ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
<ItemGroup><PackageReference Include="$id" Version="$ver" /></ItemGroup></Project>
EOF
  echo '<Project />' > "$dir/Directory.Build.props"
  echo '<Project />' > "$dir/Directory.Packages.props"
  local start end
  start=$(date +%s.%N)
  NUGET_PACKAGES="$dir/packages" dotnet restore "$dir/app.csproj" -nologo -v:q > "$dir/restore.log" 2>&1 || { cat "$dir/restore.log"; exit 1; }
  end=$(date +%s.%N)
  printf '%-40s restore %6.1f s, cache %5d MB\n' "$id $ver" "$(echo "$end - $start" | bc)" "$(du -sm "$dir/packages" | cut -f1)"
}

restore compressiontasks CompressionTasks "$version"
restore ort Microsoft.ML.OnnxRuntime 1.32.0
restore gpu Microsoft.ML.OnnxRuntime.Gpu 1.31.0
