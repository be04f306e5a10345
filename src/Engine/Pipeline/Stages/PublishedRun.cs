using CompressionTasks.Diagnostics;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline.Stages;

/// <summary>What <see cref="PublishStage"/> wrote: the report as published, its Markdown rendering, and the deployment's warnings.</summary>
internal sealed record PublishedRun(CompressionReport Report, string Markdown, IReadOnlyList<Diagnostic> Diagnostics);
