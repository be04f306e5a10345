using System.Diagnostics;
using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.IO;
using CompressionTasks.Manifest;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Verification;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline;

/// <summary>Produces one variant's model file: the baseline is the source copied as is; any other variant is the source with its passes applied in order.</summary>
public static class VariantBuilder
{
    public sealed record BuiltVariant(string ModelPath, OnnxGraph Graph, IReadOnlyList<PassReport> Passes, IReadOnlyList<string> Warnings);

    /// <summary>The source file copied as is; its statistics are counted on <paramref name="prepared"/> when given (weights in Constant nodes included).</summary>
    public static BuiltVariant Baseline(LoadedModel source, string sourcePath, string destination, ModelProto? prepared = null)
    {
        CopyWithExternalData(source, sourcePath, destination);
        return new BuiltVariant(destination, OnnxGraph.Import((prepared ?? source.Model).Clone()), [], []);
    }

    public static BuiltVariant Build(ModelProto source, VariantDefinition variant, PassContext context, string destination, OnnxSaveOptions? save = null)
    {
        var graph = OnnxGraph.Import(source.Clone());
        var reports = new List<PassReport>();
        var warnings = new List<string>();
        foreach (var bound in variant.Passes)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            context.Progress?.Report($"{context.ModelName}/{variant.Name}: {bound.Name}");
            var clock = Stopwatch.StartNew();
            var before = context.VerifyOutputs ? graph.Copy() : null;
            var passContext = context with { Warnings = new PassWarnings() };
            var result = ApplyAt(bound.Pass, graph, passContext, bound.Location);
            graph.Cleanup();
            graph.TopologicalSort();
            if (before is not null)
            {
                // Before anything is written: an output ONNX Runtime cannot run, or that silently moved, stops here.
                At(() => PassOutputVerifier.Verify(bound.Name, before, graph, context, context.Shapes, result), bound.Location);
            }

            PassWarningReport[] passWarnings =
            [
                .. passContext.Warnings.Select(w => new PassWarningReport(w.Code.Id, w.Message)),
                .. result.Warnings.Select(w => new PassWarningReport(DiagnosticCodes.PassWarning.Id, w)),
            ];
            reports.Add(new PassReport(bound.Name, bound.DescribeOptions(), Math.Round(clock.Elapsed.TotalMilliseconds, 1))
            {
                Details = result.Details.Count > 0 ? result.Details : null,
                LayerErrors = result.LayerErrors,
                Warnings = passWarnings.Length > 0 ? passWarnings : null,
            });
            warnings.AddRange(passWarnings.Select(w => $"{bound.Name}: {w.Message}"));
        }

        OnnxModelFile.Save(graph.Export(), destination, save);
        return new BuiltVariant(destination, graph, reports, warnings);
    }

    /// <summary>
    /// Runs a pass; a problem the pass reports without a file (missing calibration data, say) is placed at the pass's
    /// line in the manifest, so an IDE or CI log jumps to the variant that asked for it.
    /// </summary>
    private static PassResult ApplyAt(ICompressionPass pass, OnnxGraph graph, PassContext context, SourceLocation where) =>
        At(() => pass.Apply(graph, context), where);

    private static void At(Action action, SourceLocation where) => At(() =>
    {
        action();
        return 0;
    }, where);

    private static T At<T>(Func<T> action, SourceLocation where)
    {
        try
        {
            return action();
        }
        catch (CompressionException ex) when (ex.Diagnostics.Any(d => d.Location.File is null))
        {
            var located = ex.Diagnostics
                .Select(d => d.Location.File is null ? d with { Location = where with { Element = d.Location.Element } } : d)
                .ToArray();
            throw new CompressionException(located, ex);
        }
    }

    private static void CopyWithExternalData(LoadedModel source, string sourcePath, string destination)
    {
        var sourceFolder = Path.GetDirectoryName(Path.GetFullPath(sourcePath))!;
        var destinationFolder = Path.GetDirectoryName(destination)!;
        foreach (var data in source.ExternalDataFiles)
        {
            // External data locations were checked to stay inside the model's folder when the model was loaded.
            var from = Path.Combine(sourceFolder, data.Location);
            var to = Path.GetFullPath(Path.Combine(destinationFolder, data.Location));
            if (!to.StartsWith(destinationFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new CompressionException(DiagnosticCodes.UnsafeOutputName, SourceLocation.InFile(sourcePath), $"external data '{data.Location}' would be copied outside '{destinationFolder}'");
            }

            CopyFile(from, to);
        }

        CopyFile(sourcePath, destination);
    }

    private static void CopyFile(string from, string to)
    {
        using var input = File.OpenRead(from);
        AtomicFile.Write(to, output => input.CopyTo(output));
    }
}
