using System.Globalization;
using System.Text;
using CompressionTasks.Deployment.Contracts;

namespace CompressionTasks.Deployment;

/// <summary>
/// <c>build-engine.sh</c>: builds a TensorRT engine from the bundle's ONNX model with <c>trtexec</c> on the device.
/// Engines are specific to the GPU, the TensorRT version and even the clocks they were tuned under, so bundles ship
/// ONNX and this script, never an engine. The engine keeps the model's precision (<c>--fp16</c> only for an fp16
/// variant; the fp32 reference builds in fp32). Every flag is one TensorRT 8.0.1 and 8.2.1 both accept (JetPack 4.6 and
/// 4.6.1+; <see cref="TensorRt.TrtexecFlags"/>): <c>--workspace</c> in MiB, which TensorRT 8.4 renamed <c>--memPoolSize</c>.
/// <c>measure.sh --ep tensorrt</c> then times the engine with the runner, which brings the numbers into the report.
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
        s.Append(CultureInfo.InvariantCulture, $"engine_file={ShellQuote.Single(EngineFileName(descriptor))}\n");
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
        var precisionFlag = PrecisionFlag(descriptor.EnginePrecision);
        var shapes = ShapesFlag(descriptor);
        s.Append(CultureInfo.InvariantCulture, $"# Parse the ONNX model, pick kernels for this GPU, serialize the engine ({descriptor.EnginePrecision}).\n");
        s.Append(CultureInfo.InvariantCulture, $"\"$trtexec\" --onnx=\"$here/$model_file\"{precisionFlag}{shapes} --workspace=\"$workspace_mib\" --saveEngine=\"$engine\" 2>&1 | tee \"$out/build-engine.log\"\n\n");
        s.Append("echo \"engine: $engine\"\n");
        s.Append("echo 'time it with: ./measure.sh --ep tensorrt (the runner drives trtexec and samples the power monitor)'\n");
        return s.ToString();
    }

    /// <summary>The trtexec precision flag for an engine precision: none for fp32 (TensorRT's default).</summary>
    public static string PrecisionFlag(string? enginePrecision) => enginePrecision switch
    {
        "fp16" => " --fp16",
        "int8" => " --int8",
        _ => string.Empty,
    };

    /// <summary>The engine file build-engine.sh writes into its output folder.</summary>
    public static string EngineFileName(DeploymentDescriptor descriptor) =>
        Path.GetFileNameWithoutExtension((descriptor ?? throw new ArgumentNullException(nameof(descriptor))).ModelFile) + ".engine";

    private static string NoEngineReason(DeploymentDescriptor d) =>
        d.Target.CudaArchitecture is not null || d.Target.TensorRtVersions is { Count: > 0 }
            ? $"build-engine.sh: {d.Model}/{d.Variant} is {d.Precision} and TensorRT on {d.Target.Name} has no {d.Precision} kernels; deploy an fp16 variant to the GPU. measure.sh runs this model on the CPU (--ep cpu)."
            : $"build-engine.sh: target {d.Target.Name} has no TensorRT GPU; use measure.sh.";

    private static string ShapesFlag(DeploymentDescriptor d) =>
        TensorRt.TrtexecShapes.For(d) is { } shapes ? " --shapes=" + ShellQuote.Single(shapes) : string.Empty;
}
