namespace CompressionTasks.Diagnostics;

/// <summary>fp16 type consistency (212x), pruning through channel-wise operators (221x), output-fit gates (507x) and their manifest checks (107x).</summary>
public static partial class DiagnosticCodes
{
    /// <summary><c>quantize</c> (or <c>prune</c>) after <c>convert: fp16</c> in one variant: those passes read fp32 weights and activations.</summary>
    public static readonly DiagnosticCode PassAfterFp16 = new(1070, "Pass after fp16 conversion");

    /// <summary>fp16 conversion met a node with a subgraph body (If, Loop, Scan), whose outer-scope reads it cannot retype.</summary>
    public static readonly DiagnosticCode Fp16SubgraphUnsupported = new(2120, "fp16 conversion of a graph with subgraphs");
}
