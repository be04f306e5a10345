namespace CompressionTasks.Manifest;

/// <summary>Power sensors the manifest may name; <see cref="Auto"/> picks the first one available.</summary>
public enum EnergySensor
{
    Auto,
    JetsonIna3221,
    Nvml,
    Rapl,
    None,
}
