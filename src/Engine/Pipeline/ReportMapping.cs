using CompressionTasks.Energy;
using CompressionTasks.Evaluation.Metrics;
using CompressionTasks.Measurement;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline;

/// <summary>Engine results → the report contract. Numbers are rounded to what a measurement can support, so reports diff cleanly.</summary>
public static class ReportMapping
{
    /// <param name="skipped">Unreadable images the dataset left out; 0 leaves <see cref="AccuracyReport.Skipped"/> unset.</param>
    public static AccuracyReport Accuracy(AccuracyMetrics m, int skipped = 0) =>
        new(Round(m.Top1), Round(m.Top5), Round(m.Precision), Round(m.Recall), Round(m.F1), m.Samples) { Skipped = skipped > 0 ? skipped : null };

    public static AgreementReport Agreement(AgreementMetrics m) => new(Round(m.Top1), Round(m.Cosine), m.Samples);

    public static OutputFitReport OutputFit(string output, OutputFitMetrics m) =>
        new(output, Round(m.Cosine), m.SqnrDb is { } sqnr ? Round(sqnr) : null, Round(m.MaxAbsError), Round(m.MeanAbsError), m.Samples);

    public static LatencyReport Latency(LatencyResult latency)
    {
        var s = latency.Statistics;
        return new LatencyReport(Round(s.MeanMs), Round(s.MedianMs), Round(s.P90Ms), Round(s.P99Ms), Round(s.CiHalfWidthMs), s.Runs,
            latency.Provider.Actual.ToManifestName())
        {
            Confidence = s.Confidence,
            MaxRelativeHalfWidth = latency.MaxRelativeHalfWidth,
            StopReason = latency.StopReason.ToReportName(),
            IntraOpThreads = latency.Provider.IntraOpThreads,
            LoadMs = Round(latency.LoadMs + latency.SessionCreateMs),
            Samples = latency.SamplesMs.Select(Round).ToArray(),
        };
    }

    public static ContentionReport Contention(MachineLoad load, LatencyClock clock) => new()
    {
        WallSeconds = Round(load.WallSeconds),
        ProcessCpuSeconds = Round(load.ProcessCpuSeconds),
        LoadAverageStart = load.LoadAverageStart,
        LoadAverageEnd = load.LoadAverageEnd,
        MachineBusyShare = load.MachineBusyShare is { } busy ? Round(busy) : null,
        StealShare = load.StealShare is { } steal ? Round(steal) : null,
        LogicalCores = load.LogicalCores,
        Clock = clock.ToManifestName(),
        Contended = load.Contended,
        Reason = load.Reason,
    };

    /// <summary>Null when the measurement had no session epochs to plan (one variant, or <c>sessionEpochs: 1</c>).</summary>
    public static SessionEpochsReport? SessionEpochs(SessionEpochPlan plan) => plan.Requested > 1
        ? new SessionEpochsReport(plan.Requested, plan.Planned, plan.Run, Round(plan.ReopenSeconds), Round(plan.SecondsPerReopen), Round(plan.AllowanceSeconds))
        : null;

    /// <summary>Null when the interval could not be formed (fewer than two paired blocks).</summary>
    public static SpeedupReport? Speedup(Statistics.PairedRatio? ratio, double maxRelativeHalfWidth, int blockRuns) =>
        ratio is { } r && double.IsFinite(r.High) && r.Estimate > 0
            ? new SpeedupReport(Round(r.Estimate), Round(r.Low), Round(r.High), r.Verdict.ToReportName())
            {
                Confidence = r.Confidence,
                MaxRelativeHalfWidth = maxRelativeHalfWidth,
                Pairs = r.Pairs,
                BlockRuns = blockRuns,
                Epochs = r.Epochs,
                EpochEstimates = r.EpochEstimates?.Select(Round).ToArray(),
                PairsLow = r.OverPairs is { } p ? Round(p.Low) : null,
                PairsHigh = r.OverPairs is { } q ? Round(q.High) : null,
            }
            : null;

    public static EnergyReport Energy(EnergyResult energy) => energy.JoulesPerInference is { } joules
        ? new EnergyReport { JoulesPerInference = joules, Sensor = energy.Sensor }
        : new EnergyReport { Unavailable = energy.Unavailable ?? "no reading", Sensor = energy.Sensor };

    public static IReadOnlyList<Reports.OperatorTime> Operators(OperatorBreakdown breakdown) =>
        breakdown.ByOpType.Select(o => new Reports.OperatorTime(o.OpType, Round(o.Ms), Round(o.Share))).ToArray();

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 6) : value;
}
