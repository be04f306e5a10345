using CompressionTasks.Diagnostics;
using CompressionTasks.Vocabularies;

namespace CompressionTasks.Energy;

/// <summary>Manifest, command-line and deployment.json spellings of <see cref="EnergySensorKind"/>.</summary>
public static class EnergySensorNames
{
    /// <summary>In the order <c>auto</c> tries the sensors, after <c>auto</c> itself and before <c>none</c>.</summary>
    public static Vocabulary<EnergySensorKind> Vocabulary { get; } = new(
    [
        new(EnergySensorKind.Auto, "auto"),
        new(EnergySensorKind.JetsonIna3221, "jetson-ina3221"),
        new(EnergySensorKind.Nvml, "nvml"),
        new(EnergySensorKind.Rapl, "rapl"),
        new(EnergySensorKind.None, "none"),
    ]);

    public static string ToManifestName(this EnergySensorKind sensor) => Vocabulary.NameOf(sensor);

    /// <summary>Parses a sensor name (case-insensitive); anything else is CMP4007.</summary>
    public static EnergySensorKind Parse(string name, SourceLocation? location = null) =>
        Vocabulary.Find(name) ?? throw new CompressionException(
            DiagnosticCodes.UnknownPowerSensor,
            location ?? new SourceLocation(null, Element: "measure.energy.sensor"),
            $"Unknown energy sensor '{name}'; use one of {string.Join(", ", Vocabulary.Names)}.");
}
