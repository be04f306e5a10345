namespace CompressionTasks.Hardening.Tests.Processes;

/// <summary>A background thread that keeps one core busy until disposed, as another job on a shared CI runner does.</summary>
internal sealed class BusyCore : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;

    public BusyCore()
    {
        _thread = new Thread(Spin) { IsBackground = true, Name = "busy core" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }

    private void Spin()
    {
        var x = 0UL;
        while (!_stop)
        {
            x = (x * 6364136223846793005UL) + 1442695040888963407UL;
        }

        GC.KeepAlive(x);
    }
}
