namespace CompressionTasks.Passes.Folding;

/// <summary>Options of <c>fold</c>: which normalisation to fold into the preceding layer.</summary>
public sealed record BatchNormFoldOptions(string Op)
{
    public static BatchNormFoldOptions From(PassOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.String("op"));
    }
}
