using CharRnn.Training.Devices;

namespace CharRnn.Training.Precision;

/// <summary>
/// The one place a precision is resolved, named and explained. Like the device, a choice is resolved where the run
/// trains: by the web server for runs it trains itself, by the compute node for a Slurm job, by <c>charrnn train</c>.
/// </summary>
public static class TrainingPrecisions
{
    /// <summary>The precision a choice becomes on a device that does, or does not, compute in bfloat16 natively.</summary>
    public static TrainingPrecision For(PrecisionChoice choice, bool nativeBfloat16) => choice switch
    {
        PrecisionChoice.Float32 => TrainingPrecision.Float32,
        PrecisionChoice.Bfloat16 => TrainingPrecision.Bfloat16,
        _ => nativeBfloat16 ? TrainingPrecision.Bfloat16 : TrainingPrecision.Float32,
    };

    /// <summary>Whether <paramref name="device"/> computes in bfloat16 natively on this machine.</summary>
    public static bool NativeHere(TrainingDevice device) =>
        device == TrainingDevice.Cuda ? Bfloat16Hardware.GpuHere : Bfloat16Hardware.CpuFlagsHere.Count > 0;

    /// <summary>The precision a choice becomes on <paramref name="device"/> of this machine.</summary>
    public static TrainingPrecision Here(PrecisionChoice choice, TrainingDevice device) => For(choice, NativeHere(device));

    /// <summary>"float32" or "bfloat16": how runs record it and pages, the API and the command line show it.</summary>
    public static string Name(this TrainingPrecision precision) => precision == TrainingPrecision.Bfloat16 ? "bfloat16" : "float32";

    /// <summary>The precision of a recorded name (<see cref="Name"/>); float32 for a run recorded before there was a choice.</summary>
    public static TrainingPrecision Parse(string? name) => name == "bfloat16" ? TrainingPrecision.Bfloat16 : TrainingPrecision.Float32;

    /// <summary>A run's recorded precision for its page, saying why where <c>auto</c> chose it (the page may be served by another machine than the one that trains).</summary>
    public static string Recorded(PrecisionChoice choice, TrainingPrecision recorded) => (choice, recorded) switch
    {
        (PrecisionChoice.Auto, TrainingPrecision.Bfloat16) => "bfloat16 (auto: the processor that trains it computes in bfloat16 natively)",
        (PrecisionChoice.Auto, _) => "float32 (auto: the processor that trains it has no native bfloat16, where bfloat16 would be slower)",
        _ => recorded.Name(),
    };

    /// <summary>Why a choice became what it did on this machine's <paramref name="device"/>, in a line for people.</summary>
    public static string ExplainHere(PrecisionChoice choice, TrainingDevice device) =>
        Explain(choice, device, device == TrainingDevice.Cuda ? (Bfloat16Hardware.GpuHere ? ["Ampere or later"] : []) : Bfloat16Hardware.CpuFlagsHere);

    /// <summary>
    /// Why a choice became what it did, given the bfloat16 features the device has (<paramref name="nativeFeatures"/>: the
    /// CPU's flags, or "Ampere or later" for a GPU; empty where it has none). A person who asked for bfloat16 on a processor
    /// without it is told that it will be slower.
    /// </summary>
    public static string Explain(PrecisionChoice choice, TrainingDevice device, IReadOnlyList<string> nativeFeatures)
    {
        var native = nativeFeatures.Count > 0;
        var gpu = device == TrainingDevice.Cuda;
        var has = gpu ? "this GPU computes in bfloat16 natively" : $"this CPU computes in bfloat16 natively ({string.Join(", ", nativeFeatures)})";
        var lacks = gpu ? "this GPU predates Ampere" : "this CPU has no AVX512_BF16 or AMX";
        var emulated = gpu ? "bfloat16 would not be faster" : "bfloat16 would be emulated, and slower than float32";
        return choice switch
        {
            PrecisionChoice.Auto when native => $"bfloat16, chosen by auto: {has}",
            PrecisionChoice.Auto => $"float32, chosen by auto: {lacks}, so {emulated}",
            PrecisionChoice.Bfloat16 when !native => $"bfloat16, as asked, although {lacks}: {emulated}",
            _ => $"{For(choice, native).Name()}, as asked",
        };
    }
}
