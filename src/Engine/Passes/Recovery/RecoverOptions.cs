using System.Globalization;

namespace CompressionTasks.Passes.Recovery;

/// <summary>The options of <c>recover</c> (see <see cref="RecoverPass.Descriptor"/>).</summary>
public sealed record RecoverOptions
{
    /// <summary><c>bn-recalibration</c>, <c>bias-correction</c> or <c>least-squares</c>.</summary>
    public string Method { get; init; } = "bn-recalibration";

    /// <summary>Calibration samples used at most.</summary>
    public int Samples { get; init; } = 512;

    /// <summary>Least squares: ridge strength, relative to the mean diagonal of XᵀX.</summary>
    public double Ridge { get; init; } = 1e-3;

    /// <summary>Least squares: layers with more input features (Cin·kh·kw) than this are skipped, bounding XᵀX at features² doubles.</summary>
    public int MaxFeatures { get; init; } = 4096;

    public static RecoverOptions From(IReadOnlyDictionary<string, object?> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new RecoverOptions();
        if (options.GetValueOrDefault("method") is string method) result = result with { Method = method };
        if (options.GetValueOrDefault("samples") is { } samples) result = result with { Samples = Convert.ToInt32(samples, CultureInfo.InvariantCulture) };
        if (options.GetValueOrDefault("ridge") is { } ridge) result = result with { Ridge = Convert.ToDouble(ridge, CultureInfo.InvariantCulture) };
        if (options.GetValueOrDefault("maxFeatures") is { } features) result = result with { MaxFeatures = Convert.ToInt32(features, CultureInfo.InvariantCulture) };
        return result;
    }
}
