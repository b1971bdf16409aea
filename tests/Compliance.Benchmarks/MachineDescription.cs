using System.Runtime.InteropServices;

namespace Compliance.Benchmarks;

/// <summary>The machine the figures were measured on, in one line.</summary>
internal static class MachineDescription
{
    public static string Describe()
    {
        var cpu = "unknown CPU";
        const string CpuInfo = "/proc/cpuinfo";
        if (File.Exists(CpuInfo))
        {
            var model = File.ReadLines(CpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            cpu = model?[(model.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim() ?? cpu;
        }

        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return $"{cpu}, {Environment.ProcessorCount} cores, {memory:0} GB, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
    }
}
