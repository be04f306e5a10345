using CompressionTasks.Gates;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline.Stages;

/// <summary>One model through <see cref="GateStage"/>: its report and the verdicts of its variant gates, each with its gate.</summary>
internal sealed record JudgedModel(ModelReport Report, IReadOnlyList<GateVerdict> Verdicts);
