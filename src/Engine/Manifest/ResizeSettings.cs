namespace CompressionTasks.Manifest;

/// <summary>Either a fixed <c>[height, width]</c> or <c>{ shorterSide: N }</c> (aspect ratio kept); exactly one is set.</summary>
public sealed record ResizeSettings(int? Height, int? Width, int? ShorterSide);
