namespace CharRnn.Web.Data;

/// <summary>A trial's whole-split validation loss at a rung of its sweep, and what successive halving decided there.</summary>
public sealed class RungResult
{
    public int Id { get; set; }
    public int SweepId { get; set; }
    public int RunId { get; set; }
    /// <summary>1 for the first rung, as the API and the pages count them (stored 0-based before the migration RungsFromOne).</summary>
    public int Rung { get; set; }
    public long Step { get; set; }
    public double ValLoss { get; set; }
    /// <summary>Its place among the trials at the rung when it arrived (1 is the best), of how many, and the worst loss the rung kept.</summary>
    public int Place { get; set; }
    public int Of { get; set; }
    public double Kept { get; set; }
    public bool Continued { get; set; }
}
