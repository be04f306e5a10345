using System.Diagnostics;

namespace CompressionTasks.Energy;

/// <summary>
/// Measures energy per inference: samples the sensor while idle for <see cref="EnergySettings.IdleSeconds"/> (the
/// baseline the board draws anyway), then while inference repeats for at least <see cref="EnergySettings.ActiveSeconds"/>.
/// Energy per inference = (active W − idle W) × inference wall time / inferences. A difference that is not positive
/// means the sensor cannot resolve this model's cost; that is reported as unavailable rather than as a number.
/// </summary>
public sealed class EnergyMeter
{
    private readonly EnergySettings _settings;

    public EnergyMeter(EnergySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
    }

    /// <summary>Opens the configured sensor and measures; unavailable (not an error) when there is no sensor.</summary>
    public EnergyResult Measure(Action runInference, CancellationToken cancellationToken = default)
    {
        var selection = PowerSensorFactory.Open(_settings);
        if (selection.Sensor is null)
        {
            return EnergyResult.NotAvailable(selection.Unavailable ?? "no energy sensor");
        }

        using var sensor = selection.Sensor;
        return Measure(sensor, runInference, cancellationToken);
    }

    /// <param name="idle">An idle trace sampled earlier (before any inference loaded the machine); null samples it now, first.</param>
    public EnergyResult Measure(IPowerSensor sensor, Action runInference, CancellationToken cancellationToken = default, IReadOnlyList<PowerSample>? idle = null)
    {
        ArgumentNullException.ThrowIfNull(sensor);
        ArgumentNullException.ThrowIfNull(runInference);

        idle ??= SampleIdle(sensor, cancellationToken);
        using var sampler = new PowerSampler(sensor, _settings.SampleRateHz);
        sampler.Start();
        var start = Stopwatch.GetTimestamp();
        var inferences = 0;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            runInference();
            inferences++;
        }
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < _settings.ActiveSeconds);

        var inferenceSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var active = sampler.Stop();

        return FromTraces(sensor.Name, idle, active, inferenceSeconds, inferences, Stopwatch.Frequency);
    }

    /// <summary>Samples the sensor for <see cref="EnergySettings.IdleSeconds"/> while nothing runs: the power the board draws anyway.</summary>
    public IReadOnlyList<PowerSample> SampleIdle(IPowerSensor sensor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sensor);
        using var sampler = new PowerSampler(sensor, _settings.SampleRateHz);
        sampler.Start();
        cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(_settings.IdleSeconds));
        var idle = sampler.Stop();
        cancellationToken.ThrowIfCancellationRequested();
        return idle;
    }

    /// <summary>The arithmetic of <see cref="Measure(IPowerSensor, Action, CancellationToken)"/> over recorded traces.</summary>
    public static EnergyResult FromTraces(
        string sensorName,
        IReadOnlyList<PowerSample> idle,
        IReadOnlyList<PowerSample> active,
        double inferenceSeconds,
        int inferences,
        long ticksPerSecond)
    {
        ArgumentNullException.ThrowIfNull(idle);
        ArgumentNullException.ThrowIfNull(active);
        var samples = idle.Count + active.Count;
        var idleWatts = EnergyIntegrator.MeanWatts(idle, ticksPerSecond);
        var activeWatts = EnergyIntegrator.MeanWatts(active, ticksPerSecond);
        if (double.IsNaN(idleWatts) || double.IsNaN(activeWatts) || inferences <= 0)
        {
            return new EnergyResult(null, sensorName, "too few sensor readings to integrate", SafeWatts(idleWatts), SafeWatts(activeWatts), samples, inferences);
        }

        return FromPowers(sensorName, idleWatts, activeWatts, inferenceSeconds, inferences, samples);
    }

    /// <summary>
    /// Energy per inference from the mean idle and active power: (active W − idle W) × <paramref name="inferenceSeconds"/>
    /// / <paramref name="inferences"/>, unavailable with the reason when active power does not exceed idle.
    /// </summary>
    public static EnergyResult FromPowers(string sensorName, double idleWatts, double activeWatts, double inferenceSeconds, int inferences, int samples)
    {
        // Integrating the same constant power over different timestamps can leave a difference of a few ulps; no
        // sensor resolves a microwatt, so anything below that (or below 1e-9 of the idle power) is no difference at all.
        var dynamicWatts = activeWatts - idleWatts;
        if (dynamicWatts <= Math.Max(1e-6, 1e-9 * Math.Abs(idleWatts)))
        {
            return new EnergyResult(
                null,
                sensorName,
                $"active power ({activeWatts:F3} W) did not exceed idle power ({idleWatts:F3} W): the sensor cannot resolve this model's energy",
                idleWatts,
                activeWatts,
                samples,
                inferences);
        }

        return new EnergyResult(dynamicWatts * inferenceSeconds / inferences, sensorName, null, idleWatts, activeWatts, samples, inferences);
    }

    private static double SafeWatts(double watts) => double.IsNaN(watts) ? 0 : watts;
}
