using CompressionTasks.Diagnostics;

namespace CompressionTasks.Passes;

/// <summary>
/// A remark a pass makes about its own result (a node kept in fp32, a layer skipped), with the code it is printed under:
/// <c>compression.yaml(line,col): warning CMP2151: ...</c> at the pass's line, an MSBuild warning that <c>NoWarn</c> and
/// <c>-warnaserror</c> see, and an entry of the pass in report.json.
/// </summary>
public sealed record PassWarning(DiagnosticCode Code, string Message);
