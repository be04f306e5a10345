using System.Runtime.InteropServices;

namespace CompressionTasks.Energy;

/// <summary>
/// An NVIDIA GPU's board power through NVML (libnvidia-ml.so.1, installed with the driver). Uses the total energy
/// counter (nvmlDeviceGetTotalEnergyConsumption, mJ, Volta and newer) when the GPU supports it, because it integrates
/// in hardware; otherwise the power reading (nvmlDeviceGetPowerUsage, mW), which NVML itself averages over a short window.
/// </summary>
public sealed class NvmlPowerSensor : IPowerSensor
{
    private const string LibraryName = "libnvidia-ml.so.1";
    private const int Success = 0;
    private readonly IntPtr _device;
    private readonly bool _hasEnergyCounter;
    private bool _disposed;

    private NvmlPowerSensor(IntPtr device, bool hasEnergyCounter, int deviceIndex)
    {
        _device = device;
        _hasEnergyCounter = hasEnergyCounter;
        Name = $"nvml (GPU {deviceIndex}, {(hasEnergyCounter ? "energy counter" : "power usage")})";
    }

    public string Name { get; }

    public static NvmlPowerSensor? TryCreate(int deviceIndex, out string reason)
    {
        if (!NativeLibrary.TryLoad(LibraryName, typeof(NvmlPowerSensor).Assembly, null, out var handle))
        {
            reason = $"{LibraryName} not found (no NVIDIA driver on this machine)";
            return null;
        }

        NativeLibrary.Free(handle);
        try
        {
            var status = NativeMethods.nvmlInit_v2();
            if (status != Success)
            {
                reason = $"nvmlInit_v2 failed with NVML status {status}";
                return null;
            }

            status = NativeMethods.nvmlDeviceGetHandleByIndex_v2((uint)deviceIndex, out var _device);
            if (status != Success)
            {
                NativeMethods.nvmlShutdown();
                reason = $"nvmlDeviceGetHandleByIndex_v2({deviceIndex}) failed with NVML status {status}";
                return null;
            }

            if (NativeMethods.nvmlDeviceGetTotalEnergyConsumption(_device, out _) == Success)
            {
                reason = string.Empty;
                return new NvmlPowerSensor(_device, hasEnergyCounter: true, deviceIndex);
            }

            status = NativeMethods.nvmlDeviceGetPowerUsage(_device, out _);
            if (status != Success)
            {
                NativeMethods.nvmlShutdown();
                reason = $"GPU {deviceIndex} reports neither total energy nor power usage (NVML status {status})";
                return null;
            }

            reason = string.Empty;
            return new NvmlPowerSensor(_device, hasEnergyCounter: false, deviceIndex);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            reason = $"{LibraryName} could not be used: {ex.Message}";
            return null;
        }
    }

    public PowerReading Read()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_hasEnergyCounter)
        {
            var status = NativeMethods.nvmlDeviceGetTotalEnergyConsumption(_device, out var millijoules);
            return status == Success
                ? PowerReading.FromCumulativeJoules(millijoules / 1000.0)
                : throw new InvalidOperationException($"nvmlDeviceGetTotalEnergyConsumption failed with NVML status {status}");
        }

        var powerStatus = NativeMethods.nvmlDeviceGetPowerUsage(_device, out var milliwatts);
        return powerStatus == Success
            ? PowerReading.FromWatts(milliwatts / 1000.0)
            : throw new InvalidOperationException($"nvmlDeviceGetPowerUsage failed with NVML status {powerStatus}");
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            NativeMethods.nvmlShutdown();
        }
    }

    private static class NativeMethods
    {
        [DllImport(LibraryName)]
        public static extern int nvmlInit_v2();

        [DllImport(LibraryName)]
        public static extern int nvmlShutdown();

        [DllImport(LibraryName)]
        public static extern int nvmlDeviceGetHandleByIndex_v2(uint index, out IntPtr _device);

        [DllImport(LibraryName)]
        public static extern int nvmlDeviceGetTotalEnergyConsumption(IntPtr _device, out ulong energyMillijoules);

        [DllImport(LibraryName)]
        public static extern int nvmlDeviceGetPowerUsage(IntPtr _device, out uint powerMilliwatts);
    }
}
