using System.Net;
using System.Net.Http.Json;
using CharRnn.Training.Devices;
using CharRnn.Training.Precision;

namespace CharRnn.Web.Tests.Api.Runs;

/// <summary>A run's precision through the API: stored with its options, recorded as what it became, and checked.</summary>
public class PrecisionApiTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-precision-api-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_bfloat16_run_trains_and_reports_its_precision_and_auto_records_what_it_became_here()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));

        var bfloat16 = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, 1, "notebook", ("precision", "bfloat16")));
        var done = await server.WaitForStatusAsync(bfloat16.Id, RunStatus.Completed);
        Assert.Equal(PrecisionChoice.Bfloat16, done.Options.Precision);
        Assert.Equal(TrainingPrecision.Bfloat16, done.Precision);
        var json = await server.Http.GetStringAsync($"/api/runs/{bfloat16.Id}");
        Assert.Contains("\"precision\":\"bfloat16\"", json);
        Assert.NotNull(done.BestValLoss);

        // auto becomes what this machine's CPU computes in natively: float32 on most, bfloat16 with AVX512_BF16 or AMX.
        var auto = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, 1, "notebook", ("precision", "auto")));
        var expected = TrainingPrecisions.Here(PrecisionChoice.Auto, TrainingDevice.Cpu);
        Assert.Equal(expected, auto.Precision);
        Assert.Equal(expected, (await server.WaitForStatusAsync(auto.Id, RunStatus.Completed)).Precision);

        // A run that asks for nothing trains as the notebook did.
        var plain = await server.CreateRunAsync(StudioClient.TinyRun(book.Id, 1));
        Assert.Equal((PrecisionChoice.Float32, TrainingPrecision.Float32), (plain.Options.Precision, plain.Precision));
    }

    [Fact]
    public async Task A_precision_that_does_not_exist_is_refused_naming_the_choices()
    {
        using var server = new StudioServer(_data);
        var book = await server.UploadBookAsync(StudioClient.Repeated(50));

        var refused = await server.Http.PostAsJsonAsync("/api/runs", StudioClient.TinyRun(book.Id, 1, "notebook", ("precision", "float16")), Json.Options);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Precision must be one of auto, float32, bfloat16; it was 'float16'.", await refused.ProblemDetailAsync());
    }
}
