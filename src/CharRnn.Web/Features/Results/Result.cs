namespace CharRnn.Web.Features.Results;

/// <summary>The kinds of "no" a feature answers with; each surface maps them once (HTTP statuses, hub errors).</summary>
public enum FailureKind
{
    /// <summary>There is no such book, run, checkpoint or passage, or its file is gone.</summary>
    NotFound,
    /// <summary>The request cannot be carried out as asked: a value out of range, a text too short, a bad file.</summary>
    Invalid,
    /// <summary>The thing exists but is in the way: a run that is training, a book a run uses, a damaged file.</summary>
    Conflict,
    /// <summary>An upload over its limit.</summary>
    TooLarge,
    /// <summary>Over a limit of things at once (samplings); trying again later works.</summary>
    TooMany,
    /// <summary>Something this server relies on did not answer (the cluster's scheduler).</summary>
    Unavailable,
}

/// <summary>Why a feature said no: its kind, and a sentence a person can act on.</summary>
public sealed record Failure(FailureKind Kind, string Detail)
{
    public static Failure NotFound(string detail) => new(FailureKind.NotFound, detail);
    public static Failure Invalid(string detail) => new(FailureKind.Invalid, detail);
    public static Failure Invalid(IEnumerable<string> problems) => new(FailureKind.Invalid, string.Join(" ", problems));
    public static Failure Conflict(string detail) => new(FailureKind.Conflict, detail);
    public static Failure TooLarge(string detail) => new(FailureKind.TooLarge, detail);
    public static Failure TooMany(string detail) => new(FailureKind.TooMany, detail);
    public static Failure Unavailable(string detail) => new(FailureKind.Unavailable, detail);
}

/// <summary>What a feature answers when there is nothing to hand back: done, or a <see cref="Results.Failure"/>.</summary>
public readonly struct Result
{
    private Result(Failure? failure) => Failure = failure;

    public Failure? Failure { get; }
    public bool Ok => Failure is null;

    public static Result Done => default;

    public static implicit operator Result(Failure failure) => new(failure);
}

/// <summary>What a feature answers: a value, or a <see cref="Results.Failure"/>. Features return these instead of throwing or picking status codes.</summary>
public readonly struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, Failure? failure) => (_value, Failure) = (value, failure);

    public Failure? Failure { get; }
    public bool Ok => Failure is null;

    /// <summary>The value; reading it from a failure is a programming error.</summary>
    public T Value => Ok ? _value! : throw new InvalidOperationException($"No value: {Failure!.Detail}");

    /// <summary>A value; the implicit conversion does this too, except from an interface type, which C# does not convert.</summary>
    public static Result<T> Success(T value) => new(value, null);

    public static implicit operator Result<T>(T value) => new(value, null);
    public static implicit operator Result<T>(Failure failure) => new(default, failure);
}
