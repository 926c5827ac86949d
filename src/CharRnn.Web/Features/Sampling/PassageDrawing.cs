using System.Threading.Channels;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Sampling;

namespace CharRnn.Web.Features.Sampling;

/// <summary>
/// One passage under way on the server: its characters as they come, and, once they have all been read, why it ended
/// and (for a beam search) its score. A drawn passage steps in its checkpoint's batch (<see cref="SamplingBatcher"/>); a
/// beam search follows several candidates with one engine of its own on a pool thread, since its candidates replace
/// each other at every character and no batch slot could hold them.
/// </summary>
public sealed class PassageDrawing
{
    private readonly Func<SampleEnding?> _endedBy;
    private readonly Func<(double LogProbability, double BitsPerCharacter)?> _beamScore;

    private PassageDrawing(ChannelReader<string> characters, Func<SampleEnding?> endedBy, Func<(double, double)?> beamScore) =>
        (Characters, _endedBy, _beamScore) = (characters, endedBy, beamScore);

    /// <summary>One code point each, the prime not included; completes when the passage is over.</summary>
    public ChannelReader<string> Characters { get; }

    /// <summary>Why it ended: at a stop or at its length; valid once <see cref="Characters"/> has completed.</summary>
    public SampleEnding EndedBy => _endedBy() ?? throw new InvalidOperationException("The passage is still being drawn.");

    /// <summary>A beam search's log-probability and bits per character; null for a drawn passage.</summary>
    public (double LogProbability, double BitsPerCharacter)? BeamScore => _beamScore();

    /// <summary>Starts a passage for checked options with a seed.</summary>
    public static PassageDrawing Start(LstmWeights weights, SampleOptions options, SamplingBatcher batcher, CancellationToken ct)
    {
        if (options.Beam is null)
        {
            var draw = new SampleDraw(weights.Vocabulary, options);
            return new PassageDrawing(batcher.Draw(weights, draw, ct), () => draw.EndedBy, () => null);
        }
        var channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var sampler = new Sampler(new LstmEngine(weights));
        _ = Task.Run(() =>
        {
            try
            {
                foreach (var c in sampler.Generate(options))
                {
                    ct.ThrowIfCancellationRequested();
                    channel.Writer.TryWrite(c);
                }
                channel.Writer.TryComplete();
            }
            catch (Exception e) { channel.Writer.TryComplete(e); }
        }, CancellationToken.None);
        return new PassageDrawing(channel.Reader, () => sampler.EndedBy, () => sampler.BeamScore);
    }
}
