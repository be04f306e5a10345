using System.Globalization;
using System.Text;
using CompressionTasks.Deployment.Contracts;

namespace CompressionTasks.Deployment;

/// <summary>The bundle's README.md: what is in it and the steps on the device, with this bundle's names filled in.</summary>
public static class BundleReadme
{
    public const string FileName = "README.md";

    public static string Render(DeploymentDescriptor d, bool hasBuildEngineScript)
    {
        ArgumentNullException.ThrowIfNull(d);
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"# {d.Model} / {d.Variant} for {d.Target.Name}\n\n");
        s.Append(CultureInfo.InvariantCulture, $"Written by {d.Tool} {d.ToolVersion}. The model is **{d.Precision}** ({d.PrecisionEvidence}).\n");
        if (d.Target.Description is { } description)
        {
            s.Append(CultureInfo.InvariantCulture, $"Target: {description}");
            if (d.Target.StackVersions is { Count: > 0 } stack)
            {
                s.Append(" (").Append(string.Join(", ", stack.Select(kv => $"{kv.Key} {kv.Value}"))).Append(')');
            }

            s.Append(".\n");
        }

        s.Append('\n');
        foreach (var warning in d.Warnings ?? [])
        {
            s.Append(CultureInfo.InvariantCulture, $"> **Warning:** {warning}\n\n");
        }

        s.Append("## Files\n\n");
        s.Append("| file | what |\n| --- | --- |\n");
        s.Append(CultureInfo.InvariantCulture, $"| `{d.ModelFile}` | the ONNX model |\n");
        s.Append(CultureInfo.InvariantCulture, $"| `{DeploymentDescriptor.FileName}` | inputs, outputs, preprocessing, labels, host numbers, SHA-256 of every file |\n");
        if (hasBuildEngineScript)
        {
            s.Append(CultureInfo.InvariantCulture, $"| `{BuildEngineScript.FileName}` | builds the TensorRT engine with the board's trtexec ({d.EnginePrecision ?? "none"}) |\n");
        }

        s.Append(CultureInfo.InvariantCulture, $"| `{MeasureScript.FileName}` | records power mode and clocks, runs the runner: latency, energy, per-layer times |\n");
        s.Append(CultureInfo.InvariantCulture, $"| `{BundleWriter.ChecksumsFileName}` | checksums for `sha256sum -c` |\n\n");

        s.Append("## On the device\n\n");
        s.Append("```sh\n");
        s.Append("sha256sum -c SHA256SUMS                 # the copy is intact\n");
        s.Append(CultureInfo.InvariantCulture, $"cp -r /path/to/runner {MeasureScript.RunnerFolder}            # the published runner (linux-arm64, self-contained)\n");
        if (hasBuildEngineScript && d.EnginePrecision is not null)
        {
            s.Append("sudo ./measure.sh --max-performance --ep tensorrt   # builds the engine (build-engine.sh), times it with trtexec\n");
        }

        s.Append("sudo ./measure.sh --max-performance --ep cpu --ort-library /path/to/libonnxruntime.so   # ONNX Runtime on the CPUs\n");
        s.Append("```\n\n");
        s.Append(CultureInfo.InvariantCulture, $"`measure.sh` writes `results/{MeasureScript.FragmentFileName}` (latency samples and statistics, energy per inference from the\n");
        s.Append("INA3221 rails with idle power subtracted, per-layer times on the GPU path) and `results/device-state.txt` (nvpmodel mode and\n");
        s.Append(CultureInfo.InvariantCulture, $"clocks before and after). Copy the fragment back and run `dotnet compress deploy --merge {MeasureScript.FragmentFileName}` next to the\n");
        s.Append("run's report.json to add a `device` section to the variant.\n\n");
        s.Append("`--ep tensorrt` needs only JetPack's TensorRT (trtexec in /usr/src/tensorrt/bin). `--ep cpu` loads any ONNX Runtime 1.10 or\n");
        s.Append("newer built for the board (the runner binds its C API at version 10). See docs/deployment-tx2.md in the CompressionTasks\n");
        s.Append("repository for every step.\n\n");

        s.Append("## Inputs and outputs\n\n");
        s.Append("| kind | name | type | shape |\n| --- | --- | --- | --- |\n");
        foreach (var input in d.Inputs)
        {
            s.Append(CultureInfo.InvariantCulture, $"| input | `{input.Name}` | {input.ElementType} | [{string.Join(", ", input.Shape)}] |\n");
        }

        foreach (var output in d.Outputs)
        {
            s.Append(CultureInfo.InvariantCulture, $"| output | `{output.Name}` | {output.ElementType} | [{string.Join(", ", output.Shape)}] |\n");
        }

        if (d.Host is { } host)
        {
            s.Append("\n## On the host\n\n");
            if (host.Top1 is { } top1)
            {
                s.Append(CultureInfo.InvariantCulture, $"- top-1 accuracy: {top1:0.##}% on {host.Samples} samples\n");
            }

            if (host.LatencyMeanMs is { } mean)
            {
                s.Append(CultureInfo.InvariantCulture, $"- latency: {mean:0.###} ms mean ({host.ExecutionProvider} on {host.Cpu})\n");
            }
        }

        return s.ToString();
    }
}
