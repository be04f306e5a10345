using System.Globalization;
using System.Text;
using CompressionTasks.Deployment.Contracts;

namespace CompressionTasks.Deployment;

/// <summary>
/// <c>measure.sh</c>: records the power mode and clocks (numbers depend on them), optionally sets the maximum
/// performance mode (<c>nvpmodel -m 0</c>, <c>jetson_clocks</c>), then runs the on-device runner, which writes
/// <c>device-report.json</c> for <c>dotnet compress deploy --merge</c>. <c>--ep tensorrt</c> times the TensorRT engine
/// (built first with build-engine.sh when the results folder has none) with the board's trtexec, no ONNX Runtime
/// needed; <c>--ep cpu</c> runs the model with the board's ONNX Runtime library. Arguments after <c>--</c> go to the runner.
/// </summary>
public static class MeasureScript
{
    public const string FileName = "measure.sh";

    public const string RunnerFolder = "runner";

    public const string RunnerExecutable = "CompressionTasks.Runner";

    public const string FragmentFileName = "device-report.json";

    public static string Render(DeploymentDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var s = ScriptHeader.Start(descriptor,
            $"Measures {ShellQuote.Comment(descriptor.Model)}/{ShellQuote.Comment(descriptor.Variant)} on the device and writes results/{FragmentFileName}.");
        s.Append("# Usage: ./measure.sh [--max-performance] [--runner PATH] [--ep cpu|tensorrt] [--ort-library PATH] [--out DIR] [-- RUNNER-OPTIONS]\n");
        s.Append("#   --max-performance  set nvpmodel -m 0 (MAXN) and run jetson_clocks first (needs root)\n");
        s.Append("#   --ep tensorrt      time the TensorRT engine with trtexec (built by build-engine.sh if absent); --ep cpu: ONNX Runtime\n");
        s.Append("# Environment: RUNNER, ORT_LIBRARY, OUT, SYSFS_ROOT, TRTEXEC set the same defaults.\n");
        s.Append("set -euo pipefail\n\n");
        s.Append("here=$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\n");
        s.Append(CultureInfo.InvariantCulture, $"model_file={ShellQuote.Single(descriptor.ModelFile)}\n");
        s.Append(CultureInfo.InvariantCulture, $"runner=${{RUNNER:-\"$here/{RunnerFolder}/{RunnerExecutable}\"}}\n");
        s.Append(CultureInfo.InvariantCulture, $"ort_library=${{ORT_LIBRARY:-\"$here/{RunnerFolder}/libonnxruntime.so\"}}\n");
        s.Append("out=${OUT:-\"$here/results\"}\n");
        s.Append("sysfs_root=${SYSFS_ROOT:-/sys}\n");
        s.Append(CultureInfo.InvariantCulture, $"ep={(descriptor.EnginePrecision is null ? "cpu" : "tensorrt")}\n");
        s.Append("max_performance=0\n");
        s.Append("runner_args=()\n\n");
        s.Append("while [ \"$#\" -gt 0 ]; do\n");
        s.Append("  case \"$1\" in\n");
        s.Append("    --max-performance) max_performance=1 ;;\n");
        s.Append("    --runner) runner=${2:?--runner needs a path}; shift ;;\n");
        s.Append("    --ort-library) ort_library=${2:?--ort-library needs a path}; shift ;;\n");
        s.Append("    --ep) ep=${2:?--ep needs cpu or tensorrt}; shift ;;\n");
        s.Append("    --out) out=${2:?--out needs a folder}; shift ;;\n");
        s.Append("    -h|--help) sed -n '2,9p' \"${BASH_SOURCE[0]}\"; exit 0 ;;\n");
        s.Append("    --) shift; runner_args=(\"$@\"); break ;;\n");
        s.Append("    *) echo \"measure.sh: unknown option '$1'\" >&2; exit 2 ;;\n");
        s.Append("  esac\n");
        s.Append("  shift\n");
        s.Append("done\n\n");
        s.Append("# Latency and energy depend on the power mode and clocks: record them with every measurement.\n");
        s.Append("record_state() {\n");
        s.Append("  echo \"== $1 ($(date -u +%Y-%m-%dT%H:%M:%SZ))\"\n");
        s.Append("  if command -v nvpmodel >/dev/null 2>&1; then\n");
        s.Append("    nvpmodel -q 2>&1 || true\n");
        s.Append("  else\n");
        s.Append("    echo 'nvpmodel: not installed'\n");
        s.Append("  fi\n");
        s.Append("  local f\n");
        s.Append("  for f in \"$sysfs_root\"/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_cur_freq \"$sysfs_root\"/devices/gpu.0/devfreq/*/cur_freq \"$sysfs_root\"/devices/17000000.gp10b/devfreq/17000000.gp10b/cur_freq; do\n");
        s.Append("    if [ -r \"$f\" ]; then\n");
        s.Append("      echo \"$f: $(cat \"$f\")\"\n");
        s.Append("    fi\n");
        s.Append("  done\n");
        s.Append("}\n\n");
        s.Append("mkdir -p \"$out\"\n");
        s.Append("record_state before > \"$out/device-state.txt\"\n");
        s.Append("if [ \"$max_performance\" -eq 1 ]; then\n");
        s.Append("  if [ \"$(id -u)\" -ne 0 ]; then\n");
        s.Append("    echo 'measure.sh: --max-performance needs root: run it with sudo' >&2\n");
        s.Append("    exit 2\n");
        s.Append("  fi\n");
        s.Append("  nvpmodel -m 0\n");
        s.Append("  jetson_clocks\n");
        s.Append("  record_state 'after nvpmodel -m 0 and jetson_clocks' >> \"$out/device-state.txt\"\n");
        s.Append("fi\n\n");
        s.Append("power_mode=unknown\n");
        s.Append("if command -v nvpmodel >/dev/null 2>&1; then\n");
        // sed reads to the end: head would close the pipe early and fail the pipeline with SIGPIPE under pipefail.
        s.Append("  power_mode=$(nvpmodel -q 2>/dev/null | sed -n 1p) || power_mode=unknown\n");
        s.Append("fi\n\n");
        s.Append("if [ ! -x \"$runner\" ]; then\n");
        s.Append("  echo \"measure.sh: no runner at $runner: copy the published runner there or pass --runner (README.md)\" >&2\n");
        s.Append("  exit 2\n");
        s.Append("fi\n\n");
        s.Append("case \"$ep\" in\n");
        s.Append("  tensorrt)\n");
        if (descriptor.EnginePrecision is null)
        {
            s.Append(CultureInfo.InvariantCulture, $"    echo {ShellQuote.Single($"measure.sh: {descriptor.Model}/{descriptor.Variant} is {descriptor.Precision}, which TensorRT on {descriptor.Target.Name} does not run; use --ep cpu")} >&2\n");
            s.Append("    exit 2\n");
        }
        else
        {
            s.Append(CultureInfo.InvariantCulture, $"    engine=\"$out/\"{ShellQuote.Single(BuildEngineScript.EngineFileName(descriptor))}\n");
            s.Append("    if [ ! -f \"$engine\" ]; then\n");
            // bash, not the file itself: a bundle copied without its archive's modes may have lost the executable bit.
            s.Append(CultureInfo.InvariantCulture, $"      bash \"$here/{BuildEngineScript.FileName}\" --out \"$out\"\n");
            s.Append("    fi\n");
            s.Append("    ep_args=(--ep tensorrt --engine \"$engine\")\n");
            s.Append("    if [ -n \"${TRTEXEC:-}\" ]; then\n");
            s.Append("      ep_args+=(--trtexec \"$TRTEXEC\")\n");
            s.Append("    fi\n");
        }

        s.Append("    ;;\n");
        s.Append("  cpu) ep_args=(--ep cpu --ort-library \"$ort_library\") ;;\n");
        s.Append("  *) echo \"measure.sh: --ep $ep: use cpu or tensorrt\" >&2; exit 2 ;;\n");
        s.Append("esac\n\n");
        s.Append("\"$runner\" \\\n");
        s.Append("  --model \"$here/$model_file\" \\\n");
        s.Append(CultureInfo.InvariantCulture, $"  --deployment \"$here/{DeploymentDescriptor.FileName}\" \\\n");
        s.Append("  \"${ep_args[@]}\" \\\n");
        s.Append("  --sysfs \"$sysfs_root\" \\\n");
        s.Append("  --power-mode \"$power_mode\" \\\n");
        s.Append(CultureInfo.InvariantCulture, $"  --out \"$out/{FragmentFileName}\" \\\n");
        s.Append("  \"${runner_args[@]}\"\n");
        s.Append("record_state after >> \"$out/device-state.txt\"\n");
        s.Append(CultureInfo.InvariantCulture, $"echo \"measure.sh: wrote $out/{FragmentFileName}\"\n");
        return s.ToString();
    }
}
