namespace CompressionTasks.Energy;

/// <summary>
/// Energy per inference in joules, with idle power subtracted: (active W − idle W) × inference time / inferences.
/// When no sensor could measure it, <see cref="JoulesPerInference"/> is null and <see cref="Unavailable"/> says why;
/// the report then writes <c>{unavailable: reason}</c>, never an estimate.
/// </summary>
public sealed record EnergyResult(
    double? JoulesPerInference,
    string? Sensor,
    string? Unavailable,
    double IdleWatts,
    double ActiveWatts,
    int Samples,
    int Inferences = 0)
{
    public static EnergyResult NotAvailable(string reason, string? sensor = null) => new(null, sensor, reason, 0, 0, 0);
}
