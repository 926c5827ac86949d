using System.Text.Json.Serialization;

namespace CharRnn.Contracts;

/// <summary>What is wrong with a run as it trains, worst first: its loss runs away, it sits at the level of guessing by letter frequency, it overfits, or it stopped improving.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<HealthCondition>))]
public enum HealthCondition { Diverging, Stuck, Overfitting, Stalled }

/// <summary>Where one click on a health warning starts the new run: from scratch, or from the run's best checkpoint (<see cref="RemedyPlan"/> says with which options).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<HealthRemedy>))]
public enum HealthRemedy { Restart, ResumeFromBest }

/// <summary>A run's health warning (<c>health</c> on a run): the condition, the step it began at, and the numbers behind it with the usual remedy, in words.</summary>
public sealed record RunHealth(HealthCondition Condition, long Since, string Detail)
{
    /// <summary>Where the one-click remedy starts (<see cref="RemedyPlan.KindFor"/>): an overfitting or stalled run from its best checkpoint, a diverging or stuck one from scratch.</summary>
    public HealthRemedy Remedy => RemedyPlan.KindFor(Condition);

    /// <summary>The remedy for a run with <paramref name="options"/>: its options and its words.</summary>
    public RemedyPlan Plan(TrainingOptions options) => RemedyPlan.For(Condition, options);
}
