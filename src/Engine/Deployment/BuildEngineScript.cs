using System.Globalization;
using System.Text;
using CompressionTasks.Deployment.Contracts;

namespace CompressionTasks.Deployment;

/// <summary>
/// <c>build-engine.sh</c>: builds a TensorRT engine from the bundle's ONNX model with <c>trtexec</c> on the device,
/// then times it. Engines are specific to the GPU, the TensorRT version and even the clocks they were tuned under, so
/// bundles ship ONNX and this script, never an engine. Flags are TensorRT 8.2's (JetPack 4.6): <c>--workspace</c> in
/// MiB (later versions renamed it <c>--memPoolSize</c>), <c>--exportTimes</c> per-inference timings and
/// <c>--exportProfile</c> per-layer times from a separate profiling run, so profiling does not slow the timed run.
/// </summary>
public static class BuildEngineScript
{
    public const string FileName = "build-engine.sh";

    public const int DefaultWorkspaceMiB = 1024;

    public static string Render(DeploymentDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var s = ScriptHeader.Start(descriptor,
            $"Builds a TensorRT engine for {ShellQuote.Comment(descriptor.Model)}/{ShellQuote.Comment(descriptor.Variant)} on the device and times it.");
        s.Append("# Usage: ./build-engine.sh [--out DIR] [--workspace MIB]\n");
        s.Append("# Environment: TRTEXEC (default: trtexec on PATH, else /usr/src/tensorrt/bin/trtexec), OUT, WORKSPACE_MIB.\n");
        s.Append("set -euo pipefail\n\n");
        if (descriptor.EnginePrecision is null)
        {
            s.Append(CultureInfo.InvariantCulture, $"echo {ShellQuote.Single(NoEngineReason(descriptor))} >&2\n");
            s.Append("exit 2\n");
            return s.ToString();
        }

        s.Append("here=$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\n");
        s.Append(CultureInfo.InvariantCulture, $"model_file={ShellQuote.Single(descriptor.ModelFile)}\n");
        s.Append(CultureInfo.InvariantCulture, $"engine_file={ShellQuote.Single(Path.GetFileNameWithoutExtension(descriptor.ModelFile) + ".engine")}\n");
        s.Append("out=${OUT:-\"$here/results\"}\n");
        s.Append(CultureInfo.InvariantCulture, $"workspace_mib=${{WORKSPACE_MIB:-{DefaultWorkspaceMiB}}}\n\n");
        s.Append("while [ \"$#\" -gt 0 ]; do\n");
        s.Append("  case \"$1\" in\n");
        s.Append("    --out) out=${2:?--out needs a folder}; shift ;;\n");
        s.Append("    --workspace) workspace_mib=${2:?--workspace needs a size in MiB}; shift ;;\n");
        s.Append("    -h|--help) sed -n '2,7p' \"${BASH_SOURCE[0]}\"; exit 0 ;;\n");
        s.Append("    *) echo \"build-engine.sh: unknown option '$1'\" >&2; exit 2 ;;\n");
        s.Append("  esac\n");
        s.Append("  shift\n");
        s.Append("done\n\n");

        s.Append("trtexec=${TRTEXEC:-}\n");
        s.Append("if [ -z \"$trtexec\" ]; then\n");
        s.Append("  if command -v trtexec >/dev/null 2>&1; then\n");
        s.Append("    trtexec=$(command -v trtexec)\n");
        s.Append("  elif [ -x /usr/src/tensorrt/bin/trtexec ]; then\n");
        s.Append("    trtexec=/usr/src/tensorrt/bin/trtexec\n");
        s.Append("  else\n");
        s.Append("    echo 'build-engine.sh: trtexec not found; JetPack installs it in /usr/src/tensorrt/bin (set TRTEXEC)' >&2\n");
        s.Append("    exit 2\n");
        s.Append("  fi\n");
        s.Append("fi\n\n");
        s.Append("mkdir -p \"$out\"\n");
        s.Append("engine=\"$out/$engine_file\"\n");
        var precisionFlag = descriptor.EnginePrecision == "fp16" ? " --fp16" : string.Empty;
        var shapes = ShapesFlag(descriptor);
        s.Append("# 1. Build: parse the ONNX model, pick kernels for this GPU, serialize the engine.\n");
        s.Append(CultureInfo.InvariantCulture, $"\"$trtexec\" --onnx=\"$here/$model_file\"{precisionFlag}{shapes} --workspace=\"$workspace_mib\" --saveEngine=\"$engine\" 2>&1 | tee \"$out/build-engine.log\"\n\n");
        s.Append("# 2. Time: per-inference times, then per-layer times from a separate profiling run.\n");
        s.Append(CultureInfo.InvariantCulture, $"\"$trtexec\" --loadEngine=\"$engine\"{precisionFlag}{shapes} --warmUp=500 --duration=10 --useSpinWait --exportTimes=\"$out/trt-times.json\" --dumpProfile --separateProfileRun --exportProfile=\"$out/trt-profile.json\" 2>&1 | tee \"$out/trt-timing.log\"\n\n");
        s.Append("echo \"engine: $engine\"\n");
        s.Append("echo \"timings: $out/trt-times.json, per-layer profile: $out/trt-profile.json\"\n");
        return s.ToString();
    }

    private static string NoEngineReason(DeploymentDescriptor d) =>
        d.Target.ExecutionProviders.Any(p => p is "cuda" or "tensorrt")
            ? $"build-engine.sh: {d.Model}/{d.Variant} is {d.Precision} and TensorRT on {d.Target.Name} has no {d.Precision} kernels; deploy an fp16 variant to the GPU. measure.sh runs this model on the CPU."
            : $"build-engine.sh: target {d.Target.Name} has no TensorRT GPU; use measure.sh.";

    /// <summary>TensorRT needs concrete shapes for dynamic inputs: the manifest's input shapes, else 1 per symbol.</summary>
    private static string ShapesFlag(DeploymentDescriptor d)
    {
        var dynamic = d.Inputs.Where(i => i.Shape.Any(dim => !long.TryParse(dim, NumberStyles.None, CultureInfo.InvariantCulture, out _))).ToArray();
        if (dynamic.Length == 0)
        {
            return string.Empty;
        }

        var specs = dynamic.Select(input =>
        {
            var dims = d.Measure.InputShapes?.GetValueOrDefault(input.Name) is { } given && given.Count == input.Shape.Count
                ? given.Select(v => v.ToString(CultureInfo.InvariantCulture))
                : input.Shape.Select(dim => long.TryParse(dim, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? dim : "1");
            return $"{input.Name}:{string.Join('x', dims)}";
        });
        return " --shapes=" + ShellQuote.Single(string.Join(',', specs));
    }
}
