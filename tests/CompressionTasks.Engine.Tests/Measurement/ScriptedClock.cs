using CompressionTasks.Measurement;

namespace CompressionTasks.Engine.Tests.Measurement;

/// <summary>A clock that only moves when told to: each "inference" advances it by the next scripted duration.</summary>
internal sealed class ScriptedClock(IEnumerable<double> durationsMs) : IMeasurementClock
{
    private readonly IEnumerator<double> durations = durationsMs.GetEnumerator();
    private long now;

    public long Frequency => 1_000_000_000;

    public int Runs { get; private set; }

    public long GetTimestamp() => now;

    public void RunOnce()
    {
        if (!durations.MoveNext())
        {
            throw new InvalidOperationException("The script ran out of durations.");
        }

        Runs++;
        now += (long)Math.Round(durations.Current * 1_000_000);
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
