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

    public static RecoverOptions From(PassOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RecoverOptions
        {
            Method = options.String("method"),
            Samples = checked((int)options.Integer("samples")),
            Ridge = options.Number("ridge"),
            MaxFeatures = checked((int)options.Integer("maxFeatures")),
        };
    }
}
