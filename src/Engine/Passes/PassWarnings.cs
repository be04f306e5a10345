using System.Collections;
using CompressionTasks.Diagnostics;

namespace CompressionTasks.Passes;

/// <summary>
/// The warnings of one pass, in the order it made them. A pass warns through its context:
/// <c>context.Warn(DiagnosticCodes.KeptInFp32, "kept in fp32: ...")</c>; helpers it calls take this collector. Each
/// code is declared in a <c>DiagnosticCodes.*.cs</c> file and documented in docs/errors.md.
/// </summary>
public sealed class PassWarnings : IReadOnlyList<PassWarning>
{
    private readonly List<PassWarning> _items = [];

    public int Count => _items.Count;

    public PassWarning this[int index] => _items[index];

    public void Add(DiagnosticCode code, string message) => _items.Add(new PassWarning(code, message));

    public void Add(PassWarning warning) => _items.Add(warning);

    public IEnumerator<PassWarning> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
