using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Manifest;

namespace CompressionTasks.Passes;

/// <summary>
/// The sample count a data-driven step (calibration, recovery) checks before it runs: a dataset that selects no
/// samples, or fewer than the manifest explicitly asked for, is an error naming the dataset and both counts, never a
/// step quietly run on less. A defaulted count only bounds what is read.
/// </summary>
internal static class SampleRequirement
{
    /// <summary>
    /// Checks <paramref name="reader"/>, opened with at most <paramref name="asked"/> samples of its dataset's selection,
    /// holds at least one and, when <paramref name="given"/>, all <paramref name="asked"/>; disposes it when it throws.
    /// </summary>
    public static void Require(DatasetReader reader, int asked, bool given, string step, string option, string modelName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var available = reader.Count;
        if (available > 0 && (!given || available >= asked))
        {
            return;
        }

        var source = reader.Source;
        var selection = source.Limit is { } limit ? string.Create(CultureInfo.InvariantCulture, $" (limit {limit}, sampling {ManifestNames.Name(source.Sampling)})") : "";
        reader.Dispose();
        if (available == 0)
        {
            throw new CompressionException(DiagnosticCodes.DatasetEmpty, SourceLocation.InFile(source.Path),
                $"{step} ({modelName}): calibration dataset '{source.Name}'{selection} selects no samples, but {step} needs at least 1; give the dataset samples or raise its limit");
        }

        throw new CompressionException(DiagnosticCodes.TooFewSamples, SourceLocation.InFile(source.Path),
            string.Create(CultureInfo.InvariantCulture, $"{step} ({modelName}): {option}: {asked} asks for {asked} samples, but calibration dataset '{source.Name}'{selection} holds only {available}; lower {option} to at most {available} or leave it out to use every sample, or give the dataset more samples"));
    }
}
