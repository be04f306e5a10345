using CompressionTasks.Reports;

namespace CompressionTasks.Gates;

/// <summary>One gate's verdict on one variant, kept with the gate that gave it so a failure reports the gate's own location.</summary>
public sealed record GateVerdict(IGate Gate, string Model, string Variant, GateReport Report);
