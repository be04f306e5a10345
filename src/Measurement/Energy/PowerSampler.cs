using System.Diagnostics;

namespace CompressionTasks.Energy;

/// <summary>
/// Reads a sensor on a dedicated thread at up to <c>sampleHz</c> (1 kHz by default), stamping each reading with
/// <see cref="Stopwatch.GetTimestamp"/>. It sleeps between readings rather than spinning, so it does not steal a core
/// from the inference it is measuring; the achieved rate is whatever the sleep granularity allows (about 1 kHz on Linux).
/// </summary>
public sealed class PowerSampler : IDisposable
{
    private readonly IPowerSensor _sensor;
    private readonly long _intervalTicks;
    private readonly List<PowerSample> _samples = [];
    private Thread? _thread;
    private volatile bool _stopping;
    private Exception? _failure;

    public PowerSampler(IPowerSensor sensor, double sampleHz = 1000)
    {
        ArgumentNullException.ThrowIfNull(sensor);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleHz);
        _sensor = sensor;
        _intervalTicks = Math.Max(1, (long)(Stopwatch.Frequency / Math.Min(sampleHz, 1000)));
    }

    public void Start()
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("The sampler is already running.");
        }

        _samples.Clear();
        _stopping = false;
        _failure = null;
        _thread = new Thread(Loop) { IsBackground = true, Name = "power-sampler", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>Stops sampling (taking one last reading) and returns every sample since <see cref="Start"/>.</summary>
    public IReadOnlyList<PowerSample> Stop()
    {
        if (_thread is null)
        {
            throw new InvalidOperationException("The sampler is not running.");
        }

        _stopping = true;
        _thread.Join();
        _thread = null;
        if (_failure is not null)
        {
            throw new InvalidOperationException($"The power sensor {_sensor.Name} failed: {_failure.Message}", _failure);
        }

        return _samples.ToArray();
    }

    public void Dispose()
    {
        if (_thread is not null)
        {
            _stopping = true;
            _thread.Join();
            _thread = null;
        }
    }

    private void Loop()
    {
        try
        {
            var next = Stopwatch.GetTimestamp();
            while (!_stopping)
            {
                _samples.Add(new PowerSample(Stopwatch.GetTimestamp(), _sensor.Read()));
                next += _intervalTicks;
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

            _samples.Add(new PowerSample(Stopwatch.GetTimestamp(), _sensor.Read()));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            _failure = ex;
        }
    }
}
