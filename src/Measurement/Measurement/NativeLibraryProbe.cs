using System.Runtime.InteropServices;

namespace CompressionTasks.Measurement;

/// <summary>
/// Checks that the native libraries a GPU execution provider needs can be loaded, before ONNX Runtime is asked for the
/// provider: ORT's own failure is a long loader message, this names the library that is missing. Each library is
/// tried under several sonames (CUDA 13 for Microsoft.ML.OnnxRuntime.Gpu 1.31, older ones for a Jetson's native ORT).
/// </summary>
public sealed class NativeLibraryProbe
{
    private readonly IReadOnlyList<string> _directories;

    /// <param name="extraDirectories">Searched before the application folder, its runtimes/&lt;rid&gt;/native folder and the loader's default path.</param>
    public NativeLibraryProbe(IEnumerable<string?>? extraDirectories = null)
    {
        var dirs = new List<string>();
        foreach (var dir in extraDirectories ?? [])
        {
            if (!string.IsNullOrWhiteSpace(dir))
            {
                dirs.Add(dir);
            }
        }

        dirs.Add(AppContext.BaseDirectory);

        // Where NuGet puts the ORT natives in an app's output; the portable RID is what packages use.
        var portableRid = $"linux-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
        foreach (var rid in new[] { RuntimeInformation.RuntimeIdentifier, portableRid }.Distinct(StringComparer.Ordinal))
        {
            dirs.Add(Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native"));
        }

        _directories = dirs;
    }

    /// <summary>The libraries a provider needs, as (description, candidate sonames).</summary>
    public static IReadOnlyList<NativeLibraryRequirement> RequirementsFor(ExecutionProviderKind provider)
    {
        var cuda = new NativeLibraryRequirement[]
        {
            new("libonnxruntime_providers_shared.so", ["libonnxruntime_providers_shared.so"]),
            new("libonnxruntime_providers_cuda.so", ["libonnxruntime_providers_cuda.so"]),
            new("libcudart (CUDA runtime)", ["libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0", "libcudart.so.10.2", "libcudart.so"]),
            new("libcublasLt (cuBLASLt)", ["libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so.11", "libcublasLt.so.10", "libcublasLt.so"]),
            new("libcublas (cuBLAS)", ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so.10", "libcublas.so"]),
            new("libcudnn (cuDNN)", ["libcudnn.so.9", "libcudnn.so.8", "libcudnn.so"]),
        };

        return provider switch
        {
            ExecutionProviderKind.Cpu => [],
            ExecutionProviderKind.Cuda => cuda,
            ExecutionProviderKind.TensorRt =>
            [
                .. cuda,
                new("libonnxruntime_providers_tensorrt.so", ["libonnxruntime_providers_tensorrt.so"]),
                new("libnvinfer (TensorRT)", ["libnvinfer.so.10", "libnvinfer.so.8", "libnvinfer.so"]),
            ],
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
        };
    }

    /// <summary>The requirements that could not be loaded, each with the loader's reason for the first candidate.</summary>
    public IReadOnlyList<string> FindMissing(IEnumerable<NativeLibraryRequirement> requirements)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        var missing = new List<string>();
        foreach (var requirement in requirements)
        {
            if (!TryLoadAny(requirement, out var reason))
            {
                missing.Add($"{requirement.Description}: {reason}");
            }
        }

        return missing;
    }

    private bool TryLoadAny(NativeLibraryRequirement requirement, out string reason)
    {
        string? loadFailure = null;
        foreach (var name in requirement.Candidates)
        {
            foreach (var path in _directories.Select(d => Path.Combine(d, name)).Where(File.Exists).Append(name))
            {
                try
                {
                    NativeLibrary.Free(NativeLibrary.Load(path));
                    reason = string.Empty;
                    return true;
                }
                catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
                {
                    // A file that exists but does not load (a missing dependency, wrong architecture) says more than "not found".
                    if (loadFailure is null && File.Exists(path))
                    {
                        loadFailure = $"{path} exists but failed to load ({FirstLine(ex.Message)})";
                    }
                }
            }
        }

        reason = loadFailure ?? $"not found (tried {string.Join(", ", requirement.Candidates)})";
        return false;
    }

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? text : text[..newline]).Trim();
    }
}
