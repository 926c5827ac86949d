namespace CharRnn.Inference.Tokens;

/// <summary>
/// What <see cref="Vocabulary.Encode"/> does with a character the model never saw. A prime is refused, since the model
/// cannot continue what it cannot read; a text to look inside is read past such characters, so that a stray quote or
/// emoji typed into the Inside page does not blank the view.
/// </summary>
public enum UnknownCharacters
{
    /// <summary>Throw <see cref="UnknownCharactersException"/>, naming every such character.</summary>
    Refuse,
    /// <summary>Give the character <see cref="Vocabulary.ReadPast"/>: the reader keeps its state and moves on.</summary>
    ReadPast,
}
