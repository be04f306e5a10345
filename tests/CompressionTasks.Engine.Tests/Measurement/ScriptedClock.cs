using CompressionTasks.Measurement;

namespace CompressionTasks.Engine.Tests.Measurement;

/// <summary>A clock that only moves when told to: each "inference" advances it by the next scripted duration.</summary>
internal sealed class ScriptedClock(IEnumerable<double> durationsMs) : IMeasurementClock
{
    private readonly IEnumerator<double> _durations = durationsMs.GetEnumerator();
    private long _now;

    public long Frequency => 1_000_000_000;

    public int Runs { get; private set; }

    public long GetTimestamp() => _now;

    public void RunOnce()
    {
        if (!_durations.MoveNext())
        {
            throw new InvalidOperationException("The script ran out of durations.");
        }

        Runs++;
        _now += (long)Math.Round(_durations.Current * 1_000_000);
    }

    public static IEnumerable<double> Repeat(params double[] pattern)
    {
        while (true)
        {
            foreach (var value in pattern)
            {
                yield return value;
            }
        }
    }
}
