namespace CharRnn.Web.Features.Sampling;

/// <summary>
/// A shared passage with where it comes from (its checkpoint, run and book, when they still exist), and the Generate
/// page's addresses that draw it again or continue it. Every address carries the passage's top-k, "all" included, and its top-p, stops and beam.
/// </summary>
public sealed record SharedPassage(PassageDto Passage, CheckpointDto? Checkpoint, RunDto? Run, BookDto? Book)
{
    /// <summary>The end of the passage that <i>Continue</i> primes with: enough context for the model, short enough for a link.</summary>
    public const int ContinuePrimeCharacters = 400;

    /// <summary>The Generate page for exactly these settings and seed, in the browser or on the server: the same text again.</summary>
    public string Again(SamplingPlace where) =>
        SamplingAddress.Generate(Passage.CheckpointId, Passage.Prime, Passage.Length, Passage.Temperature, Passage.TopK, Passage.Seed, where, Passage.TopP, Passage.Stop, Passage.Beam);

    /// <summary>The Generate page primed with the passage's end, with its settings and a new seed.</summary>
    public string Continue
    {
        get
        {
            var text = Passage.Text;
            var tail = text.Length <= ContinuePrimeCharacters ? text : text[^ContinuePrimeCharacters..];
            if (char.IsLowSurrogate(tail[0])) tail = tail[1..]; // never half a character
            return SamplingAddress.Generate(Passage.CheckpointId, tail, Passage.Length, Passage.Temperature, Passage.TopK, seed: null, SamplingPlace.Server, Passage.TopP, Passage.Stop, Passage.Beam);
        }
    }
}
