namespace CompressionTasks.Runner.Tests;

/// <summary>
/// A stand-in for JetPack's trtexec (TensorRT 8.0.1): a bash script that logs its arguments, and
/// <list type="bullet">
/// <item>with <c>--saveEngine</c> (build-engine.sh) writes an engine file naming the precision it was asked for;</item>
/// <item>with <c>--loadEngine</c> (the runner) prints the version line as 8.0.1 does (<c>8001</c>), raises the fake
/// INA3221 rails as a loaded GPU would, prints "Starting inference", runs for the warm-up plus the duration it was
/// given, like trtexec, then writes <c>--exportTimes</c> (one inference every 2.5 ms, latency alternating 2.0 and
/// 2.2 ms, warm-up included) and <c>--exportProfile</c> (three layers) in TensorRT 8.0's JSON layout.</item>
/// </list>
/// </summary>
internal static class FakeTrtexec
{
    public const double ActiveVddInWatts = 9.0;

    public const double ActiveGpuWatts = 3.2;

    public static string Create(string folder, FakeIna3221Tree sysfs, string logPath)
    {
        var path = Path.Combine(folder, "trtexec");
        var vddIn = sysfs.PowerFile("VDD_IN");
        var gpu = sysfs.PowerFile("VDD_SYS_GPU");
        File.WriteAllText(path, $$"""
            #!/usr/bin/env bash
            set -euo pipefail
            printf '%s\n' "$@" >> '{{logPath}}'
            warm=200; dur=3; times=''; profile=''; load=''; save=''; precision=fp32
            for a in "$@"; do
              case "$a" in
                --warmUp=*) warm=${a#*=} ;;
                --duration=*) dur=${a#*=} ;;
                --exportTimes=*) times=${a#*=} ;;
                --exportProfile=*) profile=${a#*=} ;;
                --loadEngine=*) load=${a#*=} ;;
                --saveEngine=*) save=${a#*=} ;;
                --fp16) precision=fp16 ;;
              esac
            done
            echo '&&&& RUNNING TensorRT.trtexec [TensorRT v8001]'
            echo '[I] TensorRT version: 8001'
            if [ -n "$save" ]; then
              echo "fake engine $precision" > "$save"
              echo '[I] Engine built'
              exit 0
            fi
            [ -f "$load" ] || { echo "[E] Error opening engine file: $load"; exit 1; }
            set_rail() { printf '%s\n' "$2" > "$1.tmp"; mv "$1.tmp" "$1"; }
            set_rail '{{vddIn}}' {{(int)(ActiveVddInWatts * 1000)}}
            set_rail '{{gpu}}' {{(int)(ActiveGpuWatts * 1000)}}
            echo '[I] Starting inference'
            sleep "$(awk -v w="$warm" -v d="$dur" 'BEGIN { print w / 1000 + d }')"
            awk -v w="$warm" -v d="$dur" 'BEGIN {
              n = int((w + d * 1000) / 2.5); printf "[\n"
              for (i = 0; i < n; i++) {
                s = i * 2.5; lat = (i % 2 == 0) ? 2.0 : 2.2; c = s + 0.1; e = s + lat
                printf "%s{ \"startEnqMs\" : %g, \"endEnqMs\" : %g, \"startH2dMs\" : %g, \"endH2dMs\" : %g, \"startComputeMs\" : %g, \"endComputeMs\" : %g, \"startD2hMs\" : %g, \"endD2hMs\" : %g, \"h2dMs\" : 0.1, \"computeMs\" : %g, \"d2hMs\" : 0.1, \"latencyMs\" : %g, \"endToEndMs\" : %g }\n", (i ? ", " : "  "), s, s + 0.05, s, c, c, e - 0.1, e - 0.1, e, lat - 0.2, lat, lat
              }
              printf "]\n" }' > "$times"
            printf '%s\n' '[' '  { "count" : 400 }' \
              ', { "name" : "Conv_0 + Relu_1", "timeMs" : 480, "averageMs" : 1.2, "percentage" : 60 }' \
              ', { "name" : "Conv_2 + Relu_3", "timeMs" : 240, "averageMs" : 0.6, "percentage" : 30 }' \
              ', { "name" : "Gemm_5", "timeMs" : 80, "averageMs" : 0.2, "percentage" : 10 }' ']' > "$profile"
            echo "[I] Timing trace has $(( (warm + dur * 1000) * 2 / 5 )) queries over $dur s"
            echo '&&&& PASSED TensorRT.trtexec [TensorRT v8001]'
            """.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }
}
