using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using CharRnn.Inference.Checkpoints;
using CharRnn.Inference.Lstm;
using CharRnn.Training.Tests;

namespace CharRnn.Web.Tests.Api.Checkpoints;

/// <summary>Hostile notebook checkpoints: refused with 400 and a reason, without expanding them into memory.</summary>
public class ImportSafetyTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("charrnn-import-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    /// <summary>A zip whose one entry is <paramref name="megabytes"/> MB of zeros, deflated to well under a megabyte.</summary>
    private static byte[] Bomb(int megabytes)
    {
        using var file = new MemoryStream();
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        using (var entry = zip.CreateEntry("archive/data.pkl", CompressionLevel.SmallestSize).Open())
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < megabytes; i++) entry.Write(zeros);
        }
        return file.ToArray();
    }

    /// <summary>The same bomb, its declared sizes (local header and central directory) rewritten to say 1,000 bytes.</summary>
    private static byte[] LyingBomb(int megabytes)
    {
        var bytes = Bomb(megabytes);
        for (var i = 0; i + 46 <= bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            if (signature == 0x04034b50) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 22), 1000);
            if (signature == 0x02014b50) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 24), 1000);
        }
        return bytes;
    }

    private static async Task<HttpResponseMessage> ImportAsync(StudioServer server, byte[] file)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(file), "file", "rnn_20_epoch.net" } };
        return await server.Http.PostAsync("/api/checkpoints/import", form);
    }

    [Fact]
    public async Task A_deflate_bomb_and_one_that_lies_about_its_size_are_refused_with_bounded_memory()
    {
        using var server = new StudioServer(_data);
        var bomb = Bomb(700);
        var lying = LyingBomb(700);
        Assert.True(bomb.Length < 2_000_000, $"the bomb is {bomb.Length:N0} bytes");
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var declared = await ImportAsync(server, bomb);
        var lied = await ImportAsync(server, lying);

        Assert.Equal(HttpStatusCode.BadRequest, declared.StatusCode);
        Assert.Contains("expands to 734,003,200 bytes", await declared.ProblemDetailAsync());
        Assert.Equal(HttpStatusCode.BadRequest, lied.StatusCode);
        // .NET's zip reader stops an entry at its declared size (and the copy would refuse a byte more): the 1,000 bytes
        // of zeros are no pickle.
        Assert.Contains("not a PyTorch checkpoint", await lied.ProblemDetailAsync());
        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        Assert.True(grown < 100_000_000, $"the heap grew by {grown:N0} bytes");
        Assert.Empty(await server.GetAsync<List<CheckpointDto>>("/api/checkpoints"));
        Assert.False(Directory.Exists(Path.Combine(_data, "imports")) && Directory.EnumerateFiles(Path.Combine(_data, "imports")).Any());
    }

    [Fact]
    public async Task A_pickle_that_declares_weights_larger_than_its_bytes_is_a_400_that_says_so()
    {
        using var server = new StudioServer(_data);
        // A 2×4096 model over 83 characters whose every weight views the same 16-byte storage.
        var tokens = Enumerable.Range(0, 83).Select(i => ((char)('!' + i)).ToString()).ToArray();
        var config = new ModelConfig(4096, 2, 0.5, tokens.Length);
        var weights = Checkpoint.ParameterNames(2).Select(name =>
        {
            var shape = Checkpoint.ExpectedShape(name, config).Select(d => (long)d).ToArray();
            return new HandMadeTorchFile.Weight(name, "0", shape, shape.Length == 2 ? [shape[1], 1] : [1]);
        });
        var file = HandMadeTorchFile.Notebook(4096, 2, tokens, weights, [new("0", "FloatStorage", 4, HandMadeTorchFile.Floats(1, 2, 3, 4))]);

        using var response = await ImportAsync(server, file);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("reaches element 1,359,872 of a storage that holds 4: the file is damaged or hostile", await response.ProblemDetailAsync());
        Assert.Empty(await server.GetAsync<List<CheckpointDto>>("/api/checkpoints"));
    }
}
