using System.Globalization;

namespace CompressionTasks.Passes.Pruning;

/// <summary>The options of <c>prune</c>, as bound from the manifest (see <see cref="PrunePass.Descriptor"/>).</summary>
public sealed record PruneOptions
{
    /// <summary><c>magnitude</c> (zero single weights) or <c>structured</c> (remove whole Conv output channels).</summary>
    public string Method { get; init; } = "structured";

    /// <summary>Structured: share of each channel group removed (per layer) or of all prunable channels (global).</summary>
    public double Ratio { get; init; } = 0.3;

    /// <summary>Magnitude: share of the prunable weights set to zero.</summary>
    public double Sparsity { get; init; } = 0.5;

    /// <summary><c>layer</c>: every layer (group) gets the same share; <c>global</c>: one threshold ranks all layers together.</summary>
    public string Scope { get; init; } = "layer";

    /// <summary>Structured: channel importance, <c>l1</c>, <c>l2</c> (norms of the producing Conv filters) or <c>bn-scale</c> (|γ| of the following BatchNormalization).</summary>
    public string Importance { get; init; } = "l1";

    /// <summary>Structured: kept channel counts are rounded up to a multiple of this (8 suits SIMD and tensor cores).</summary>
    public int RoundTo { get; init; } = 1;

    /// <summary>Node names never pruned (structured: Convs whose output channels stay; magnitude: layers left dense).</summary>
    public IReadOnlyList<string> Protect { get; init; } = [];

    /// <summary>Per-node ratio (structured) or sparsity (magnitude) overrides, written <c>nodeName=0.2</c>.</summary>
    public IReadOnlyDictionary<string, double> LayerRatios { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>Magnitude: leave the first and last weighted layers dense (they are the most sensitive).</summary>
    public bool ProtectFirstLast { get; init; } = true;

    /// <summary>Magnitude: <c>dense</c> (same file size, zeros only help compression) or <c>sparse</c> (COO sparse constants).</summary>
    public string Storage { get; init; } = "dense";

    public static PruneOptions From(PassOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new PruneOptions
        {
            Method = options.String("method"),
            Ratio = options.Number("ratio"),
            Sparsity = options.Number("sparsity"),
            Scope = options.String("scope"),
            Importance = options.String("importance"),
            RoundTo = checked((int)options.Integer("roundTo")),
            Protect = options.StringList("protect"),
            LayerRatios = ParseLayerRatios(options.StringList("layerRatios")),
            ProtectFirstLast = options.Boolean("protectFirstLast"),
            Storage = options.String("storage"),
        };
    }

    private static Dictionary<string, double> ParseLayerRatios(IEnumerable<string> entries)
    {
        var ratios = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var split = entry.LastIndexOf('=');
            if (split <= 0 || !double.TryParse(entry.AsSpan(split + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value is < 0 or > 1)
            {
                throw new ArgumentException($"layerRatios entry '{entry}' is not 'nodeName=ratio' with a ratio in [0, 1]", nameof(entries));
            }

            ratios[entry[..split]] = value;
        }

        return ratios;
    }
}
