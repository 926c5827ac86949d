using CharRnn.Training.Devices;
using CharRnn.Training.Precision;

namespace CharRnn.Training.Tests;

/// <summary>
/// What <c>auto</c> chooses, with stand-ins for the CPU check: /proc/cpuinfo texts of processors with and without
/// bfloat16 arithmetic (this session's CPU may have either, so the real one cannot be the test).
/// </summary>
public class TrainingPrecisionTests
{
    private static string Cpuinfo(string flags) =>
        $"processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Processor @ 2.60GHz\nflags\t\t: {flags}\nbugs\t\t: spectre_v1\n\n"
        + $"processor\t: 1\nflags\t\t: {flags}\n";

    private const string IceLake = "fpu vme sse sse2 avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl avx512_vnni avx512_bitalg";
    private const string Zen4 = IceLake + " avx512_bf16 avx512_vbmi2";
    private const string SapphireRapids = Zen4 + " amx_bf16 amx_tile amx_int8";

    [Fact]
    public void Auto_keeps_float32_on_a_cpu_without_bfloat16_arithmetic_and_says_why()
    {
        var flags = Bfloat16Hardware.CpuFlagsIn(Cpuinfo(IceLake));

        Assert.Empty(flags);
        Assert.Equal(TrainingPrecision.Float32, TrainingPrecisions.For(PrecisionChoice.Auto, nativeBfloat16: flags.Count > 0));
        Assert.Equal("float32, chosen by auto: this CPU has no AVX512_BF16 or AMX, so bfloat16 would be emulated, and slower than float32",
            TrainingPrecisions.Explain(PrecisionChoice.Auto, TrainingDevice.Cpu, flags));
    }

    [Fact]
    public void Auto_takes_bfloat16_on_a_cpu_with_avx512_bf16_or_amx()
    {
        Assert.Equal(["avx512_bf16"], Bfloat16Hardware.CpuFlagsIn(Cpuinfo(Zen4)));
        Assert.Equal(["avx512_bf16", "amx_bf16"], Bfloat16Hardware.CpuFlagsIn(Cpuinfo(SapphireRapids)));
        Assert.Equal(TrainingPrecision.Bfloat16, TrainingPrecisions.For(PrecisionChoice.Auto, nativeBfloat16: true));
        Assert.Equal("bfloat16, chosen by auto: this CPU computes in bfloat16 natively (avx512_bf16, amx_bf16)",
            TrainingPrecisions.Explain(PrecisionChoice.Auto, TrainingDevice.Cpu, Bfloat16Hardware.CpuFlagsIn(Cpuinfo(SapphireRapids))));
    }

    [Fact]
    public void A_precision_asked_for_is_kept_and_bfloat16_without_the_hardware_is_called_slower()
    {
        foreach (var native in new[] { false, true })
        {
            Assert.Equal(TrainingPrecision.Float32, TrainingPrecisions.For(PrecisionChoice.Float32, native));
            Assert.Equal(TrainingPrecision.Bfloat16, TrainingPrecisions.For(PrecisionChoice.Bfloat16, native));
        }
        Assert.Equal("bfloat16, as asked, although this CPU has no AVX512_BF16 or AMX: bfloat16 would be emulated, and slower than float32",
            TrainingPrecisions.Explain(PrecisionChoice.Bfloat16, TrainingDevice.Cpu, []));
        Assert.Equal("float32, as asked", TrainingPrecisions.Explain(PrecisionChoice.Float32, TrainingDevice.Cpu, ["avx512_bf16"]));
        Assert.Equal("float32, chosen by auto: this GPU predates Ampere, so bfloat16 would not be faster",
            TrainingPrecisions.Explain(PrecisionChoice.Auto, TrainingDevice.Cuda, []));
    }

    [Fact]
    public void A_cpuinfo_without_flags_means_no_bfloat16()
    {
        Assert.Empty(Bfloat16Hardware.CpuFlagsIn(""));
        Assert.Empty(Bfloat16Hardware.CpuFlagsIn("processor\t: 0\nFeatures\t: fp asimd evtstrm\n"));
    }

    [Fact]
    public void Recorded_names_read_back_and_a_run_from_before_the_choice_is_float32()
    {
        foreach (var precision in Enum.GetValues<TrainingPrecision>())
            Assert.Equal(precision, TrainingPrecisions.Parse(precision.Name()));
        Assert.Equal(TrainingPrecision.Float32, TrainingPrecisions.Parse(null));
        Assert.Equal("float32 (auto: the processor that trains it has no native bfloat16, where bfloat16 would be slower)",
            TrainingPrecisions.Recorded(PrecisionChoice.Auto, TrainingPrecision.Float32));
        Assert.Equal("bfloat16", TrainingPrecisions.Recorded(PrecisionChoice.Bfloat16, TrainingPrecision.Bfloat16));
    }
}
