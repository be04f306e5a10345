namespace CompressionTasks.Energy;

/// <summary>
/// Sampling fitted to the Jetson INA3221 monitor. Each sysfs read is a blocking I²C transaction of about a millisecond,
/// and the ina3221x driver on L4T 32 reports a value averaged by the chip that changes only about every 0.42 s (its
/// default averaging and conversion times). Reading at 20 Hz sees every update within 50 ms without loading a CPU
/// core; windows of 5 s idle and 10 s active hold 12 and 24 independent values. Power takes a moment to settle after
/// the load changes (clocks ramp, the averaging window still holds the previous state), so the first 2 s of each
/// window are discarded.
/// </summary>
public static class Ina3221Timing
{
    public const double SampleHz = 20;

    public const double IdleSeconds = 5;

    public const double ActiveSeconds = 10;

    public const double SettleSeconds = 2;

    /// <summary>Above this rate reads only repeat the chip's averaged value while costing I²C transactions.</summary>
    public const double MaxUsefulHz = 50;
}
