using CharRnn.Contracts;
using CharRnn.Inference.Inside;
using CharRnn.Inference.Lstm;
using CharRnn.Inference.Tokens;

namespace CharRnn.Inference.Tests;

/// <summary>The Inside views find what a hand-built model is known to hold, and read states with the sampler's bits.</summary>
public class InsideTests
{
    private static readonly LstmWeights Planted = new(PlantedModel.Create());

    private static IReadOnlyList<IReadOnlyList<RankedUnit>> Discover(string text, int pieces)
    {
        var characters = TextFeatures.Characters(text);
        var features = TextFeatures.All.Select(f => TextFeatures.Values(f, characters)).ToList();
        return UnitCorrelations.Measure(Planted, Planted.Vocabulary.Encode(text), features, top: 50, pieces);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)] // pieces read side by side, each after a warm-up
    public void Discover_finds_the_line_unit_and_the_quote_unit_and_no_other_unit_reaches_r_0_9(int pieces)
    {
        var ranked = Discover(PlantedModel.Text(8000), pieces);
        var byFeature = TextFeatures.All.Zip(ranked).ToDictionary(p => p.First, p => p.Second);

        foreach (var (feature, unit) in new[] { (TextFeature.LinePosition, PlantedModel.LineUnit), (TextFeature.Quotes, PlantedModel.QuoteUnit) })
        {
            var best = byFeature[feature][0];
            Assert.True(best.R >= 0.9, $"{feature}: the best unit is {best}, below r 0.9");
            Assert.Equal((0, unit), (best.Layer, best.Unit));
            var strong = byFeature[feature].Where(u => Math.Abs(u.R) >= 0.9).ToList();
            Assert.All(strong, u => Assert.Equal((0, unit), (u.Layer, u.Unit)));
        }
        // Layer 1 is all zeros: its units never change, so they have no r at all.
        Assert.DoesNotContain(ranked.SelectMany(r => r), u => u.Layer == 1);
    }

    [Fact]
    public void Selecting_a_quoted_stretch_finds_the_quote_unit_first_and_matches_the_other_quoted_stretches()
    {
        var text = PlantedModel.Text(3000);
        var characters = TextFeatures.Characters(text);
        var quotes = characters.Select((c, i) => (c, i)).Where(p => p.c == "\"").Select(p => p.i).ToList();
        var stretches = quotes.Chunk(2).Select(q => (Start: q[0], Length: q[1] - q[0])).ToList();
        Assert.True(stretches.Count >= 5, $"the text has {stretches.Count} quoted stretches");
        var chosen = stretches[2];

        var selection = StretchSelection.Select(Planted, text, text: null, chosen.Start, chosen.Length, layer: 0, StateQuantity.C, threshold: 0.3);

        Assert.Equal(PlantedModel.QuoteUnit, selection.Units[0].Unit);
        var others = stretches.Where(s => s != chosen).ToList();
        Assert.All(others, s => Assert.Contains(selection.Matches, m => (m.Start, m.Length) == s && m.Shared >= 1));
        Assert.DoesNotContain(selection.Matches, m => m.Start == chosen.Start);
        Assert.StartsWith("\"", selection.Matches[0].Text);
    }

    [Theory]
    [InlineData("Then she said \"the horse went home\" and left.\n")]
    [InlineData("Then she said \"the horse—went 7 home\" and left.\n")] // '—' and '7' are read past
    public void A_stretch_in_a_text_of_ones_own_is_matched_in_the_held_out_passage(string own)
    {
        var heldOut = PlantedModel.Text(2000, seed: 2);
        var start = own.IndexOf('"');

        var selection = StretchSelection.Select(Planted, heldOut, own, start, own.LastIndexOf('"') - start, 0, StateQuantity.H, 0.3);

        Assert.Equal(PlantedModel.QuoteUnit, selection.Units[0].Unit);
        Assert.NotEmpty(selection.Matches);
        Assert.All(selection.Matches, m => Assert.StartsWith("\"", m.Text));
        Assert.Equal(Enumerable.Range(0, own.Length).Where(i => !PlantedModel.Alphabet.Contains(own[i])), selection.Skipped);
    }

    [Fact]
    public void A_reading_reads_past_characters_the_model_lacks_with_their_state_and_guesses_carried_over()
    {
        const string text = "7he said \"go😀 now\", 7 and left.\n";
        var characters = TextFeatures.Characters(text);
        var lacking = new[] { 0, 12, 20 };
        Assert.Equal(["7", "😀", "7"], lacking.Select(i => characters[i]));

        // Read as a page reads a text typed a piece at a time, the emoji among the new characters of one keystroke.
        var reading = new TextReading(new LstmEngine(Planted), layer: 0);
        foreach (var piece in new[] { text[..5], text[5..15], text[15..] }) reading.Read(piece);
        var without = new TextReading(new LstmEngine(Planted), layer: 0);
        without.Read(string.Concat(characters.Where((_, i) => !lacking.Contains(i))));

        Assert.Equal(characters, reading.Characters);
        Assert.Equal(lacking, reading.Skipped);
        var read = Enumerable.Range(0, characters.Length).Where(i => !lacking.Contains(i)).ToList();
        // The characters read have the states, surprises and guesses of the text without the others.
        Assert.Equal(without.States, read.Select(i => reading.States[i]));
        Assert.Equal(without.Surprise, read.Select(i => reading.Surprise[i]));
        Assert.Equal(without.Next.Select(n => n.Select(a => a.Character)), read.Select(i => reading.Next[i].Select(a => a.Character)));
        // A character read past keeps the state before it (the zero state at the start), has no surprise, and leaves
        // the guesses as they were.
        Assert.Equal(new float[LayerStates.Width(PlantedModel.Hidden)], reading.States[0]);
        Assert.Empty(reading.Next[0]);
        Assert.Equal(reading.States[11], reading.States[12]);
        Assert.Same(reading.Next[11], reading.Next[12]);
        Assert.All(lacking, i => Assert.Null(reading.Surprise[i]));
    }

    [Fact]
    public void The_vocabulary_refuses_unknown_characters_naming_them_or_reads_past_them()
    {
        var vocabulary = Vocabulary.FromText("abc");

        var refused = Assert.Throws<UnknownCharactersException>(() => vocabulary.Encode("ab😀xa", subject: "The prime"));
        Assert.Equal("The prime contains 2 characters that the model does not know: '😀', 'x'.", refused.Message);
        Assert.Equal([0, 1, Vocabulary.ReadPast, Vocabulary.ReadPast, 0], vocabulary.Encode("ab😀xa", UnknownCharacters.ReadPast));
        Assert.Equal([2, 3], Vocabulary.ReadPastPositions(vocabulary.Encode("ab😀xa", UnknownCharacters.ReadPast)));
        Assert.Null(vocabulary.Unknown("cab"));
    }

    [Theory]
    [InlineData(-1, 3, "within the text")]
    [InlineData(5, 0, "hold one at least")]
    [InlineData(10, 5000, "within the text")]
    public void A_stretch_out_of_range_is_refused_with_the_reason(int start, int length, string reason)
    {
        var text = PlantedModel.Text(500);
        var e = Assert.Throws<ArgumentException>(() => StretchSelection.Select(Planted, text, null, start, length, 0, StateQuantity.C, 0.3));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void States_read_by_the_engine_and_by_a_walk_in_one_piece_have_the_same_bits()
    {
        var weights = new LstmWeights(RandomCheckpoints.Create("abcdefghij .,\n", hidden: 40, layers: 2, seed: 4));
        const string text = "a cab fed. jig hide\nbad face, ache.\n";
        var read = TextStates.Read(weights, weights.Vocabulary.Encode(text), [0, 1], Enum.GetValues<StateQuantity>(), Enumerable.Range(0, 40).ToList());

        // The engine alone, one character at a time, as sampling reads a prime.
        var engine = new LstmEngine(weights);
        var walked = new float[2][][];
        for (var layer = 0; layer < 2; layer++) walked[layer] = new float[text.Length][];
        foreach (var (token, position) in weights.Vocabulary.Encode(text).Select((token, position) => (token, position)))
        {
            engine.Step(token);
            for (var layer = 0; layer < 2; layer++) walked[layer][position] = engine.LayerState(layer).ToArray();
        }

        foreach (var series in read)
            foreach (var unit in series.Units)
                for (var t = 0; t < text.Length; t++)
                    Assert.Equal(walked[series.Layer][t][LayerStates.Index(series.Quantity, unit.Unit, 40)], unit.Values[t]);
        // The gates are read after their activations: the sigmoid gates within (0, 1), the candidate within (−1, 1).
        Assert.All(read.Where(s => s.Quantity is StateQuantity.I or StateQuantity.F or StateQuantity.O).SelectMany(s => s.Units).SelectMany(u => u.Values), v => Assert.InRange(v, 0f, 1f));
        Assert.All(read.Where(s => s.Quantity is StateQuantity.G).SelectMany(s => s.Units).SelectMany(u => u.Values), v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void Gate_saturation_counts_the_line_units_forget_gate_open_but_at_newlines()
    {
        var text = PlantedModel.Text(3000);
        var newlines = text.Count(c => c == '\n') / (double)text.Length;

        var shares = GateSaturation.Measure(Planted, Planted.Vocabulary.Encode(text));

        var forget = shares.Single(s => s.Layer == 0 && s.Gate == StateQuantity.F);
        Assert.Equal(newlines, forget.Closed[PlantedModel.LineUnit], 6);
        Assert.Equal(1 - newlines, forget.Open[PlantedModel.LineUnit], 6);
        // Its input gate is always open (σ(10)); layer 1's gates are all σ(0) = 0.5, never at either end.
        Assert.Equal(1, shares.Single(s => s.Layer == 0 && s.Gate == StateQuantity.I).Open[PlantedModel.LineUnit], 6);
        Assert.All(shares.Where(s => s.Layer == 1), s => Assert.All(s.Closed.Concat(s.Open), share => Assert.Equal(0, share)));
        Assert.Equal([StateQuantity.I, StateQuantity.F, StateQuantity.O], shares.Where(s => s.Layer == 0).Select(s => s.Gate));
    }

    [Fact]
    public void The_built_in_features_have_the_values_their_descriptions_give()
    {
        var characters = TextFeatures.Characters("He said \"no (not) yet.\" Then\nOk");
        string Values(TextFeature feature) => string.Concat(TextFeatures.Values(feature, characters).Select(v => v.ToString()[^1]));

        Assert.Equal("00000000" + "11111111111111" + "000000000", Values(TextFeature.Quotes));
        Assert.Equal("000000000000" + "1111" + "000000000000000", Values(TextFeature.Brackets));
        Assert.Equal("1234567890123456789012345678" + "012", Values(TextFeature.LinePosition));
        Assert.Equal("1201234001200123001230001234012", Values(TextFeature.WordPosition));
        Assert.Equal("1" + new string('0', 23) + "1" + new string('0', 6), Values(TextFeature.SentenceStart));
    }

    [Fact]
    public void A_blank_line_ends_a_quotation_as_a_paragraph_does()
    {
        // A passage that begins inside a quotation, and a quotation over two paragraphs that opens again in the second.
        var characters = TextFeatures.Characters("go,\" he\n\n\"So\n\n\"Yes");
        Assert.Equal("00011111" + "0" + "1111" + "0" + "1111", string.Concat(TextFeatures.Values(TextFeature.Quotes, characters).Select(v => v.ToString())));
    }

    [Fact]
    public void A_regular_expression_marks_the_characters_inside_its_matches_counting_code_points()
    {
        const string text = "a 😀 bb c bb";
        var values = TextFeatures.Matches(FeatureRegex.Create("b+"), text);
        Assert.Equal([0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1], values);
    }

    [Theory]
    [InlineData("(a+", "not valid")]
    [InlineData("(a)\\1", "linear time")]
    [InlineData("", "empty")]
    public void A_bad_regular_expression_is_refused_with_the_reason(string pattern, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => FeatureRegex.Create(pattern));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void A_catastrophic_regular_expression_runs_in_the_linear_engine_and_finds_no_match()
    {
        var regex = FeatureRegex.Create("(a+)+$");
        // The non-backtracking engine's time is linear in the text whatever the pattern; a backtracking one would exceed
        // the pattern's time-out here and throw.
        Assert.True(regex.Options.HasFlag(System.Text.RegularExpressions.RegexOptions.NonBacktracking));
        var values = TextFeatures.Matches(regex, new string('a', 30_000) + "b");
        Assert.Equal(30_001, values.Length);
        Assert.All(values, v => Assert.Equal(0, v));
    }
}
