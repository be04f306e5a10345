using System.Diagnostics;

namespace CompressionTasks.Energy;

/// <summary>
/// Reads a sensor on a dedicated thread at up to <c>sampleHz</c> (1 kHz by default), stamping each reading with
/// <see cref="Stopwatch.GetTimestamp"/>. It sleeps between readings rather than spinning, so it does not steal a core
/// from the inference it is measuring; the achieved rate is whatever the sleep granularity allows (about 1 kHz on Linux).
/// </summary>
public sealed class PowerSampler : IDisposable
{
    private readonly IPowerSensor sensor;
    private readonly long intervalTicks;
    private readonly List<PowerSample> samples = [];
    private Thread? thread;
    private volatile bool stopping;
    private Exception? failure;

    public PowerSampler(IPowerSensor sensor, double sampleHz = 1000)
    {
        ArgumentNullException.ThrowIfNull(sensor);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleHz);
        this.sensor = sensor;
        intervalTicks = Math.Max(1, (long)(Stopwatch.Frequency / Math.Min(sampleHz, 1000)));
    }

    public void Start()
    {
        if (thread is not null)
        {
            throw new InvalidOperationException("The sampler is already running.");
        }

        samples.Clear();
        stopping = false;
        failure = null;
        thread = new Thread(Loop) { IsBackground = true, Name = "power-sampler", Priority = ThreadPriority.AboveNormal };
        thread.Start();
    }

    /// <summary>Stops sampling (taking one last reading) and returns every sample since <see cref="Start"/>.</summary>
    public IReadOnlyList<PowerSample> Stop()
    {
        if (thread is null)
        {
            throw new InvalidOperationException("The sampler is not running.");
        }

        stopping = true;
        thread.Join();
        thread = null;
        if (failure is not null)
        {
            throw new InvalidOperationException($"The power sensor {sensor.Name} failed: {failure.Message}", failure);
        }

        return samples.ToArray();
    }

    public void Dispose()
    {
        if (thread is not null)
        {
            stopping = true;
            thread.Join();
            thread = null;
        }
    }

    private void Loop()
    {
        try
        {
            var next = Stopwatch.GetTimestamp();
            while (!stopping)
            {
                samples.Add(new PowerSample(Stopwatch.GetTimestamp(), sensor.Read()));
                next += intervalTicks;
                var waitTicks = next - Stopwatch.GetTimestamp();
                if (waitTicks > 0)
                {
                    Thread.Sleep(TimeSpan.FromSeconds(waitTicks / (double)Stopwatch.Frequency));
                }
                else
                {
                    // Fell behind (slow sensor read): do not try to catch up with a burst of readings.
                    next = Stopwatch.GetTimestamp();
                }
            }

            samples.Add(new PowerSample(Stopwatch.GetTimestamp(), sensor.Read()));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            failure = ex;
        }
    }
}
